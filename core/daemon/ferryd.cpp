#include "daemon/ferryd.h"

#include <unistd.h>

#include <algorithm>

#include "daemon/compile_run.h"
#include "daemon/compiler_policy.h"
#include "daemon/job_dir.h"
#include "daemon/plugin_set.h"
#include "daemon/privileges.h"
#include "daemon/server.h"
#include "daemon/state_files.h"
#include "identify/identity_cache.h"
#include "identify/probe.h"
#include "util/error.h"

namespace ferry::daemon {
namespace {

// Where log lines go: --log-stderr, else --log-file, else stderr for a
// foreground TCP daemon, else nowhere. An inetd job never logs to stderr
// by default: over SSH that would reach the user's terminal.
llvm::Expected<DaemonLog> open_log(const DaemonOptions& o, Mode mode) {
  if (o.log_stderr) {
    return DaemonLog::to_fd(STDERR_FILENO, o.verbose);
  }
  if (!o.log_file.empty()) {
    return DaemonLog::open_file(o.log_file, o.verbose);
  }
  if (mode == Mode::Daemon && !o.detach) {
    return DaemonLog::to_fd(STDERR_FILENO, o.verbose);
  }
  return DaemonLog();
}

std::string joined(const std::vector<std::string>& v) {
  std::string out;
  for (const std::string& s : v) {
    out += out.empty() ? "" : ":";
    out += s;
  }
  return out;
}

}  // namespace

llvm::Error run_ferryd(DaemonOptions options) {
  // The daemon changes to "/" when it detaches; pin every path first.
  options.pid_file = absolute_path(options.pid_file);
  options.port_file = absolute_path(options.port_file);
  options.log_file = absolute_path(options.log_file);
  options.stats_port_file = absolute_path(options.stats_port_file);
  for (std::string& dir : options.plugin_path) {
    dir = absolute_path(dir);
  }
  Mode mode = effective_mode(options);
  auto log = open_log(options, mode);
  if (!log) {
    return log.takeError();
  }
  auto timeout = io_timeout_from_env();
  if (!timeout) {
    return timeout.takeError();
  }
  std::vector<std::string> dirs = daemon_plugin_dirs(options.plugin_path);
  PluginSet plugins = PluginSet::load(dirs, *log);
  if (plugins.size() == 0) {
    return make_error(ExitCode::CompilerMissing,
                      "no compiler plugin could be loaded (searched: " +
                          joined(dirs) + ")");
  }
  JobConfig job;
  job.plugins = &plugins;
  job.allow = effective_allow(options);
  job.search_path = compiler_search_path();
  job.compiler_env = compiler_environment();
  job.tmpdir = absolute_path(options.policy.tmpdir.empty() ? temp_root()
                                                            : options.policy.tmpdir);
  job.io_timeout = *timeout;
  job.request_timeout = std::chrono::seconds(options.request_timeout);
  job.job_lifetime = std::chrono::seconds(options.job_lifetime);
  job.job_memory_bytes = options.job_memory_mib << 20;
  auto user = resolve_job_user(options.user);
  if (!user) {
    return user.takeError();
  }
  if (llvm::Error err = prepare_tmpdir(*user, job.tmpdir)) {
    return err;
  }
  if (llvm::Error err = check_tmpdir_usable(*user, job.tmpdir)) {
    return err;
  }
  job.policy = &options.policy;
  // The same probe rules as a client's (the manifests teach it compilers),
  // so both sides name a compiler alike.
  auto manifests = plugin::scan(dirs);
  job.probe_rules = identify::probe_rules(manifests ? *manifests : std::vector<plugin::Manifest>{});
  if (!manifests) {
    llvm::consumeError(manifests.takeError());
  }
  job.identity_cache_dir = identify::default_cache_dir();
  if (options.policy.max_request_size) {
    uint64_t max = *options.policy.max_request_size;
    job.limits.max_total = max;
    job.limits.max_body = static_cast<uint32_t>(std::min<uint64_t>(job.limits.max_body, max));
  }
  log->debug("plugins: " + plugins.names() + "; compilers from " + job.search_path +
             "; job dirs in " + job.tmpdir);
  if (mode == Mode::Inetd) {
    return serve_inetd(job, *user, options.nice, *log);
  }
  return run_server(options, job, *user, *log);
}

}  // namespace ferry::daemon
