#include "daemon/server.h"

#include <fcntl.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <ctime>
#include <set>

#include "daemon/signals.h"
#include "daemon/state_files.h"
#include "net/tcp.h"
#include "util/error.h"
#include "util/unique_fd.h"

namespace ferry::daemon {
namespace {

constexpr int kBacklog = 1024;

void pause_briefly() {
  timespec ts{0, 100 * 1000 * 1000};
  ::nanosleep(&ts, nullptr);
}

void redirect_stdio_to_null() {
  int null = ::open("/dev/null", O_RDWR);
  if (null < 0) {
    return;
  }
  for (int fd = 0; fd <= 2; ++fd) {
    ::dup2(null, fd);
  }
  if (null > 2) {
    ::close(null);
  }
}

class Server {
 public:
  Server(const DaemonOptions& options, const JobConfig& job, DaemonLog& log)
      : m_options(options), m_job(job), m_log(log) {}

  llvm::Error run() {
    if (llvm::Error err = listen()) {
      return err;
    }
    if (!m_signals.install()) {
      return make_error(ExitCode::DistccFailed,
                        std::string("cannot set up signals: ") + std::strerror(errno));
    }
    if (llvm::Error err = m_options.detach ? detach() : write_pid_file(::getpid())) {
      return err;
    }
    std::string address = m_options.listen.empty() ? "*" : m_options.listen;
    m_log.line("listening on " + address + " port " + std::to_string(m_port) +
               ", jobs=" + std::to_string(jobs()) + ", plugins: " +
               (m_job.plugins != nullptr ? m_job.plugins->names() : "none"));
    serve();
    drain_children();
    if (!m_options.pid_file.empty()) {
      ::unlink(m_options.pid_file.c_str());
    }
    m_log.line("stopped");
    return llvm::Error::success();
  }

 private:
  unsigned jobs() const { return m_options.jobs != 0 ? m_options.jobs : default_jobs(); }

  llvm::Error listen() {
    auto fd = net::listen_tcp(m_options.listen, m_options.port, kBacklog);
    if (!fd) {
      return fd.takeError();
    }
    m_listen = std::move(*fd);
    // Non-blocking: a connection that vanishes between poll() and accept()
    // must not stall the loop (and the signal pipe with it).
    ::fcntl(m_listen.get(), F_SETFL, ::fcntl(m_listen.get(), F_GETFL) | O_NONBLOCK);
    ::fcntl(m_listen.get(), F_SETFD, FD_CLOEXEC);
    m_port = net::local_port(m_listen.get());
    if (!m_options.port_file.empty()) {
      return write_file_atomically(m_options.port_file, std::to_string(m_port) + "\n");
    }
    return llvm::Error::success();
  }

  llvm::Error write_pid_file(pid_t pid) {
    if (m_options.pid_file.empty()) {
      return llvm::Error::success();
    }
    return write_file_atomically(m_options.pid_file, std::to_string(pid) + "\n");
  }

  // fork; the foreground process writes the pid file and exits 0, so a
  // script may read the pid file as soon as "ferryd" returns.
  llvm::Error detach() {
    m_log.own_descriptor();  // stderr is about to become /dev/null
    pid_t pid = ::fork();
    if (pid < 0) {
      return make_error(ExitCode::DistccFailed,
                        std::string("cannot fork: ") + std::strerror(errno));
    }
    if (pid > 0) {
      if (llvm::Error err = write_pid_file(pid)) {
        ::kill(pid, SIGKILL);
        return err;
      }
      ::_exit(0);
    }
    ::setsid();
    redirect_stdio_to_null();
    // Do not hold the directory we were started in (all paths are absolute).
    [[maybe_unused]] int rc = ::chdir("/");
    return llvm::Error::success();
  }

  void serve() {
    while (!m_stopping) {
      reap();
      bool can_accept = m_children.size() < jobs();
      pollfd fds[2] = {{m_signals.fd(), POLLIN, 0},
                       {m_listen.get(), static_cast<short>(can_accept ? POLLIN : 0), 0}};
      int n = ::poll(fds, 2, -1);
      if (n < 0) {
        continue;  // EINTR: the signal pipe says which
      }
      if (fds[0].revents != 0) {
        handle_signals();
      }
      if (!m_stopping && can_accept && (fds[1].revents & POLLIN) != 0) {
        accept_one();
      }
    }
  }

  void handle_signals() {
    for (int sig : m_signals.drain()) {
      if (sig == SIGTERM || sig == SIGINT) {
        if (m_stopping) {
          // Asked twice: abandon the running jobs too.
          for (pid_t child : m_children) {
            ::kill(child, SIGTERM);
          }
        } else {
          m_log.line(std::string("caught ") + ::strsignal(sig) + ", stopping after " +
                     std::to_string(m_children.size()) + " running job(s)");
        }
        m_stopping = true;
      } else if (sig == SIGHUP) {
        if (llvm::Error err = m_log.reopen()) {
          m_log.line("SIGHUP: " + summarize(std::move(err)).message);
        }
      }
    }
  }

  void accept_one() {
    UniqueFd conn(::accept4(m_listen.get(), nullptr, nullptr, SOCK_CLOEXEC));
    if (!conn.valid()) {
      if (errno == EMFILE || errno == ENFILE || errno == ENOBUFS || errno == ENOMEM) {
        m_log.line(std::string("accept: ") + std::strerror(errno));
        pause_briefly();  // the connection stays queued; try again later
      }
      return;  // EAGAIN, ECONNABORTED, EINTR: nothing to do
    }
    pid_t pid;
    {
      BlockSignals blocked;
      pid = ::fork();
      if (pid == 0) {
        run_child(std::move(conn));  // does not return
      }
    }
    if (pid < 0) {
      m_log.line(std::string("cannot fork for a job: ") + std::strerror(errno));
      pause_briefly();
      return;
    }
    m_children.insert(pid);
  }

  [[noreturn]] void run_child(UniqueFd conn) {
    JobConfig config = m_job;
    config.cancel = install_job_signal_handlers();
    // Signals were blocked by our parent around fork(); our own handlers are
    // in place now, so let them through.
    sigset_t none;
    sigemptyset(&none);
    ::sigprocmask(SIG_SETMASK, &none, nullptr);
    m_listen.reset();
    serve_job(conn.get(), conn.get(), config, m_log);
    conn.reset();
    // _exit: the parent's objects (plugins, pipes) are not ours to tear down.
    ::_exit(0);
  }

  void reap() {
    for (;;) {
      int status = 0;
      pid_t pid = ::waitpid(-1, &status, WNOHANG);
      if (pid < 0 && errno == EINTR) {
        continue;
      }
      if (pid <= 0) {
        return;
      }
      m_children.erase(pid);
      if (WIFSIGNALED(status)) {
        m_log.line("job process " + std::to_string(pid) + " killed by signal " +
                   std::to_string(WTERMSIG(status)));
      }
    }
  }

  void drain_children() {
    m_listen.reset();  // new connections are refused from now on
    reap();
    while (!m_children.empty()) {
      pollfd p{m_signals.fd(), POLLIN, 0};
      // SIGCHLD wakes us; the timeout guards against a lost wake-up.
      ::poll(&p, 1, 1000);
      if (p.revents != 0) {
        handle_signals();
      }
      reap();
    }
  }

  const DaemonOptions& m_options;
  const JobConfig& m_job;
  DaemonLog& m_log;
  UniqueFd m_listen;
  uint16_t m_port = 0;
  SignalPipe m_signals;
  std::set<pid_t> m_children;
  bool m_stopping = false;
};

}  // namespace

llvm::Error run_server(const DaemonOptions& options, const JobConfig& job,
                       DaemonLog& log) {
  return Server(options, job, log).run();
}

void serve_inetd(const JobConfig& job, const DaemonLog& log) {
  JobConfig config = job;
  config.cancel = install_job_signal_handlers();
  serve_job(STDIN_FILENO, STDOUT_FILENO, config, log);
}

}  // namespace ferry::daemon
