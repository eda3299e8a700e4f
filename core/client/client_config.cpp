#include "client/client_config.h"

#include <unistd.h>

#include <cmath>
#include <cstdlib>
#include <cstring>

#include "config/client_policy.h"
#include "config/layers.h"
#include "util/error.h"

namespace ferry::client {
namespace {

const char* real_getenv(const char* name) { return std::getenv(name); }

std::string cwd_or_empty() {
  std::string buf(4096, '\0');
  if (::getcwd(buf.data(), buf.size()) == nullptr) {
    return {};  // no project layer then
  }
  buf.resize(std::strlen(buf.c_str()));
  return buf;
}

}  // namespace

ProcessConfig load_process_config(const std::vector<std::string>& sets) {
  ProcessConfig pc;
  auto c = config::load_client_config({cwd_or_empty(), sets, real_getenv});
  if (!c) {
    pc.error = summarize(c.takeError()).message;
  } else {
    pc.config = std::move(*c);
  }
  return pc;
}

Logger make_logger(const ProcessConfig& pc, std::string program) {
  if (!pc.config) {
    return Logger::from_env(std::move(program));
  }
  const config::Config& c = *pc.config;
  return Logger::from_settings(std::move(program), c.get_string("log.file"),
                               c.get_bool("log.verbose"), c.get_bool("log.quiet"));
}

llvm::Expected<ClientSettings> settings_from_config(const config::Config& c) {
  auto s = settings_from_env();
  if (!s) {
    return s.takeError();
  }
  s->connect_timeout = c.get_duration("client.connect_timeout");
  s->io_timeout = c.get_duration("client.io_timeout");
  s->fallback = c.get_bool("client.fallback");
  if (c.is_set("client.backoff_period")) {
    s->backoff_period = std::chrono::seconds(std::llround(c.get_seconds("client.backoff_period")));
  }
  // DISTCC_SKIP_LOCAL_RETRY (any value: skip) is read by settings_from_env;
  // a configured value or FERRY_LOCAL_RETRY overrides it.
  if (c.is_set("client.local_retry")) {
    s->local_retry = c.get_bool("client.local_retry");
  }
  s->strategy = c.get_string("client.strategy");
  s->require_identity = c.get_bool("remote.require_identity");
  return s;
}

std::optional<hosts::HostListSource> host_list_source(const config::Config& c) {
  if (auto chosen = config::chosen_host_list(c)) {
    return hosts::HostListSource{chosen->text, chosen->origin};
  }
  return hosts::find_host_list();
}

llvm::Expected<std::unique_ptr<plugin::LoadedPlugin>> load_plugin_for(
    const config::Config& c, const std::vector<std::string>& dirs,
    const std::string& compiler_basename) {
  const config::Item* mapped = config::plugin_for(c, compiler_basename);
  if (mapped == nullptr) {
    return plugin::load_for_compiler(dirs, compiler_basename);
  }
  auto manifests = plugin::scan(dirs);
  if (!manifests) {
    return manifests.takeError();
  }
  for (const plugin::Manifest& m : *manifests) {
    if (m.name == mapped->value) {
      return plugin::LoadedPlugin::load(m.module_path);
    }
  }
  return make_error(ExitCode::CompilerMissing,
                    "compilers." + compiler_basename + " = \"" + mapped->value + "\" (" +
                        mapped->origin.where() + "): no plugin named '" + mapped->value +
                        "' is installed");
}

void apply_policy(const config::Config& c, const std::string& compiler_basename,
                  const std::vector<std::string>& args, const std::string& cwd,
                  plan::Plan& plan) {
  // A matching rule is reported even when the plugin keeps the job local
  // anyway: the run path checks the rules before loading a plugin at all,
  // and --plan must say what the run would.
  if (auto why = config::force_local_reason(c, compiler_basename, args, plan.input, cwd)) {
    plan.distribute = false;
    plan.reason = FERRY_REASON_NONE;
    plan.reason_text = "site policy: " + *why;
    return;
  }
  if (!plan.distribute) {
    return;
  }
  if (const config::Item* name = config::remote_name_for(c, compiler_basename)) {
    if (!plan.remote_argv.empty()) {
      plan.remote_argv[0] = name->value;
    }
  }
}

std::optional<std::string> early_local_reason(const config::Config& c,
                                              const std::string& compiler_basename) {
  // No arguments and no source: only the compiler rules can match.
  auto why = config::force_local_reason(c, compiler_basename, {}, "", "");
  if (why) {
    return "site policy: " + *why;
  }
  return std::nullopt;
}

}  // namespace ferry::client
