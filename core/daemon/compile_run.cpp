#include "daemon/compile_run.h"

#include <fcntl.h>
#include <poll.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <string_view>

#include "exec/spawn.h"
#include "util/error.h"
#include "util/unique_fd.h"

extern char** environ;

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
  bool limited = setup.lifetime.count() > 0;
  Clock::time_point deadline = Clock::now() + setup.lifetime;
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
    auto wait = tick;
    if (limited) {
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline -
                                                                        Clock::now());
      if (left.count() <= 0) {
        // Past its lifetime the compile is not worth a grace period.
        kill_group(pid, pidfd.get(), std::chrono::milliseconds(0));
        return CompileResult::End::TimedOut;
      }
      wait = std::min(wait, left);
    }
    pollfd fds[2] = {{setup.client_fd, POLLIN | POLLRDHUP, 0},
                     {pidfd.get(), POLLIN, 0}};
    int n = ::poll(fds, 2, static_cast<int>(wait.count()));
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

// Our environment with the overrides applied (same name replaced).
std::vector<std::string> merged_env(const std::vector<std::string>& overrides) {
  std::vector<std::string> out;
  for (char** e = environ; *e != nullptr; ++e) {
    std::string_view entry(*e);
    std::string_view name = entry.substr(0, entry.find('=') + 1);
    bool replaced = std::any_of(overrides.begin(), overrides.end(), [&](const std::string& o) {
      return std::string_view(o).substr(0, o.find('=') + 1) == name;
    });
    if (!replaced) {
      out.emplace_back(entry);
    }
  }
  out.insert(out.end(), overrides.begin(), overrides.end());
  return out;
}

std::vector<char*> c_array(const std::vector<std::string>& v) {
  std::vector<char*> out;
  for (const std::string& s : v) {
    out.push_back(const_cast<char*>(s.c_str()));
  }
  out.push_back(nullptr);
  return out;
}

void set_limit(int resource, rlim_t soft, rlim_t hard) {
  rlimit rl{soft, hard};
  ::setrlimit(resource, &rl);
}

// In the forked child: everything up to exec. Only async-signal-safe calls
// (the job process is single-threaded, but a test may not be). On failure
// the errno goes to `report` and the child exits 127.
[[noreturn]] void exec_child(const char* path, char* const* argv, char* const* envp,
                             const CompileSetup& setup, int out, int err, int report) {
  ::setpgid(0, 0);
  ::prctl(PR_SET_PDEATHSIG, SIGKILL);
  // The job process may have handlers and a blocked mask; exec keeps the
  // mask and ignored dispositions, so reset both.
  for (int sig : {SIGPIPE, SIGTERM, SIGINT, SIGHUP, SIGCHLD, SIGXCPU, SIGXFSZ}) {
    ::signal(sig, SIG_DFL);
  }
  sigset_t none;
  sigemptyset(&none);
  ::sigprocmask(SIG_SETMASK, &none, nullptr);
  int null = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
  bool ok = null >= 0 && ::dup2(null, 0) == 0 && ::dup2(out, 1) == 1 && ::dup2(err, 2) == 2 &&
            ::chdir(setup.job_dir.c_str()) == 0;
  if (ok) {
    if (setup.cpu_seconds != 0) {
      // SIGXCPU at the soft limit; the hard limit is SIGKILL for a
      // process that ignores it.
      set_limit(RLIMIT_CPU, setup.cpu_seconds, setup.cpu_seconds + 5);
    }
    if (setup.memory_bytes != 0) {
      set_limit(RLIMIT_AS, setup.memory_bytes, setup.memory_bytes);
    }
    if (setup.file_bytes != 0) {
      set_limit(RLIMIT_FSIZE, setup.file_bytes, setup.file_bytes);
    }
    set_limit(RLIMIT_CORE, 0, 0);
    ::umask(077);
    ::execve(path, argv, envp);
  }
  int e = errno;
  [[maybe_unused]] ssize_t n = ::write(report, &e, sizeof e);
  ::_exit(127);
}

// Starts argv[0] (an absolute path). CompilerMissing when it cannot be
// executed, DistccFailed when we cannot fork.
llvm::Expected<pid_t> start_compiler(const std::vector<std::string>& argv,
                                     const CompileSetup& setup, int out, int err) {
  std::vector<std::string> env = merged_env(setup.env_overrides);
  std::vector<char*> c_argv = c_array(argv);
  std::vector<char*> c_env = c_array(env);
  int pipe_fds[2];
  if (::pipe2(pipe_fds, O_CLOEXEC) != 0) {
    return make_error(ExitCode::DistccFailed, std::string("pipe: ") + std::strerror(errno));
  }
  UniqueFd report_read(pipe_fds[0]);
  UniqueFd report_write(pipe_fds[1]);
  pid_t pid = ::fork();
  if (pid < 0) {
    return make_error(ExitCode::DistccFailed, std::string("fork: ") + std::strerror(errno));
  }
  if (pid == 0) {
    exec_child(c_argv[0], c_argv.data(), c_env.data(), setup, out, err, report_write.get());
  }
  // Both sides set the group, so a kill(-pid) right after fork cannot miss.
  ::setpgid(pid, pid);
  report_write.reset();
  int child_errno = 0;
  ssize_t n;
  do {
    n = ::read(report_read.get(), &child_errno, sizeof child_errno);
  } while (n < 0 && errno == EINTR);
  if (n > 0) {
    exec::wait_for(pid);
    return make_error(ExitCode::CompilerMissing,
                      "cannot run '" + argv[0] + "': " + std::strerror(child_errno));
  }
  return pid;
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
  auto pid = start_compiler(argv, setup, out.get(), err.get());
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
