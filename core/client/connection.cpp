#include "client/connection.h"

#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <thread>

#include "exec/spawn.h"
#include "net/tcp.h"
#include "util/error.h"

namespace ferry::client {
namespace {

// After we close our end, ssh and the far daemon exit at once; this bounds
// the wait for one that does not before it is terminated.
constexpr auto kChildGrace = std::chrono::milliseconds(2000);

void reap(pid_t pid) {
  auto deadline = std::chrono::steady_clock::now() + kChildGrace;
  auto nap = std::chrono::milliseconds(1);
  while (std::chrono::steady_clock::now() < deadline) {
    int status = 0;
    pid_t r = ::waitpid(pid, &status, WNOHANG);
    if (r == pid || (r < 0 && errno != EINTR)) {
      return;
    }
    std::this_thread::sleep_for(nap);
    nap = std::min(nap * 2, std::chrono::milliseconds(100));
  }
  ::kill(pid, SIGTERM);
  exec::wait_for(pid);
}

}  // namespace

Connection::Connection(Connection&& o) noexcept
    : m_fd(std::move(o.m_fd)), m_child(std::exchange(o.m_child, -1)) {}

Connection::~Connection() {
  m_fd.reset();
  if (m_child > 0) {
    reap(m_child);
  }
}

std::vector<std::string> ssh_argv(const hosts::Host& host,
                                  const std::vector<std::string>& ssh_command) {
  std::vector<std::string> argv = ssh_command;
  if (!host.user.empty()) {
    argv.push_back("-l");
    argv.push_back(host.user);
  }
  argv.push_back(host.hostname);
  argv.push_back(host.command.empty() ? std::string("ferryd") : host.command);
  argv.push_back("--inetd");
  return argv;
}

llvm::Expected<Connection> open_connection(const hosts::Host& host,
                                           const ClientSettings& settings) {
  if (host.kind == hosts::HostKind::Tcp) {
    auto fd = net::connect_tcp(host.hostname, host.port, settings.connect_timeout);
    if (!fd) {
      return fd.takeError();
    }
    return Connection(std::move(*fd), -1);
  }
  int sv[2];
  if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0) {
    return make_error(ExitCode::ConnectFailed,
                      std::string("socketpair for ssh failed: ") + std::strerror(errno));
  }
  UniqueFd ours(sv[0]);
  UniqueFd theirs(sv[1]);
  exec::SpawnOptions opts;
  opts.stdin_fd = theirs.get();
  opts.stdout_fd = theirs.get();
  std::vector<std::string> argv = ssh_argv(host, settings.ssh_command);
  auto pid = exec::spawn(argv, opts);
  if (!pid) {
    ErrorSummary s = summarize(pid.takeError());
    return make_error(ExitCode::ConnectFailed, "cannot run '" + argv[0] + "': " + s.message);
  }
  return Connection(std::move(ours), *pid);
}

}  // namespace ferry::client
