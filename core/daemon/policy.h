// The daemon policy (the [daemon] keys of /etc/ferry/policy.toml and
// /etc/ferry/ferryd.toml, see docs/policy.md) applied to ferryd.
//
// Flags win: a value from the files is used only where the matching flag
// was not given. Keys without a flag (allowed compilers and where they
// resolve, the job directory root, the request size limit) go into
// DaemonPolicy, which the job checks use.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <llvm/Support/Error.h>

#include "config/config.h"
#include "config/layers.h"

namespace ferry::daemon {

struct DaemonOptions;
struct CompilerChoice;

struct DaemonPolicy {
  // Empty: every name some plugin claims (and compiler_paths' names).
  std::vector<std::string> allowed_compilers;
  std::string allowed_origin;  // "FILE:LINE:COLUMN" for refusals
  std::vector<std::pair<std::string, std::string>> compiler_paths;  // name, absolute path
  std::string tmpdir;                       // "" = $TMPDIR
  std::optional<uint64_t> max_request_size;  // bytes
  // Values for options another part of ferryd owns (--nice, --user,
  // --job-lifetime, --job-memory, --request-timeout, --stats, --stats-port):
  // read and checked here; see apply_daemon_policy for which are applied.
  int nice = 5;
  std::string user;
  double job_lifetime = 0;  // seconds, 0 = unlimited
  uint64_t job_memory = 0;  // bytes, 0 = none
  double request_timeout = 600;
  bool stats = false;
  uint16_t stats_port = 3633;
};

// ferryd's flags as the configuration's command-line layer (for
// `ferryd --show-config`): each flag that sets a daemon.* key, with its
// value converted to the key's unit (--job-memory MiB -> bytes), repeated
// flags (--allow) gathered into one list.
std::vector<config::FlagValue> flag_values(const DaemonOptions& options);

// Fills options from the configuration where options.given lacks the flag,
// or where the site policy enforces the key (its flag is then ignored, as
// `ferryd --show-config` says),
// and returns the rest as a DaemonPolicy. BadArguments "FILE:L:C: ..." for
// a value the daemon cannot use (a network that does not parse).
llvm::Expected<DaemonPolicy> apply_daemon_policy(const config::Config& c, DaemonOptions& options);

// After choose_compiler(): refuses a name outside allowed_compilers and
// points a name listed in compiler_paths at its configured executable.
// AccessDenied with the policy's file and line on refusal.
llvm::Error apply_compiler_policy(const DaemonPolicy& policy, CompilerChoice& choice);

}  // namespace ferry::daemon
