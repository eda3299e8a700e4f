// ferryd's command line, parsed by hand from a small table.
//
// The options are distccd's where they exist (same names, same defaults,
// same exit code 101 for a bad one), minus the ones that make a daemon less
// safe (--enable-tcp-insecure is accepted for distcc's SSH mode but changes
// nothing). Parsing is pure: no files are opened and nothing is started, so
// it is unit-tested with argv vectors.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include <llvm/Support/Error.h>

#include "daemon/policy.h"
#include "net/acl.h"

namespace ferry::daemon {

enum class Mode {
  Auto,    // neither --daemon nor --inetd: decided by whether stdin is a socket
  Daemon,  // listen on TCP and fork a child per connection
  Inetd,   // serve one job on stdin/stdout
};

struct DaemonOptions {
  Mode mode = Mode::Auto;
  bool detach = true;  // false with --no-detach
  uint16_t port = 3632;
  std::string port_file;  // empty: none
  std::string listen;     // empty: any address
  std::vector<net::AllowRule> allow;  // empty: loopback only (see effective_allow)
  unsigned jobs = 0;                  // 0: default_jobs()
  std::string pid_file;
  std::string log_file;
  bool log_stderr = false;
  bool verbose = false;
  std::vector<std::string> plugin_path;  // extra plugin directories, in order

  // Security and limits (see docs/ferryd.md, "Security model").
  std::string user;  // --user; empty: "ferryd" if it exists, else "nobody"
  int nice = 5;      // --nice: added to each job process's niceness (distccd: +5)
  unsigned job_lifetime = 0;   // --job-lifetime S: wall clock and CPU seconds; 0: none
  uint64_t job_memory_mib = 8192;  // --job-memory MIB: RLIMIT_AS of a compiler; 0: none
  unsigned request_timeout = 600;  // --request-timeout S: the whole request must arrive in S

  // Statistics over HTTP (distccd's --stats/--stats-port, plus /json).
  bool stats = false;
  uint16_t stats_port = 3633;
  std::string stats_port_file;  // empty: none

  bool help = false;
  bool version = false;
  std::string config_file;         // --config: the daemon policy ("" = default path)
  std::vector<std::string> given;  // the flags on the command line ("--port"), so
                                   // the policy files fill only the others
  // Each flag with its value as written ("--allow", "10.0.0.0/8"), in order:
  // the command-line layer of `ferryd --show-config`.
  std::vector<std::pair<std::string, std::string>> given_values;
  bool show_config = false;        // --show-config: print the policy, start nothing
  DaemonPolicy policy;             // what the policy files add (daemon/policy.h)
};

// argv without the program name. BadArguments ("unknown option '--x'",
// "invalid value 'abc' for --port: ...") on the first problem.
llvm::Expected<DaemonOptions> parse_options(const std::vector<std::string>& args);

// CPUs online + 2, as distccd.
unsigned default_jobs();
// --allow rules, or loopback (127.0.0.0/8 and ::1) when none were given.
std::vector<net::AllowRule> effective_allow(const DaemonOptions& options);
// The mode to run in, resolving Auto by looking at fd 0.
Mode effective_mode(const DaemonOptions& options);

// FERRY_IO_TIMEOUT, else DISTCC_IO_TIMEOUT, in seconds (default 300).
// BadArguments when set but not a positive number.
llvm::Expected<std::chrono::milliseconds> io_timeout_from_env();

std::string usage_text();
constexpr const char* kVersionText = "ferryd 0.1.0";

}  // namespace ferry::daemon
