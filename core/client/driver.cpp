#include "client/driver.h"

#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <memory>

#include "client/output_file.h"
#include "client/remote_compile.h"
#include "client/settings.h"
#include "exec/spawn.h"
#include "hosts/host_spec.h"
#include "plan/plan.h"
#include "plugin/loader.h"
#include "util/error.h"

namespace ferry::client {
namespace {

constexpr const char* kSafeguardVar = "_FERRY_SAFEGUARD";
// A remote status that means "the host could not run the compiler", not
// "the code does not compile" (distccd's EXIT_COMPILER_MISSING).
constexpr int kRemoteCompilerMissing = 110;

void write_all(int fd, const std::string& text) {
  const char* p = text.data();
  size_t left = text.size();
  while (left > 0) {
    ssize_t n = ::write(fd, p, left);
    if (n < 0) {
      if (errno == EINTR) {
        continue;
      }
      return;
    }
    p += n;
    left -= static_cast<size_t>(n);
  }
}

// Replaces this process with the compiler. Only returns on failure.
int exec_local(const std::vector<std::string>& argv, const Invocation& inv, const Logger& log) {
  ::setenv(kSafeguardVar, std::to_string(inv.safeguard_level + 1).c_str(), 1);
  std::vector<char*> c_argv;
  for (const auto& a : argv) {
    c_argv.push_back(const_cast<char*>(a.c_str()));
  }
  c_argv.push_back(nullptr);
  ::execvp(c_argv[0], c_argv.data());
  log.error("cannot run '" + argv[0] + "': " + std::strerror(errno));
  return to_int(ExitCode::CompilerMissing);
}

std::vector<std::string> original_command(const Invocation& inv) {
  std::vector<std::string> argv{inv.compiler};
  argv.insert(argv.end(), inv.args.begin(), inv.args.end());
  return argv;
}

std::string current_dir() {
  std::string buf(4096, '\0');
  if (::getcwd(buf.data(), buf.size()) == nullptr) {
    return ".";
  }
  buf.resize(std::strlen(buf.c_str()));
  return buf;
}

llvm::Expected<plan::Plan> make_plan(const ferry_plugin& plugin, const Invocation& inv,
                                     const std::string& strategy) {
  std::vector<const char*> args;
  args.reserve(inv.args.size());
  for (const auto& a : inv.args) {
    args.push_back(a.c_str());
  }
  std::string cwd = current_dir();
  ferry_plan_request req{sizeof(ferry_plan_request), inv.compiler.c_str(),
                         {args.data(), args.size()}, cwd.c_str(),
                         strategy.empty() ? nullptr : strategy.c_str()};
  ferry_plan* raw = nullptr;
  if (plugin.plan(&req, &raw) != 0 || raw == nullptr) {
    return make_error(ExitCode::DistccFailed,
                      std::string("plugin '") + plugin.name + "' could not plan this command");
  }
  plan::Plan p = plan::from_abi(*raw);
  plugin.free_plan(raw);
  return p;
}

class Job {
 public:
  Job(const Invocation& inv, const ClientContext& ctx) : m_inv(inv), m_ctx(ctx) {}

  int run() {
    auto settings = settings_from_env();
    if (!settings) {
      return fail(settings.takeError());
    }
    m_settings = *settings;
    if (m_inv.safeguard_level > 0) {
      // ferry started by ferry: through a trimmed masquerade PATH that is
      // harmless, so compile here; explicitly it would loop for ever.
      if (m_inv.masquerade || m_inv.new_path) {
        return exec_local(original_command(m_inv), m_inv, m_ctx.log);
      }
      m_ctx.log.error("ferry seems to have invoked itself recursively (" +
                      std::string(kSafeguardVar) + "=" +
                      std::to_string(m_inv.safeguard_level) + ")");
      return to_int(ExitCode::Recursion);
    }
    auto loaded = plugin::load_for_compiler(
        plugin::plugin_dirs(m_ctx.self_exe, std::getenv("FERRY_PLUGIN_PATH")),
        m_inv.compiler_basename);
    if (!loaded) {
      ErrorSummary s = summarize(loaded.takeError());
      m_ctx.log.warn(s.message + "; running '" + m_inv.compiler + "' locally");
      return exec_local(original_command(m_inv), m_inv, m_ctx.log);
    }
    auto p = make_plan((*loaded)->table(), m_inv, m_settings.strategy);
    if (!p) {
      ErrorSummary s = summarize(p.takeError());
      m_ctx.log.warn(s.message + "; compiling locally");
      return exec_local(original_command(m_inv), m_inv, m_ctx.log);
    }
    m_plan = std::move(*p);
    if (!m_plan.distribute) {
      return run_local(std::string(plan::reason_name(m_plan.reason)) + " (" +
                       m_plan.reason_text + ")");
    }
    return distribute();
  }

 private:
  int fail(llvm::Error e) const {
    ErrorSummary s = summarize(std::move(e));
    m_ctx.log.error(s.message);
    return to_int(s.code);
  }

  std::string input_name() const {
    return m_plan.input.empty() ? std::string("(no input)") : m_plan.input;
  }

  int run_local(const std::string& why) {
    m_ctx.log.debug("job " + input_name() + " -> local: " + why);
    const auto& argv = m_plan.local_argv.empty() ? original_command(m_inv) : m_plan.local_argv;
    return exec_local(argv, m_inv, m_ctx.log);
  }

  // Distribution failed for a reason that is no fault of the code.
  int fall_back(const std::string& where, const std::string& why, ExitCode code) {
    if (!m_settings.fallback) {
      m_ctx.log.error("failed to distribute " + input_name() + " to " + where + ": " + why +
                      " (local fallback disabled by FERRY_FALLBACK=0)");
      return to_int(code);
    }
    m_ctx.log.notice(where + ": " + why + "; compiling " + input_name() +
                     " locally");
    return run_local("fallback: " + where + ": " + why);
  }

  int distribute() {
    auto source = hosts::find_host_list();
    if (!source) {
      return fall_back("no hosts", "no host list is set (FERRY_HOSTS)", ExitCode::NoHosts);
    }
    auto list = hosts::parse_host_list(source->text);
    if (!list) {
      ErrorSummary s = summarize(list.takeError());
      m_ctx.log.error(source->origin + ": " + s.message);
      return to_int(s.code);
    }
    const hosts::Host* host = nullptr;
    for (const auto& h : list->hosts) {
      if (!h.down) {
        host = &h;
        break;
      }
    }
    if (host == nullptr) {
      return fall_back("no hosts", source->origin + " lists no usable host", ExitCode::NoHosts);
    }
    if (host->kind == hosts::HostKind::Local) {
      return run_local("localhost is first in " + source->origin);
    }
    return compile_on(*host);
  }

  int compile_on(const hosts::Host& host) {
    std::string where = host.display();
    auto result = compile_remotely(m_plan, host, m_settings);
    if (!result) {
      ErrorSummary s = summarize(result.takeError());
      return fall_back(where, s.message, s.code);
    }
    if (result->cpp_failed) {
      // The code does not preprocess: the local compile says why, exactly.
      return run_local("preprocessor failed");
    }
    const proto::Response& r = result->response;
    int code = exec::exit_code_of(static_cast<int>(r.status));
    if (code == kRemoteCompilerMissing) {
      return fall_back(where, "the host cannot run '" + m_plan.remote_argv[0] + "'",
                       ExitCode::CompilerMissing);
    }
    std::string job_line = "job " + input_name() + " -> " + where + " (protocol " +
                           std::to_string(host.protocol()) + "): ";
    std::string traffic = " sent=" + std::to_string(result->bytes_sent) +
                          " received=" + std::to_string(result->bytes_received);
    if (r.status != 0 && m_settings.local_retry) {
      // Not a host failure: no notice, no backoff. The local run prints the
      // diagnostics exactly (with source excerpts) and gives the status.
      m_ctx.log.debug(job_line + "status " + std::to_string(code) + traffic +
                      "; recompiling locally for exact diagnostics");
      return run_local("retry after remote status " + std::to_string(code));
    }
    write_all(STDERR_FILENO, result->cpp_stderr);
    if (r.status == 0) {
      if (auto e = write_output(m_plan.object, r.object)) {
        return fail(std::move(e));
      }
    }
    write_all(STDERR_FILENO, r.stderr_text);
    write_all(STDOUT_FILENO, r.stdout_text);
    m_ctx.log.debug(job_line +
                    (r.status == 0 ? std::string("ok") : "status " + std::to_string(code)) +
                    traffic);
    return code;
  }

  const Invocation& m_inv;
  const ClientContext& m_ctx;
  ClientSettings m_settings;
  plan::Plan m_plan;
};

}  // namespace

int run_client(const Invocation& inv, const ClientContext& ctx) { return Job(inv, ctx).run(); }

int print_plan(const Invocation& inv, const ClientContext& ctx) {
  auto loaded = plugin::load_for_compiler(
      plugin::plugin_dirs(ctx.self_exe, std::getenv("FERRY_PLUGIN_PATH")),
      inv.compiler_basename);
  if (!loaded) {
    ErrorSummary s = summarize(loaded.takeError());
    ctx.log.error(s.message);
    return to_int(s.code);
  }
  const char* strategy = std::getenv("FERRY_STRATEGY");
  auto p = make_plan((*loaded)->table(), inv, strategy ? strategy : "");
  if (!p) {
    ErrorSummary s = summarize(p.takeError());
    ctx.log.error(s.message);
    return to_int(s.code);
  }
  std::string text = "plugin: " + std::string((*loaded)->table().name) + " (" +
                     (*loaded)->path() + ")\n" + plan::format_plan(*p);
  write_all(STDOUT_FILENO, text);
  return 0;
}

}  // namespace ferry::client
