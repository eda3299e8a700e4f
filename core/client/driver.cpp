#include "client/driver.h"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <optional>
#include <set>

#include "client/identity_check.h"
#include "client/output_file.h"
#include "client/remote_compile.h"
#include "client/scheduler.h"
#include "client/settings.h"
#include "config/client_policy.h"
#include "exec/spawn.h"
#include "hosts/host_order.h"
#include "hosts/host_spec.h"
#include "identify/choose.h"
#include "plan/plan.h"
#include "plugin/loader.h"
#include "state/backoff.h"
#include "state/job_state.h"
#include "state/state_dir.h"
#include "util/error.h"

namespace ferry::client {
namespace {

constexpr const char* kSafeguardVar = "_FERRY_SAFEGUARD";
// A remote status that means "the host could not run the compiler", not
// "the code does not compile" (distccd's EXIT_COMPILER_MISSING).
constexpr int kRemoteCompilerMissing = 110;
constexpr int kSweepEvery = 32;

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

// The compiler's plugin: by the site mapping, a probe of an ambiguous
// name, or the manifests' name globs (core/identify).
// Which plugin: the policy's [compilers] mapping first (the site's word is
// final), else identification (FERRY_COMPILER_MAP, name globs, a cached probe).
llvm::Expected<std::unique_ptr<plugin::LoadedPlugin>> load_plugin(const Invocation& inv,
                                                                  const ClientContext& ctx,
                                                                  const config::Config* cfg) {
  auto dirs = plugin::plugin_dirs(ctx.self_exe, std::getenv("FERRY_PLUGIN_PATH"));
  if (cfg != nullptr && config::plugin_for(*cfg, inv.compiler_basename) != nullptr) {
    return load_plugin_for(*cfg, dirs, inv.compiler_basename);
  }
  auto options = identify::options_from_env();
  if (!options) {
    return options.takeError();
  }
  return identify::load_for_compiler(dirs, inv.compiler, inv.compiler_basename, *options);
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

// The host list in use and where it came from; the list is empty (and
// `error` set) when none is configured or it does not parse.
struct HostsInUse {
  hosts::HostList list;
  std::string origin;
  bool configured = false;
  std::optional<ErrorSummary> error;
};

// hosts.group / hosts.list from the configuration when a layer set one,
// else the environment and the hosts files.
HostsInUse load_hosts(const config::Config* cfg) {
  HostsInUse h;
  auto source = cfg != nullptr ? host_list_source(*cfg) : hosts::find_host_list();
  if (!source) {
    return h;
  }
  h.configured = true;
  h.origin = source->origin;
  auto list = hosts::parse_host_list(source->text);
  if (!list) {
    h.error = summarize(list.takeError());
    return h;
  }
  h.list = std::move(*list);
  if (h.list.randomize) {
    // As distcc: spread many clients' first picks; seeded per process.
    hosts::shuffle_hosts(h.list, hosts::process_seed());
  }
  return h;
}

bool only_this_machine(const HostsInUse& h) {
  return h.configured && !h.error && !h.list.hosts.empty() &&
         std::all_of(h.list.hosts.begin(), h.list.hosts.end(),
                     [](const hosts::Host& host) { return host.kind == hosts::HostKind::Local; });
}

class Job {
 public:
  Job(const Invocation& inv, const ClientContext& ctx) : m_inv(inv), m_ctx(ctx) {}

  int run() {
    if (m_ctx.config != nullptr && m_ctx.config->config) {
      m_cfg = &*m_ctx.config->config;
    }
    auto settings = m_cfg != nullptr ? settings_from_config(*m_cfg) : settings_from_env();
    if (!settings) {
      return fail(settings.takeError());
    }
    m_settings = *settings;
    if (m_inv.safeguard_level > 0) {
      // ferry started by ferry: through a trimmed masquerade PATH that is
      // harmless, so compile here (without locks: our parent holds one);
      // explicitly it would loop for ever.
      if (m_inv.masquerade || m_inv.new_path) {
        return exec_local(original_command(m_inv), m_inv, m_ctx.log);
      }
      m_ctx.log.error("ferry seems to have invoked itself recursively (" +
                      std::string(kSafeguardVar) + "=" +
                      std::to_string(m_inv.safeguard_level) + ")");
      return to_int(ExitCode::Recursion);
    }
    if (m_ctx.config != nullptr && m_cfg == nullptr) {
      // A broken configuration file must not break the build.
      m_ctx.log.warn(m_ctx.config->error + "; compiling locally");
      return exec_local(original_command(m_inv), m_inv, m_ctx.log);
    }
    if (m_cfg != nullptr) {
      for (const std::string& n : m_cfg->notices()) {
        m_ctx.log.notice(n);
      }
      // A compiler kept local by policy needs no plugin: skip loading one.
      if (auto why = early_local_reason(*m_cfg, m_inv.compiler_basename)) {
        m_hosts = load_hosts(m_cfg);  // the local slot limits
        open_state();
        return run_local(*why, kLocalPool);
      }
    }
    m_hosts = load_hosts(m_cfg);
    if (only_this_machine(m_hosts)) {
      // Every listed host is this machine (FERRY_HOSTS=localhost: distcc's way to switch
      // distribution off): the job runs here whatever the plugin would decide, so no plugin
      // is loaded; its dlopen is the larger part of a ferry start. The job takes a localhost
      // slot like a distributable one (docs/hosts.md).
      m_planned = false;
      open_state();
      return distribute();
    }
    auto loaded = load_plugin(m_inv, m_ctx, m_cfg);
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
    open_state();
    if (m_cfg != nullptr) {
      apply_policy(*m_cfg, m_inv.compiler_basename, m_inv.args, current_dir(), m_plan);
    }
    if (!m_plan.distribute) {
      const char* pool = m_plan.reason == FERRY_REASON_PREPROCESS_ONLY ? kCppPool : kLocalPool;
      // FERRY_REASON_NONE: not the plugin's verdict but site policy, whose
      // text names the rule and its file.
      return run_local(m_plan.reason == FERRY_REASON_NONE
                           ? m_plan.reason_text
                           : std::string(plan::reason_name(m_plan.reason)) + " (" +
                                 m_plan.reason_text + ")",
                       pool);
    }
    return distribute();
  }

 private:
  int fail(llvm::Error e) const {
    ErrorSummary s = summarize(std::move(e));
    m_ctx.log.error(s.message);
    return to_int(s.code);
  }

  std::string fallback_origin() const {
    if (m_cfg == nullptr) {
      return "FERRY_FALLBACK=0";
    }
    const config::Origin& o = m_cfg->setting("client.fallback").origin;
    return o.layer == config::Layer::Env ? o.source + "=0" : "client.fallback at " + o.where();
  }

  std::string input_name() const {
    if (!m_planned) {
      return "(" + m_inv.compiler_basename + " command, not analysed)";
    }
    return m_plan.input.empty() ? std::string("(no input)") : m_plan.input;
  }

  // Locks, backoff marks and job files need the state directory; without
  // it ferry still compiles, just without coordination.
  void open_state() {
    auto dir = state::open_state_dir(m_settings.state_root);
    if (!dir) {
      m_ctx.log.warn(summarize(dir.takeError()).message +
                     "; running without slot limits or backoff");
      return;
    }
    m_lock_dir = dir->lock_dir();
    m_job_dir = dir->job_dir();
    // A killed ferry leaves its job file behind; one process in kSweepEvery
    // removes those of finished processes, so they cannot pile up when nobody
    // runs the monitor, at a negligible average cost.
    if (::getpid() % kSweepEvery == 0) {
      state::list_jobs(dir->job_dir(), /*remove_stale=*/true);
    }
  }

  void report(const std::string& where, const char* phase) { m_job_file.update(where, phase); }

  // Runs the compiler here in a local slot (unless `slot` is one already).
  int run_local(const std::string& why, const char* pool,
                state::SlotLock slot = state::SlotLock()) {
    m_ctx.log.debug("job " + input_name() + " -> local: " + why);
    if (!slot.held()) {
      int slots = pool == kCppPool ? m_hosts.list.local_slots_cpp : m_hosts.list.local_slots;
      slot = take_local_slot(m_lock_dir, pool, slots, m_settings.io_timeout, m_ctx.log);
    }
    slot.keep_across_exec();
    // The compiler replaces us and could not remove the job file: the monitor
    // lists jobs while ferry handles them, local compiles are just compilers.
    m_job_file.remove();
    const auto& argv = m_plan.local_argv.empty() ? original_command(m_inv) : m_plan.local_argv;
    return exec_local(argv, m_inv, m_ctx.log);
  }

  // Distribution failed for a reason that is no fault of the code.
  int fall_back(const std::string& why, ExitCode code) {
    if (!m_settings.fallback) {
      m_ctx.log.error("failed to distribute " + input_name() + ": " + why +
                      " (local fallback disabled by " + fallback_origin() + ")");
      return to_int(code);
    }
    m_ctx.log.notice(why + "; compiling " + input_name() + " locally");
    return run_local("fallback: " + why, kLocalPool);
  }

  int distribute() {
    if (m_hosts.error) {
      m_ctx.log.error(m_hosts.origin + ": " + m_hosts.error->message);
      return to_int(m_hosts.error->code);
    }
    if (!m_hosts.configured) {
      return fall_back("no host list is set (FERRY_HOSTS, $FERRY_DIR/hosts)", ExitCode::NoHosts);
    }
    const auto& list = m_hosts.list.hosts;
    if (list.empty()) {
      return fall_back(m_hosts.origin + " lists no hosts", ExitCode::NoHosts);
    }
    if (!m_job_dir.empty()) {
      m_job_file = state::JobStateFile::create(m_job_dir, input_name());
    }
    std::set<size_t> tried;
    std::string failures;  // "HOST: why; HOST: why"
    // With fallback disabled, distcc 3.4 exits 116 after any transport failure
    // (it backs the host off and its next pick finds none), but 110 when a host
    // could not run the compiler (that ends its job at once).
    ExitCode no_host_code = ExitCode::NoHosts;
    if (m_settings.require_identity) {
      auto id = local_identity(m_inv.compiler, plugin::plugin_dirs(m_ctx.self_exe,
                                                                   std::getenv("FERRY_PLUGIN_PATH")));
      if (!id) {
        ErrorSummary s = summarize(id.takeError());
        return fall_back("remote.require_identity is on but " + s.message, s.code);
      }
      m_identity = *id;
      exclude_unproven_hosts(tried, failures);
    }
    Preprocessor cpp(m_plan, m_settings, [this] {
      return take_local_slot(m_lock_dir, kCppPool, m_hosts.list.local_slots_cpp,
                             m_settings.io_timeout, m_ctx.log);
    });
    while (true) {
      Candidates c = usable_hosts(list, tried, m_lock_dir, m_settings.backoff_period);
      if (c.hosts.empty()) {
        std::string why = failures;
        if (!c.skipped.empty()) {
          why += (why.empty() ? "" : "; ") + c.skipped + " after a failure";
        }
        if (why.empty()) {
          why = m_hosts.origin + " lists no usable host (all are ,down)";
        }
        return fall_back(why, no_host_code);
      }
      HostSlot slot;
      if (m_lock_dir.empty()) {
        slot.host = c.hosts.front();
      } else {
        report("", "wait");
        auto got = take_host_slot(list, c.hosts, m_lock_dir, m_settings.io_timeout);
        if (!got) {
          ErrorSummary s = summarize(got.takeError());
          return fall_back("no free host slot: " + s.message, s.code);
        }
        slot = std::move(*got);
      }
      const hosts::Host& host = list[slot.host];
      if (slot.waited.count() > 0 && host.kind != hosts::HostKind::Local &&
          state::backoff_left(m_lock_dir, host.lock_key(), m_settings.backoff_period) > 0) {
        // It failed for another job while we waited for its slot.
        tried.insert(slot.host);
        failures += (failures.empty() ? "" : "; ") + host.display() +
                    " backed off after a failure of another job";
        continue;
      }
      if (host.kind == hosts::HostKind::Local) {
        return run_local("localhost chosen from " + m_hosts.origin, kLocalPool,
                         std::move(slot.lock));
      }
      tried.insert(slot.host);
      auto outcome = compile_on(host, cpp);
      if (outcome.done) {
        return outcome.exit_code;
      }
      // A transport failure: this host is no good for now, for every job.
      std::string where = host.display();
      failures += (failures.empty() ? "" : "; ") + where + ": " + outcome.failure;
      if (outcome.failure_code == ExitCode::CompilerMissing) {
        no_host_code = ExitCode::CompilerMissing;
      }
      if (outcome.back_off && !m_lock_dir.empty() && m_settings.backoff_period.count() > 0) {
        state::mark_backoff(m_lock_dir, host.lock_key());
        m_ctx.log.debug("backing off " + where + " for " +
                        std::to_string(m_settings.backoff_period.count()) +
                        "s: " + outcome.failure);
      }
    }
  }

  // remote.require_identity: only a `,ferry` host can prove its compiler's
  // identity (per request); one that refused recently is skipped without
  // connecting. Both go into `tried` with the reason, so the fallback
  // notice names them.
  void exclude_unproven_hosts(std::set<size_t>& tried, std::string& failures) const {
    const auto& list = m_hosts.list.hosts;
    for (size_t i = 0; i < list.size(); ++i) {
      const hosts::Host& host = list[i];
      std::string why;
      if (host.kind == hosts::HostKind::Local || host.down) {
        continue;
      }
      if (!host.ferry) {
        why = "not marked ,ferry, so it cannot prove its compiler identity";
      } else if (auto theirs = remembered_mismatch(m_settings.state_root, host.lock_key(),
                                                   m_plan.remote_argv[0], m_identity)) {
        why = identity_mismatch_text(*theirs) + " (remembered)";
      } else {
        continue;
      }
      tried.insert(i);
      failures += (failures.empty() ? "" : "; ") + host.display() + ": " + why;
    }
  }

  std::string identity_mismatch_text(const std::string& theirs) const {
    if (theirs.empty()) {
      return "the host cannot identify its compiler '" + m_plan.remote_argv[0] +
             "' (local: '" + m_identity + "')";
    }
    return "compiler identity differs (host: '" + theirs + "', local: '" + m_identity + "')";
  }

  struct Outcome {
    bool done = false;  // exit_code is the job's result
    int exit_code = 0;
    std::string failure;  // otherwise: why this host failed
    ExitCode failure_code = ExitCode::DistccFailed;
    bool back_off = true;
  };

  Outcome compile_on(const hosts::Host& host, Preprocessor& cpp) {
    std::string where = host.display();
    auto result = compile_remotely(m_plan, host, m_settings, cpp,
                                   [&](const char* phase) { report(where, phase); },
                                   host.ferry ? m_identity : std::string());
    if (!result) {
      ErrorSummary s = summarize(result.takeError());
      m_ctx.log.debug("attempt " + input_name() + " -> " + where + ": failed: " + s.message);
      return {false, 0, s.message, s.code, true};
    }
    if (result->cpp_failed) {
      // The code does not preprocess: the local compile says why, exactly.
      return {true, run_local("preprocessor failed", kLocalPool), {}, {}, false};
    }
    const proto::Response& r = result->response;
    if (r.host_identity) {
      // Not a broken host, just another compiler: no backoff, and the
      // refusal is remembered so the next jobs do not send it sources.
      remember_mismatch(m_settings.state_root, host.lock_key(), m_plan.remote_argv[0],
                        m_identity, *r.host_identity);
      return {false, 0, identity_mismatch_text(*r.host_identity), ExitCode::NoHosts, false};
    }
    int code = exec::exit_code_of(static_cast<int>(r.status));
    if (code == kRemoteCompilerMissing) {
      // The host is fine, it just lacks this compiler: try another.
      return {false, 0, "the host cannot run '" + m_plan.remote_argv[0] + "'",
              ExitCode::CompilerMissing, false};
    }
    std::string job_line = "job " + input_name() + " -> " + where + " (protocol " +
                           std::to_string(host.protocol()) + "): ";
    std::string traffic = " sent=" + std::to_string(result->bytes_sent) +
                          " received=" + std::to_string(result->bytes_received);
    if (r.status != 0 && m_settings.local_retry) {
      // Not a host failure: no notice, no backoff. The local run prints the
      // diagnostics exactly (with source excerpts) and gives the status.
      m_ctx.log.debug(job_line + "status " + std::to_string(code) + traffic +
                      "; recompiling locally for exact diagnostics (FERRY_LOCAL_RETRY=1)");
      return {true, run_local("retry after remote status " + std::to_string(code), kLocalPool),
              {}, {}, false};
    }
    write_all(STDERR_FILENO, result->cpp_stderr);
    if (r.status == 0) {
      if (auto e = write_output(m_plan.object, r.object)) {
        return {true, fail(std::move(e)), {}, {}, false};
      }
    }
    write_all(STDERR_FILENO, r.stderr_text);
    write_all(STDOUT_FILENO, r.stdout_text);
    m_ctx.log.debug(job_line +
                    (r.status == 0 ? std::string("ok") : "status " + std::to_string(code)) +
                    traffic);
    return {true, code, {}, {}, false};
  }

  const Invocation& m_inv;
  const ClientContext& m_ctx;
  const config::Config* m_cfg = nullptr;
  ClientSettings m_settings;
  plan::Plan m_plan;
  bool m_planned = true;  // false: no plugin was asked (every host is this machine)
  HostsInUse m_hosts;
  std::string m_identity;  // the local compiler's, with remote.require_identity
  std::string m_lock_dir;  // empty: no state directory
  std::string m_job_dir;
  state::JobStateFile m_job_file;  // only while distributing
};

}  // namespace

int run_client(const Invocation& inv, const ClientContext& ctx) { return Job(inv, ctx).run(); }

int print_plan(const Invocation& inv, const ClientContext& ctx) {
  const config::Config* cfg = nullptr;
  if (ctx.config != nullptr) {
    if (!ctx.config->config) {
      ctx.log.error(ctx.config->error);
      return to_int(ExitCode::BadArguments);
    }
    cfg = &*ctx.config->config;
    for (const std::string& n : cfg->notices()) {
      ctx.log.notice(n);
    }
  }
  auto loaded = load_plugin(inv, ctx, cfg);
  if (!loaded) {
    ErrorSummary s = summarize(loaded.takeError());
    ctx.log.error(s.message);
    return to_int(s.code);
  }
  const char* env_strategy = std::getenv("FERRY_STRATEGY");
  std::string strategy = cfg != nullptr ? cfg->get_string("client.strategy")
                                        : std::string(env_strategy ? env_strategy : "");
  auto p = make_plan((*loaded)->table(), inv, strategy);
  if (!p) {
    ErrorSummary s = summarize(p.takeError());
    ctx.log.error(s.message);
    return to_int(s.code);
  }
  if (cfg != nullptr) {
    apply_policy(*cfg, inv.compiler_basename, inv.args, current_dir(), *p);
  }
  std::string text = "plugin: " + std::string((*loaded)->table().name) + " (" +
                     (*loaded)->path() + ")\n" + plan::format_plan(*p);
  write_all(STDOUT_FILENO, text);
  return 0;
}

}  // namespace ferry::client
