// Starting child processes with redirections, and reading their status.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include <llvm/Support/Error.h>

namespace ferry::exec {

struct SpawnOptions {
  int stdin_fd = -1;   // -1: /dev/null
  int stdout_fd = -1;  // -1: inherit ours
  int stderr_fd = -1;  // -1: inherit ours
  std::string cwd;     // empty: ours
  bool new_process_group = false;
  // "NAME=value" entries set in the child on top of our environment.
  std::vector<std::string> env_overrides;
};

// Starts argv[0] looked up on PATH (or as a path when it contains '/').
// CompilerMissing when the program cannot be found or executed.
llvm::Expected<pid_t> spawn(const std::vector<std::string>& argv,
                            const SpawnOptions& options);

// Waits for pid and returns its raw wait() status (EINTR retried).
int wait_for(pid_t pid);

// Waits at most `timeout` for pid: its raw wait() status, or nullopt when
// it is still running then (the caller decides what to kill).
std::optional<int> wait_for_timeout(pid_t pid, std::chrono::milliseconds timeout);

// The exit code a shell would report: WEXITSTATUS, or 128+signal.
int exit_code_of(int wait_status);

// Finds a program on PATH as execvp would. Empty when not found.
std::string find_program(const std::string& name, const std::string& path);

}  // namespace ferry::exec
