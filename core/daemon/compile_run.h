// Running one compile in its job directory while watching the client.
//
// The compiler gets stdin from /dev/null, stdout and stderr to unlinked
// files in the job directory (so no name can collide with the plugin's
// input or object), the job directory as cwd, and its own process group so
// that cc1/as go down with it. While it runs we wait on the compiler (a
// pidfd, so the reply is not delayed by a polling tick) and on the client
// socket: any activity there — EOF, an error, or bytes a conforming client
// never sends — means the client has gone, and the whole group is killed
// (SIGTERM, then SIGKILL after a grace period).
//
// The compiler is started with fork/exec rather than posix_spawn so that
// its resource limits are in place before its first instruction: CPU
// seconds (SIGXCPU, then SIGKILL 5 s later), address space, file size (no
// output can be larger than the protocol could send back) and no core
// files. It also dies with the job process (PR_SET_PDEATHSIG). Limits are
// per process: cc1 and as each get their own allowance.
#pragma once

#include <cstdint>

#include <csignal>
#include <chrono>
#include <string>
#include <vector>

namespace ferry::daemon {

struct CompileSetup {
  std::string job_dir;
  int client_fd = -1;  // watched for disconnects; -1: not watched
  std::chrono::milliseconds poll_interval{200};
  std::chrono::milliseconds kill_grace{2000};
  // Set asynchronously (by a signal handler) to abandon the compile.
  const volatile std::sig_atomic_t* cancel = nullptr;
  std::vector<std::string> env_overrides;  // "NAME=value"
  // Wall clock for the whole compile; the group is killed when it is up.
  // Zero: none.
  std::chrono::milliseconds lifetime{0};
  // Resource limits for every process of the compile; 0: unlimited.
  unsigned cpu_seconds = 0;
  uint64_t memory_bytes = 0;
  uint64_t file_bytes = 0;
};

struct CompileResult {
  enum class End {
    Exited,      // status holds the raw wait status
    ExecFailed,  // the compiler could not be started; message says why
    ClientGone,  // the client disconnected; the compiler was killed
    Cancelled,   // *cancel became true; the compiler was killed
    TimedOut,    // the lifetime ran out; the compiler was killed
    Failed,      // our own failure (files, fork); message says why
  };
  End end = End::Failed;
  int status = 0;
  std::string stdout_text;
  std::string stderr_text;
  std::string message;
};

// argv[0] must be an absolute path.
CompileResult run_compile(const std::vector<std::string>& argv,
                          const CompileSetup& setup);

// _FERRY_SAFEGUARD (what the ferry client checks) and _DISTCC_SAFEGUARD one
// above ours (recursion guards),
// and PATH=DISTCCD_PATH when that is set, so the compiler finds its own
// tools where the daemon found the compiler.
std::vector<std::string> compiler_environment();

}  // namespace ferry::daemon
