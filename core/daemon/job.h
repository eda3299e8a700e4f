// Serving one connection: the whole life of a job, from the client's first
// byte to the removal of its job directory.
//
//   ACL → DIST/ARGC/ARGV → compiler policy → job dir → plugin server_check
//       → DOTI → write source → compile (watching the client) → reply
//
// Everything is checked before the (possibly large) source is read. A
// refusal is logged with its reason and the connection is closed without a
// byte, as distccd does: a distcc or ferry client then falls back to a local
// compile. The job directory is removed on every path.
//
// Used by the TCP child and by --inetd, and unit-tested over a socketpair.
#pragma once

#include <chrono>
#include <csignal>
#include <string>
#include <vector>

#include "daemon/daemon_log.h"
#include "daemon/plugin_set.h"
#include "daemon/policy.h"
#include "identify/probe.h"
#include "net/acl.h"
#include "proto/codec.h"

namespace ferry::daemon {

struct JobConfig {
  const PluginSet* plugins = nullptr;
  // Applied to IPv4/IPv6 peers only: a pipe or a unix socket (inetd, SSH,
  // tests) has no address to check, as with distccd.
  std::vector<net::AllowRule> allow;
  std::string search_path;  // where compilers are looked up
  std::vector<std::string> compiler_env;  // "NAME=value" for the compiler
  std::string tmpdir;                     // where job dirs are made
  std::chrono::milliseconds io_timeout{300000};
  std::chrono::milliseconds poll_interval{200};
  // The whole request (header, argv, source) must arrive within this.
  std::chrono::milliseconds request_timeout{600000};
  // Per compile: wall clock (also RLIMIT_CPU, in whole seconds) and the
  // address-space limit; zero means none.
  std::chrono::milliseconds job_lifetime{0};
  uint64_t job_memory_bytes = 0;
  proto::Limits limits;
  const DaemonPolicy* policy = nullptr;  // allowed compilers and their paths
  // For a request that names its compiler identity (FIDN, ferry-native):
  // how ferryd probes its own compiler, and where the answers are cached
  // ("" = not cached).
  std::vector<identify::ProbeRule> probe_rules;
  std::string identity_cache_dir;
  const volatile std::sig_atomic_t* cancel = nullptr;
};

// The summary categories, named as distccd's in the log.
enum class JobCategory {
  CompileOk,
  CompileError,
  RejBadReq,   // malformed request, or refused by the compiler policy/plugin
  RejAccess,   // client address not allowed
  CliDisconn,  // the client went away (EOF, reset) before the reply
  Timeout,     // the client stalled longer than the I/O or request timeout
  CompileTimeout,  // the compile ran longer than --job-lifetime; killed
  Other,       // our own failure, or a stop signal
};
const char* category_name(JobCategory c);

struct JobOutcome {
  JobCategory category = JobCategory::Other;
  bool replied = false;
  int status = 0;      // the STAT sent, when replied
  std::string reason;  // why, when not COMPILE_OK/COMPILE_ERROR
  std::string compiler;  // as logged: the bare name, or what the client sent
  std::string input;     // the source name the client sent, or empty
  std::chrono::milliseconds duration{0};
};

// Reads the request from in_fd, replies on out_fd (the same socket for TCP).
// Never throws and never exits; logs one summary line (and a "refused" line
// for each refusal).
JobOutcome serve_job(int in_fd, int out_fd, const JobConfig& config,
                     const DaemonLog& log);

}  // namespace ferry::daemon
