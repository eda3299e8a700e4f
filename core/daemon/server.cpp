#include "daemon/server.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <ctime>
#include <algorithm>
#include <deque>
#include <map>
#include <set>

#include "daemon/signals.h"
#include "daemon/state_files.h"
#include "daemon/stats.h"
#include "net/fd_stream.h"
#include "net/seconds_text.h"
#include "net/tcp.h"
#include "util/error.h"
#include "util/unique_fd.h"

namespace ferry::daemon {
namespace {

constexpr int kBacklog = 1024;
// Statistics pages being served at once; more wait in the listen queue.
constexpr size_t kMaxStatsChildren = 4;
constexpr std::chrono::seconds kStatsReadTimeout{2};

using Clock = std::chrono::steady_clock;

// An accepted connection waiting for its first bytes and a free slot.
struct Waiting {
  UniqueFd fd;
  Clock::time_point since;
  bool ready = false;   // readable (or closed): worth a job process
  std::string address;  // the peer's address without the port (fairness)
  std::string client;   // "addr:port" for the log
};

// The peer as the log shows it; IPv4-mapped IPv6 as plain IPv4.
std::string address_text(const sockaddr_storage& ss, bool with_port) {
  char text[INET6_ADDRSTRLEN] = {};
  unsigned port = 0;
  if (ss.ss_family == AF_INET) {
    const auto& sin = reinterpret_cast<const sockaddr_in&>(ss);
    ::inet_ntop(AF_INET, &sin.sin_addr, text, sizeof text);
    port = ntohs(sin.sin_port);
  } else if (ss.ss_family == AF_INET6) {
    const auto& sin6 = reinterpret_cast<const sockaddr_in6&>(ss);
    if (IN6_IS_ADDR_V4MAPPED(&sin6.sin6_addr)) {
      ::inet_ntop(AF_INET, &sin6.sin6_addr.s6_addr[12], text, sizeof text);
    } else {
      ::inet_ntop(AF_INET6, &sin6.sin6_addr, text, sizeof text);
    }
    port = ntohs(sin6.sin6_port);
  } else {
    return "local";
  }
  return with_port ? std::string(text) + ":" + std::to_string(port) : std::string(text);
}

void set_nonblocking_cloexec(int fd) {
  ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) | O_NONBLOCK);
  ::fcntl(fd, F_SETFD, FD_CLOEXEC);
}

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
  Server(const DaemonOptions& options, const JobConfig& job, const JobUser& user,
         DaemonLog& log)
      : m_options(options),
        m_job(job),
        m_user(user),
        m_log(log),
        m_stats(options.jobs != 0 ? options.jobs : default_jobs(), Clock::now()) {}

  llvm::Error run() {
    raise_fd_limit();
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
    if (llvm::Error err = write_port_files()) {
      return err;
    }
    std::string address = m_options.listen.empty() ? "*" : m_options.listen;
    m_log.line("listening on " + address + " port " + std::to_string(m_port) +
               ", jobs=" + std::to_string(jobs()) + ", plugins: " +
               (m_job.plugins != nullptr ? m_job.plugins->names() : "none"));
    // Everything that needs root is done: from here on nothing runs as root.
    if (llvm::Error err = drop_root()) {
      remove_pid_file();
      return err;
    }
    m_log.line(std::string("jobs run as ") +
               (m_user.drop ? "user " + m_user.name + " (uid " + std::to_string(m_user.uid) + ")"
                            : "the daemon's own user (not started as root)") +
               ", nice +" + std::to_string(m_options.nice) +
               (m_stats_listen.valid()
                    ? ", statistics on port " + std::to_string(m_stats_port)
                    : std::string()));
    serve();
    drain_children();
    remove_pid_file();
    m_log.line("stopped");
    return llvm::Error::success();
  }

 private:
  // Waiting connections hold descriptors: use what the hard limit allows
  // and keep the waiting room well inside it.
  void raise_fd_limit() {
    rlimit rl{};
    if (::getrlimit(RLIMIT_NOFILE, &rl) != 0) {
      return;
    }
    if (rl.rlim_cur < rl.rlim_max) {
      rl.rlim_cur = rl.rlim_max;
      ::setrlimit(RLIMIT_NOFILE, &rl);
    }
    rlim_t usable = rl.rlim_cur > 128 ? (rl.rlim_cur - 64) / 2 : 32;
    m_max_waiting = static_cast<size_t>(std::min<rlim_t>(usable, 1024));
  }

  // The log file becomes the user's (SIGHUP reopens it as that user), then
  // the whole daemon switches to the user (privileges.h).
  llvm::Error drop_root() {
    hand_log_file_to(m_user, m_log.fd());
    if (llvm::Error err = drop_privileges(m_user)) {
      return err;
    }
    m_log.line(m_user.drop ? "dropped root: the daemon runs as user " + m_user.name + " (uid " +
                                 std::to_string(m_user.uid) + ", gid " +
                                 std::to_string(m_user.gid) + "), no-new-privileges"
                           : std::string("not started as root: no user switch, no-new-privileges"));
    return llvm::Error::success();
  }

  // As the user by now: that needs a pid file directory the user may
  // change (docs/ferryd.md, "Files"); else the file stays, and we say so.
  void remove_pid_file() {
    if (!m_options.pid_file.empty() && ::unlink(m_options.pid_file.c_str()) != 0 &&
        errno != ENOENT) {
      m_log.line("cannot remove the pid file '" + m_options.pid_file + "': " +
                 std::strerror(errno) +
                 (m_user.drop ? " (its directory must be writable by user " + m_user.name + ")"
                              : std::string()));
    }
  }

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
    if (m_options.stats) {
      auto stats = net::listen_tcp(m_options.listen, m_options.stats_port, 64);
      if (!stats) {
        return stats.takeError();
      }
      m_stats_listen = std::move(*stats);
      set_nonblocking_cloexec(m_stats_listen.get());
      m_stats_port = net::local_port(m_stats_listen.get());
      int fds[2];
      if (::pipe2(fds, O_NONBLOCK | O_CLOEXEC) != 0) {
        return make_error(ExitCode::DistccFailed,
                          std::string("cannot make a pipe: ") + std::strerror(errno));
      }
      m_events_read.reset(fds[0]);
      m_events_write.reset(fds[1]);
    }
    return llvm::Error::success();
  }

  // After the pid file: whoever waits for a port file may read the pid
  // file at once.
  llvm::Error write_port_files() {
    if (!m_options.stats_port_file.empty() && m_stats_listen.valid()) {
      if (llvm::Error err = write_file_atomically(m_options.stats_port_file,
                                                  std::to_string(m_stats_port) + "\n")) {
        return err;
      }
    }
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
      read_events();
      reap();
      expire_waiting();
      dispatch();
      m_stats.tick(static_cast<unsigned>(m_children.size()), Clock::now());
      bool can_accept = m_waiting.size() < m_max_waiting;
      bool can_stats = m_stats_children.size() < kMaxStatsChildren;
      std::vector<pollfd> fds = {
          {m_signals.fd(), POLLIN, 0},
          {m_listen.get(), static_cast<short>(can_accept ? POLLIN : 0), 0},
          {m_stats_listen.get(), static_cast<short>(can_stats ? POLLIN : 0), 0},
          {m_events_read.get(), POLLIN, 0}};
      constexpr size_t kFixed = 4;
      // Connections that have not sent a byte yet: we only wait for them to
      // become readable, we never read them here.
      for (const Waiting& w : m_waiting) {
        fds.push_back({w.fd.get(), static_cast<short>(w.ready ? 0 : POLLIN | POLLRDHUP), 0});
      }
      int n = ::poll(fds.data(), fds.size(), poll_timeout_ms());
      if (n < 0) {
        continue;  // EINTR: the signal pipe says which
      }
      for (size_t i = 0; i < m_waiting.size(); ++i) {
        if (fds[kFixed + i].revents != 0) {
          m_waiting[i].ready = true;  // data, or EOF/error the job will report
        }
      }
      if (fds[0].revents != 0) {
        handle_signals();
      }
      if (!m_stopping && can_accept && (fds[1].revents & POLLIN) != 0) {
        accept_all();
      }
      if (!m_stopping && can_stats && (fds[2].revents & POLLIN) != 0) {
        accept_stats();
      }
    }
    // Connections that never got a job process are closed unanswered: their
    // clients compile locally.
    m_waiting.clear();
  }

  // Until the next waiting connection times out; each second with
  // statistics (for the load averages); else without bound.
  int poll_timeout_ms() const {
    long ms = m_stats_listen.valid() ? 1000 : -1;
    Clock::time_point now = Clock::now();
    for (const Waiting& w : m_waiting) {
      if (!w.ready) {
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                        w.since + m_job.io_timeout - now).count() + 1;
        left = std::max<long>(left, 0);
        ms = ms < 0 ? left : std::min(ms, left);
      }
    }
    return static_cast<int>(ms);
  }

  // A connection that sends nothing within the I/O timeout never gets a job
  // process: an idle flood cannot take the compile slots.
  void expire_waiting() {
    Clock::time_point now = Clock::now();
    for (auto it = m_waiting.begin(); it != m_waiting.end();) {
      if (!it->ready && now - it->since >= m_job.io_timeout) {
        std::string why = "sent nothing within " + net::seconds_text(m_job.io_timeout) + " s";
        log_unserved(*it, JobCategory::Timeout, "failed", why);
        it = m_waiting.erase(it);
      } else {
        ++it;
      }
    }
  }

  void log_unserved(const Waiting& w, JobCategory category, const char* verb,
                    const std::string& why) {
    auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - w.since);
    m_log.line(std::string(verb) + " client=" + w.client + ": " + why);
    m_log.line("job client=" + w.client + " " + category_name(category) +
               " status=- time=" + std::to_string(ms.count()) + "ms compiler=- input=-");
    m_stats.record({category, "-", "", ms.count(), 0}, Clock::now());
  }

  // Starts job processes for ready connections while there are free slots.
  // The next one is from the client address with the fewest running jobs
  // (oldest first among equals), so one busy or hostile address cannot keep
  // the others waiting behind all of its connections.
  void dispatch() {
    while (!m_stopping && m_children.size() < jobs()) {
      auto best = m_waiting.end();
      unsigned best_running = 0;
      for (auto it = m_waiting.begin(); it != m_waiting.end(); ++it) {
        if (!it->ready) {
          continue;
        }
        unsigned running = running_from(it->address);
        if (best == m_waiting.end() || running < best_running) {
          best = it;
          best_running = running;
        }
      }
      if (best == m_waiting.end()) {
        return;
      }
      Waiting w = std::move(*best);
      m_waiting.erase(best);
      start_job(std::move(w));
    }
  }

  unsigned running_from(const std::string& address) const {
    unsigned n = 0;
    for (const auto& [pid, addr] : m_children) {
      n += addr == address ? 1 : 0;
    }
    return n;
  }

  // Job reports: whole lines (each arrived in one write); a partial line
  // waits for the rest.
  void read_events() {
    if (!m_events_read.valid()) {
      return;
    }
    char buf[4096];
    for (;;) {
      ssize_t n = ::read(m_events_read.get(), buf, sizeof buf);
      if (n < 0 && errno == EINTR) {
        continue;
      }
      if (n <= 0) {
        break;
      }
      m_event_buffer.append(buf, static_cast<size_t>(n));
    }
    size_t start = 0;
    for (size_t nl; (nl = m_event_buffer.find('\n', start)) != std::string::npos; start = nl + 1) {
      if (auto event = decode_event(std::string_view(m_event_buffer).substr(start, nl - start))) {
        m_stats.record(*event, Clock::now());
      }
    }
    m_event_buffer.erase(0, start);
  }

  void accept_stats() {
    UniqueFd conn(::accept4(m_stats_listen.get(), nullptr, nullptr, SOCK_CLOEXEC));
    if (!conn.valid()) {
      return;
    }
    read_events();  // the page should include every job that has reported
    pid_t pid;
    {
      BlockSignals blocked;
      pid = ::fork();
      if (pid == 0) {
        run_stats_child(std::move(conn));  // does not return
      }
    }
    if (pid > 0) {
      m_stats_children.insert(pid);
    }
  }

  [[noreturn]] void run_stats_child(UniqueFd conn) {
    install_job_signal_handlers();
    sigset_t none;
    sigemptyset(&none);
    ::sigprocmask(SIG_SETMASK, &none, nullptr);
    m_listen.reset();
    m_stats_listen.reset();
    m_waiting.clear();
    // Already the user, with no-new-privileges: the daemon dropped root.
    serve_stats_request(conn.get());
    ::_exit(0);
  }

  // As distccd: ACL-checked, up to 1024 request bytes read and mostly
  // ignored. GET /json (or /stats.json) gets JSON, anything else the text.
  void serve_stats_request(int fd) {
    sockaddr_storage peer{};
    socklen_t len = sizeof peer;
    if (::getpeername(fd, reinterpret_cast<sockaddr*>(&peer), &len) != 0 ||
        !net::is_allowed(m_job.allow, reinterpret_cast<sockaddr*>(&peer), len)) {
      m_log.line("refused statistics client=" + net::peer_name(fd) +
                 ": address not allowed (see --allow)");
      return;
    }
    std::string request;
    Clock::time_point deadline = Clock::now() + kStatsReadTimeout;
    while (request.size() < 1024 && request.find("\n\n") == std::string::npos &&
           request.find("\r\n\r\n") == std::string::npos) {
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
      pollfd p{fd, POLLIN, 0};
      if (left.count() <= 0 || ::poll(&p, 1, static_cast<int>(left.count())) <= 0) {
        break;
      }
      char buf[1024];
      ssize_t n = ::read(fd, buf, 1024 - request.size());
      if (n <= 0) {
        break;
      }
      request.append(buf, static_cast<size_t>(n));
    }
    bool json = request.rfind("GET /json", 0) == 0 || request.rfind("GET /stats.json", 0) == 0;
    SystemFacts facts = read_system_facts(m_job.tmpdir);
    std::string page = json ? m_stats.json_page(facts, Clock::now()) : m_stats.text_page(facts);
    net::FdStream out(fd, fd, kStatsReadTimeout);
    llvm::consumeError(out.write_all(page));
    ::shutdown(fd, SHUT_WR);
  }

  void handle_signals() {
    for (int sig : m_signals.drain()) {
      if (sig == SIGTERM || sig == SIGINT) {
        if (m_stopping) {
          // Asked twice: abandon the running jobs too.
          for (const auto& [child, address] : m_children) {
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

  // Takes every queued connection (up to the waiting-room size). An
  // address outside --allow is closed here, before anything is read.
  void accept_all() {
    while (m_waiting.size() < m_max_waiting) {
      sockaddr_storage peer{};
      socklen_t len = sizeof peer;
      UniqueFd conn(::accept4(m_listen.get(), reinterpret_cast<sockaddr*>(&peer), &len,
                              SOCK_CLOEXEC));
      if (!conn.valid()) {
        if (errno == EMFILE || errno == ENFILE || errno == ENOBUFS || errno == ENOMEM) {
          m_log.line(std::string("accept: ") + std::strerror(errno));
          pause_briefly();  // the connection stays queued; try again later
        }
        return;  // EAGAIN, ECONNABORTED, EINTR: nothing to do
      }
      m_stats.accepted();
      Waiting w{std::move(conn), Clock::now(), false, address_text(peer, false),
                address_text(peer, true)};
      auto* sa = reinterpret_cast<sockaddr*>(&peer);
      if ((peer.ss_family == AF_INET || peer.ss_family == AF_INET6) &&
          !net::is_allowed(m_job.allow, sa, len)) {
        log_unserved(w, JobCategory::RejAccess, "refused",
                     "address " + w.client + " is not allowed (see --allow)");
        continue;
      }
      m_waiting.push_back(std::move(w));
    }
  }

  void start_job(Waiting w) {
    pid_t pid;
    {
      BlockSignals blocked;
      pid = ::fork();
      if (pid == 0) {
        run_child(std::move(w.fd));  // does not return
      }
    }
    if (pid < 0) {
      m_log.line(std::string("cannot fork for a job: ") + std::strerror(errno));
      pause_briefly();
      m_waiting.push_front(std::move(w));  // try again
      return;
    }
    m_children.emplace(pid, w.address);
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
    m_stats_listen.reset();
    m_events_read.reset();
    m_waiting.clear();  // the other clients' sockets are not ours
    // Before the first byte of the request is read.
    if (llvm::Error err = enter_job_process(m_options.nice)) {
      m_log.line("failed client=" + net::peer_name(conn.get()) + ": " +
                 summarize(std::move(err)).message);
      ::_exit(1);
    }
    JobOutcome outcome = serve_job(conn.get(), conn.get(), config, m_log);
    conn.reset();
    if (m_events_write.valid()) {
      rusage usage{};
      ::getrusage(RUSAGE_CHILDREN, &usage);
      std::string line = encode_event({outcome.category, outcome.compiler, outcome.input,
                                       outcome.duration.count(), usage.ru_maxrss});
      // One write below PIPE_BUF: atomic. The pipe is non-blocking; if the
      // parent is that far behind, losing one report beats stalling.
      [[maybe_unused]] ssize_t n = ::write(m_events_write.get(), line.data(), line.size());
    }
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
      if (m_stats_children.erase(pid) != 0) {
        continue;
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
    m_stats_listen.reset();
    reap();
    while (!m_children.empty() || !m_stats_children.empty()) {
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
  const JobUser& m_user;
  DaemonLog& m_log;
  DaemonStats m_stats;
  UniqueFd m_listen;
  uint16_t m_port = 0;
  UniqueFd m_stats_listen;
  uint16_t m_stats_port = 0;
  UniqueFd m_events_read;
  UniqueFd m_events_write;
  std::string m_event_buffer;
  std::set<pid_t> m_stats_children;
  SignalPipe m_signals;
  std::map<pid_t, std::string> m_children;  // job process -> client address
  std::deque<Waiting> m_waiting;  // accepted, no job process yet
  size_t m_max_waiting = 512;
  bool m_stopping = false;
};

}  // namespace

llvm::Error run_server(const DaemonOptions& options, const JobConfig& job,
                       const JobUser& user, DaemonLog& log) {
  return Server(options, job, user, log).run();
}

llvm::Error serve_inetd(const JobConfig& job, const JobUser& user, int nice,
                        const DaemonLog& log) {
  JobConfig config = job;
  config.cancel = install_job_signal_handlers();
  if (llvm::Error err = drop_privileges(user)) {
    return err;
  }
  if (llvm::Error err = enter_job_process(nice)) {
    return err;
  }
  serve_job(STDIN_FILENO, STDOUT_FILENO, config, log);
  return llvm::Error::success();
}

}  // namespace ferry::daemon
