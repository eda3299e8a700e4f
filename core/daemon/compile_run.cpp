#include "daemon/compile_run.h"

#include <fcntl.h>
#include <poll.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>

#include "exec/spawn.h"
#include "util/error.h"
#include "util/unique_fd.h"

namespace ferry::daemon {
namespace {

using Clock = std::chrono::steady_clock;

// An anonymous file inside the job directory for the compiler's output.
UniqueFd capture_file(const std::string& dir, const char* what) {
  std::string name = dir + "/.ferryd-" + what + "-XXXXXX";
  UniqueFd fd(::mkostemp(name.data(), O_CLOEXEC));
  if (fd.valid()) {
    ::unlink(name.c_str());
  }
  return fd;
}

std::string read_all(int fd) {
  std::string out;
  if (::lseek(fd, 0, SEEK_SET) != 0) {
    return out;
  }
  char buf[65536];
  for (;;) {
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) {
      continue;
    }
    if (n <= 0) {
      return out;
    }
    out.append(buf, static_cast<size_t>(n));
  }
}

// A descriptor that becomes readable when pid exits, or -1 when the kernel
// has no pidfd_open (we then wake up every few milliseconds instead).
UniqueFd open_pidfd(pid_t pid) {
#ifdef SYS_pidfd_open
  return UniqueFd(static_cast<int>(::syscall(SYS_pidfd_open, pid, 0)));
#else
  (void)pid;
  return UniqueFd();
#endif
}

bool reap(pid_t pid, int& status) {
  for (;;) {
    pid_t r = ::waitpid(pid, &status, WNOHANG);
    if (r < 0 && errno == EINTR) {
      continue;
    }
    return r == pid;
  }
}

// Kills the compiler's process group, politely first.
void kill_group(pid_t pid, int pidfd, std::chrono::milliseconds grace) {
  ::kill(-pid, SIGTERM);
  int status = 0;
  auto deadline = Clock::now() + grace;
  while (!reap(pid, status)) {
    if (Clock::now() >= deadline) {
      ::kill(-pid, SIGKILL);
      exec::wait_for(pid);
      return;
    }
    pollfd p{pidfd, POLLIN, 0};
    ::poll(&p, pidfd >= 0 ? 1 : 0, 20);
  }
  // The leader is gone; make sure nothing it started lingers.
  ::kill(-pid, SIGKILL);
}

bool cancelled(const CompileSetup& setup) {
  return setup.cancel != nullptr && *setup.cancel != 0;
}

// Waits for the compiler while watching the client. Returns Exited,
// ClientGone or Cancelled.
CompileResult::End supervise(pid_t pid, const CompileSetup& setup, int& status) {
  UniqueFd pidfd = open_pidfd(pid);
  // Without a pidfd, a short tick bounds the delay before we notice the exit.
  auto tick = pidfd.valid() ? setup.poll_interval : std::chrono::milliseconds(10);
  for (;;) {
    if (reap(pid, status)) {
      return CompileResult::End::Exited;
    }
    if (cancelled(setup)) {
      kill_group(pid, pidfd.get(), setup.kill_grace);
      return CompileResult::End::Cancelled;
    }
    pollfd fds[2] = {{setup.client_fd, POLLIN | POLLRDHUP, 0},
                     {pidfd.get(), POLLIN, 0}};
    int n = ::poll(fds, 2, static_cast<int>(tick.count()));
    if (n > 0 && fds[0].revents != 0) {
      kill_group(pid, pidfd.get(), setup.kill_grace);
      return CompileResult::End::ClientGone;
    }
  }
}

unsigned env_level(const char* name) {
  const char* v = std::getenv(name);
  return v != nullptr ? static_cast<unsigned>(std::strtoul(v, nullptr, 10)) : 0;
}

}  // namespace

std::vector<std::string> compiler_environment() {
  std::vector<std::string> env;
  unsigned level = std::max(env_level("_FERRY_SAFEGUARD"),
                            env_level("_DISTCC_SAFEGUARD")) + 1;
  env.push_back("_FERRY_SAFEGUARD=" + std::to_string(level));
  env.push_back("_DISTCC_SAFEGUARD=" + std::to_string(level));
  const char* dpath = std::getenv("DISTCCD_PATH");
  if (dpath != nullptr && *dpath != '\0') {
    env.push_back(std::string("PATH=") + dpath);
  }
  return env;
}

CompileResult run_compile(const std::vector<std::string>& argv,
                          const CompileSetup& setup) {
  CompileResult result;
  UniqueFd out = capture_file(setup.job_dir, "stdout");
  UniqueFd err = capture_file(setup.job_dir, "stderr");
  if (!out.valid() || !err.valid()) {
    result.message = "cannot create output files in " + setup.job_dir + ": " +
                     std::strerror(errno);
    return result;
  }
  exec::SpawnOptions options;
  options.stdout_fd = out.get();
  options.stderr_fd = err.get();
  options.cwd = setup.job_dir;
  options.new_process_group = true;
  options.env_overrides = setup.env_overrides;
  auto pid = exec::spawn(argv, options);
  if (!pid) {
    ErrorSummary s = summarize(pid.takeError());
    result.end = s.code == ExitCode::CompilerMissing ? CompileResult::End::ExecFailed
                                                     : CompileResult::End::Failed;
    result.message = s.message;
    return result;
  }
  result.end = supervise(*pid, setup, result.status);
  if (result.end == CompileResult::End::Exited) {
    result.stdout_text = read_all(out.get());
    result.stderr_text = read_all(err.get());
  }
  return result;
}

}  // namespace ferry::daemon
