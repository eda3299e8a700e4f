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

bool flag_given(const DaemonOptions& o, const char* flag) {
  return std::find(o.given.begin(), o.given.end(), flag) != o.given.end();
}

// A flag overrides the files unless the site policy enforces its key.
bool given(const config::Config& c, const DaemonOptions& o, const char* flag, const char* key) {
  return flag_given(o, flag) && !c.setting(key).enforced_by;
}

struct FlagKey {
  const char* flag;
  const char* key;
  enum Kind { Int, MiB, String, List, True } kind;
};

// Flags that set a daemon.* key (the others, --port-file, --pid-file,
// --log-stderr, ..., have no key).
constexpr FlagKey kFlagKeys[] = {
    {"--port", "daemon.port", FlagKey::Int},
    {"--listen", "daemon.listen", FlagKey::String},
    {"--allow", "daemon.allow", FlagKey::List},
    {"--jobs", "daemon.jobs", FlagKey::Int},
    {"--log-file", "daemon.log_file", FlagKey::String},
    {"--plugin-path", "daemon.plugin_path", FlagKey::List},
    {"--user", "daemon.user", FlagKey::String},
    {"--nice", "daemon.nice", FlagKey::Int},
    {"--job-lifetime", "daemon.job_lifetime", FlagKey::Int},
    {"--job-memory", "daemon.job_memory", FlagKey::MiB},
    {"--request-timeout", "daemon.request_timeout", FlagKey::Int},
    {"--stats", "daemon.stats", FlagKey::True},
    {"--stats-port", "daemon.stats_port", FlagKey::Int},
};

config::RawValue raw_of(FlagKey::Kind kind, const std::string& text) {
  config::RawValue v;
  switch (kind) {
    case FlagKey::Int:
    case FlagKey::MiB:
      v.kind = config::RawValue::Kind::Int;
      // parse_options checked the digits and the range already.
      v.i = std::stoll(text);
      if (kind == FlagKey::MiB) {
        v.i *= int64_t{1} << 20;
      }
      break;
    case FlagKey::True:
      v.kind = config::RawValue::Kind::Bool;
      v.b = true;
      break;
    case FlagKey::String:
    case FlagKey::List:
      v.kind = config::RawValue::Kind::String;
      v.s = text;
      break;
  }
  return v;
}

bool from_files(const config::Config& c, const char* key) { return c.is_set(key); }

// The options issue #6 adds to ferryd (--user, --nice, ...) are applied
// only if DaemonOptions has them: written against the option names, this
// takes effect when they land and compiles before, without either change
// waiting for the other.
template <typename Options>
void apply_hardening_options(const config::Config& c, const DaemonPolicy& p, Options& o) {
  auto wanted = [&](const char* key, const char* flag) {
    return from_files(c, key) && !given(c, o, flag, key);
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

std::vector<config::FlagValue> flag_values(const DaemonOptions& options) {
  std::vector<config::FlagValue> out;
  for (const FlagKey& fk : kFlagKeys) {
    config::FlagValue f{fk.key, {}, {}};
    if (fk.kind == FlagKey::List) {
      f.value.kind = config::RawValue::Kind::Array;
    }
    bool seen = false;
    for (const auto& [flag, text] : options.given_values) {
      if (flag != fk.flag) {
        continue;
      }
      seen = true;
      f.flag += (f.flag.empty() ? "" : " ") + flag + (text.empty() ? "" : " " + text);
      if (fk.kind == FlagKey::List) {
        f.value.children.push_back({{}, 0, 0, raw_of(fk.kind, text)});
      } else {
        f.value = raw_of(fk.kind, text);  // the last one wins, as in parse_options
      }
    }
    if (seen) {
      out.push_back(std::move(f));
    }
  }
  // --stats-port asks for statistics too (parse_options sets stats).
  bool stats_flag = false;
  for (const auto& [flag, text] : options.given_values) {
    stats_flag = stats_flag || flag == "--stats";
  }
  for (const auto& [flag, text] : options.given_values) {
    if (flag == "--stats-port" && !stats_flag) {
      out.push_back({"daemon.stats", raw_of(FlagKey::True, ""), flag + " " + text});
      break;
    }
  }
  return out;
}

llvm::Expected<DaemonPolicy> apply_daemon_policy(const config::Config& c, DaemonOptions& o) {
  if (from_files(c, "daemon.port") && !given(c, o, "--port", "daemon.port")) {
    o.port = static_cast<uint16_t>(c.get_int("daemon.port"));
  }
  if (from_files(c, "daemon.listen") && !given(c, o, "--listen", "daemon.listen")) {
    o.listen = c.get_string("daemon.listen");
  }
  if (from_files(c, "daemon.jobs") && !given(c, o, "--jobs", "daemon.jobs")) {
    o.jobs = static_cast<unsigned>(c.get_int("daemon.jobs"));
  }
  if (from_files(c, "daemon.log_file") && !given(c, o, "--log-file", "daemon.log_file")) {
    o.log_file = c.get_string("daemon.log_file");
  }
  if (!given(c, o, "--plugin-path", "daemon.plugin_path")) {
    if (flag_given(o, "--plugin-path")) {
      o.plugin_path.clear();  // enforced: the site's list, not the flags'
    }
    for (const config::Item& dir : c.get_items("daemon.plugin_path")) {
      o.plugin_path.push_back(dir.value);
    }
  }
  if (!given(c, o, "--allow", "daemon.allow")) {
    if (flag_given(o, "--allow")) {
      o.allow.clear();  // enforced: the site's networks, not the flags'
    }
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
