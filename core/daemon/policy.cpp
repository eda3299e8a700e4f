#include "daemon/policy.h"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>

#include "daemon/compiler_policy.h"
#include "daemon/options.h"
#include "net/acl.h"
#include "util/error.h"

namespace ferry::daemon {
namespace {

bool given(const DaemonOptions& o, const char* flag) {
  return std::find(o.given.begin(), o.given.end(), flag) != o.given.end();
}

bool from_files(const config::Config& c, const char* key) { return c.is_set(key); }

// The options issue #6 adds to ferryd (--user, --nice, ...) are applied
// only if DaemonOptions has them: written against the option names, this
// takes effect when they land and compiles before, without either change
// waiting for the other.
template <typename Options>
void apply_hardening_options(const config::Config& c, const DaemonPolicy& p, Options& o) {
  auto wanted = [&](const char* key, const char* flag) {
    return from_files(c, key) && !given(o, flag);
  };
  if constexpr (requires { o.user = p.user; }) {
    if (wanted("daemon.user", "--user")) {
      o.user = p.user;
    }
  }
  if constexpr (requires { o.nice = p.nice; }) {
    if (wanted("daemon.nice", "--nice")) {
      o.nice = p.nice;
    }
  }
  if constexpr (requires { o.job_lifetime; }) {
    if (wanted("daemon.job_lifetime", "--job-lifetime")) {
      o.job_lifetime = static_cast<decltype(o.job_lifetime)>(p.job_lifetime);
    }
  }
  if constexpr (requires { o.job_memory_mib; }) {
    if (wanted("daemon.job_memory", "--job-memory")) {
      o.job_memory_mib = static_cast<decltype(o.job_memory_mib)>(p.job_memory >> 20);
    }
  }
  if constexpr (requires { o.request_timeout; }) {
    if (wanted("daemon.request_timeout", "--request-timeout")) {
      o.request_timeout = static_cast<decltype(o.request_timeout)>(p.request_timeout);
    }
  }
  if constexpr (requires { o.stats = p.stats; }) {
    if (wanted("daemon.stats", "--stats")) {
      o.stats = p.stats;
    }
  }
  if constexpr (requires { o.stats_port = p.stats_port; }) {
    if (wanted("daemon.stats_port", "--stats-port")) {
      o.stats_port = p.stats_port;
    }
  }
}

}  // namespace

llvm::Expected<DaemonPolicy> apply_daemon_policy(const config::Config& c, DaemonOptions& o) {
  if (from_files(c, "daemon.port") && !given(o, "--port")) {
    o.port = static_cast<uint16_t>(c.get_int("daemon.port"));
  }
  if (from_files(c, "daemon.listen") && !given(o, "--listen")) {
    o.listen = c.get_string("daemon.listen");
  }
  if (from_files(c, "daemon.jobs") && !given(o, "--jobs")) {
    o.jobs = static_cast<unsigned>(c.get_int("daemon.jobs"));
  }
  if (from_files(c, "daemon.log_file") && !given(o, "--log-file")) {
    o.log_file = c.get_string("daemon.log_file");
  }
  if (!given(o, "--plugin-path")) {
    for (const config::Item& dir : c.get_items("daemon.plugin_path")) {
      o.plugin_path.push_back(dir.value);
    }
  }
  if (!given(o, "--allow")) {
    for (const config::Item& net : c.get_items("daemon.allow")) {
      auto rule = net::parse_allow_rule(net.value);
      if (!rule) {  // the loader validated it; this is belt and braces
        return config::Config::error_at(net.origin, "daemon.allow",
                                        summarize(rule.takeError()).message);
      }
      o.allow.push_back(*rule);
    }
  }
  DaemonPolicy p;
  for (const config::Item& name : c.get_items("daemon.allowed_compilers")) {
    p.allowed_compilers.push_back(name.value);
  }
  p.allowed_origin = c.setting("daemon.allowed_compilers").origin.where();
  for (const config::Item& entry : c.get_items("daemon.compiler_paths")) {
    p.compiler_paths.emplace_back(entry.key, entry.value);
  }
  p.tmpdir = c.get_string("daemon.tmpdir");
  if (from_files(c, "daemon.max_request_size")) {
    p.max_request_size = static_cast<uint64_t>(c.get_int("daemon.max_request_size"));
  }
  p.nice = static_cast<int>(c.get_int("daemon.nice"));
  p.user = c.get_string("daemon.user");
  p.job_lifetime = c.get_seconds("daemon.job_lifetime");
  p.job_memory = static_cast<uint64_t>(c.get_int("daemon.job_memory"));
  p.request_timeout = c.get_seconds("daemon.request_timeout");
  p.stats = c.get_bool("daemon.stats");
  p.stats_port = static_cast<uint16_t>(c.get_int("daemon.stats_port"));
  apply_hardening_options(c, p, o);
  return p;
}

llvm::Error apply_compiler_policy(const DaemonPolicy& policy, CompilerChoice& choice) {
  auto path = std::find_if(policy.compiler_paths.begin(), policy.compiler_paths.end(),
                           [&](const auto& entry) { return entry.first == choice.name; });
  bool listed = std::find(policy.allowed_compilers.begin(), policy.allowed_compilers.end(),
                          choice.name) != policy.allowed_compilers.end();
  if (!policy.allowed_compilers.empty() && !listed && path == policy.compiler_paths.end()) {
    return make_error(ExitCode::AccessDenied,
                      "compiler '" + choice.name +
                          "' is not allowed by the daemon policy (daemon.allowed_compilers at " +
                          policy.allowed_origin + ")");
  }
  if (path != policy.compiler_paths.end()) {
    struct stat st{};
    if (::stat(path->second.c_str(), &st) != 0 || !S_ISREG(st.st_mode) ||
        ::access(path->second.c_str(), X_OK) != 0) {
      return make_error(ExitCode::AccessDenied,
                        "compiler '" + choice.name + "' resolves to '" + path->second +
                            "' (daemon.compiler_paths), which is not an executable file");
    }
    choice.path = path->second;
  }
  return llvm::Error::success();
}

}  // namespace ferry::daemon
