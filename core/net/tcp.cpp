// Connecting is non-blocking so that a host that drops SYNs costs the
// connect timeout (seconds) rather than the kernel's SYN retry budget
// (minutes); the socket goes back to blocking afterwards because FdStream
// bounds each later wait with poll() itself.
#include "net/tcp.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>

#include <cerrno>
#include <cstring>
#include <memory>
#include <vector>

#include "net/seconds_text.h"
#include "util/error.h"

namespace ferry::net {
namespace {

using Clock = std::chrono::steady_clock;

struct AddrInfoDeleter {
  void operator()(addrinfo* ai) const { freeaddrinfo(ai); }
};
using AddrInfoPtr = std::unique_ptr<addrinfo, AddrInfoDeleter>;

// "[::1]" is how users write IPv6 literals next to a port; getaddrinfo
// wants them bare.
std::string strip_brackets(const std::string& host) {
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    return host.substr(1, host.size() - 2);
  }
  return host;
}

std::string host_port(const std::string& host, uint16_t port) {
  std::string shown = host.empty() ? "*" : host;
  if (shown.find(':') != std::string::npos) {
    shown = "[" + shown + "]";
  }
  return shown + ":" + std::to_string(port);
}

// getaddrinfo's own error text, or errno's for EAI_SYSTEM.
std::string gai_text(int rc) {
  return rc == EAI_SYSTEM ? std::strerror(errno) : gai_strerror(rc);
}

llvm::Expected<AddrInfoPtr> resolve(const std::string& host, uint16_t port,
                                    int flags, ExitCode on_error) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = flags | AI_NUMERICSERV;
  addrinfo* list = nullptr;
  std::string service = std::to_string(port);
  int rc = getaddrinfo(host.c_str(), service.c_str(), &hints, &list);
  if (rc != 0) {
    return make_error(on_error,
                      "cannot resolve " + host + ": " + gai_text(rc));
  }
  return AddrInfoPtr(list);
}

int millis_until(Clock::time_point deadline) {
  auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
      deadline - Clock::now());
  return left.count() > 0 ? static_cast<int>(left.count()) : 0;
}

bool set_blocking(int fd) {
  int flags = fcntl(fd, F_GETFL);
  return flags >= 0 && fcntl(fd, F_SETFL, flags & ~O_NONBLOCK) == 0;
}

// One address. On failure returns an invalid fd and sets `err` (ETIMEDOUT
// when our own deadline passed, so the caller can tell it from refusal).
UniqueFd connect_one(const addrinfo& ai, bool bounded,
                     Clock::time_point deadline, int& err) {
  UniqueFd fd(::socket(ai.ai_family,
                       ai.ai_socktype | SOCK_CLOEXEC | SOCK_NONBLOCK,
                       ai.ai_protocol));
  if (!fd.valid()) {
    err = errno;
    return {};
  }
  // EINTR on a non-blocking connect still leaves it in progress.
  if (::connect(fd.get(), ai.ai_addr, ai.ai_addrlen) != 0 &&
      errno != EINPROGRESS && errno != EINTR) {
    err = errno;
    return {};
  }
  for (;;) {
    struct pollfd pfd = {fd.get(), POLLOUT, 0};
    int rc = ::poll(&pfd, 1, bounded ? millis_until(deadline) : -1);
    if (rc > 0) {
      break;
    }
    if (rc == 0) {
      err = ETIMEDOUT;
      return {};
    }
    if (errno != EINTR) {
      err = errno;
      return {};
    }
  }
  int so_error = 0;
  socklen_t len = sizeof so_error;
  if (getsockopt(fd.get(), SOL_SOCKET, SO_ERROR, &so_error, &len) != 0) {
    so_error = errno;
  }
  if (so_error != 0) {
    err = so_error;
    return {};
  }
  if (!set_blocking(fd.get())) {
    err = errno;
    return {};
  }
  return fd;
}

// A bound, listening socket for one address, or an invalid fd with `err`.
UniqueFd listen_one(const addrinfo& ai, bool dual_stack, int backlog,
                    int& err) {
  UniqueFd fd(::socket(ai.ai_family, ai.ai_socktype | SOCK_CLOEXEC,
                       ai.ai_protocol));
  if (!fd.valid()) {
    err = errno;
    return {};
  }
  int on = 1;
  // Lets a restarted daemon bind while old connections sit in TIME_WAIT.
  setsockopt(fd.get(), SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
  if (ai.ai_family == AF_INET6) {
    int v6only = dual_stack ? 0 : 1;
    setsockopt(fd.get(), IPPROTO_IPV6, IPV6_V6ONLY, &v6only, sizeof v6only);
  }
  if (::bind(fd.get(), ai.ai_addr, ai.ai_addrlen) != 0 ||
      ::listen(fd.get(), backlog) != 0) {
    err = errno;
    return {};
  }
  return fd;
}

std::string format_sockaddr(const sockaddr_storage& ss) {
  char text[INET6_ADDRSTRLEN] = {};
  if (ss.ss_family == AF_INET) {
    const auto& sin = reinterpret_cast<const sockaddr_in&>(ss);
    inet_ntop(AF_INET, &sin.sin_addr, text, sizeof text);
    return std::string(text) + ":" + std::to_string(ntohs(sin.sin_port));
  }
  if (ss.ss_family == AF_INET6) {
    const auto& sin6 = reinterpret_cast<const sockaddr_in6&>(ss);
    inet_ntop(AF_INET6, &sin6.sin6_addr, text, sizeof text);
    return "[" + std::string(text) + "]:" + std::to_string(ntohs(sin6.sin6_port));
  }
  return {};
}

}  // namespace

llvm::Expected<UniqueFd> connect_tcp(const std::string& host, uint16_t port,
                                     std::chrono::milliseconds timeout) {
  std::string bare = strip_brackets(host);
  auto list = resolve(bare, port, 0, ExitCode::ConnectFailed);
  if (!list) {
    return list.takeError();
  }
  bool bounded = timeout.count() > 0;
  Clock::time_point deadline = Clock::now() + timeout;
  int last_err = ECONNREFUSED;
  bool timed_out = false;
  for (const addrinfo* ai = list->get(); ai != nullptr; ai = ai->ai_next) {
    if (bounded && Clock::now() >= deadline) {
      timed_out = true;
      break;
    }
    UniqueFd fd = connect_one(*ai, bounded, deadline, last_err);
    if (fd.valid()) {
      return fd;
    }
    timed_out = timed_out || last_err == ETIMEDOUT;
  }
  if (timed_out) {
    return make_error(ExitCode::Timeout, "connect to " + host_port(bare, port) +
                                             " timed out after " +
                                             seconds_text(timeout) + " s");
  }
  return make_error(ExitCode::ConnectFailed,
                    "connect to " + host_port(bare, port) +
                        " failed: " + std::strerror(last_err));
}

llvm::Expected<UniqueFd> listen_tcp(const std::string& address, uint16_t port,
                                    int backlog) {
  std::string bare = strip_brackets(address);
  // "Any address" means both families: one dual-stack IPv6 socket where
  // the kernel has IPv6, plain IPv4 where it has not.
  std::vector<std::string> candidates;
  if (bare.empty()) {
    candidates = {"::", "0.0.0.0"};
  } else {
    candidates = {bare};
  }
  int last_err = EADDRNOTAVAIL;
  for (const std::string& candidate : candidates) {
    auto list = resolve(candidate, port, AI_PASSIVE, ExitCode::BindFailed);
    if (!list) {
      if (!bare.empty()) {
        return list.takeError();
      }
      llvm::consumeError(list.takeError());
      continue;
    }
    for (const addrinfo* ai = list->get(); ai != nullptr; ai = ai->ai_next) {
      UniqueFd fd = listen_one(*ai, bare.empty(), backlog, last_err);
      if (fd.valid()) {
        return fd;
      }
    }
  }
  return make_error(ExitCode::BindFailed, "cannot listen on " +
                                              host_port(bare, port) + ": " +
                                              std::strerror(last_err));
}

uint16_t local_port(int fd) {
  sockaddr_storage ss{};
  socklen_t len = sizeof ss;
  if (getsockname(fd, reinterpret_cast<sockaddr*>(&ss), &len) != 0) {
    return 0;
  }
  if (ss.ss_family == AF_INET) {
    return ntohs(reinterpret_cast<const sockaddr_in&>(ss).sin_port);
  }
  if (ss.ss_family == AF_INET6) {
    return ntohs(reinterpret_cast<const sockaddr_in6&>(ss).sin6_port);
  }
  return 0;
}

void set_cork(int fd, bool on) {
  // Corking only batches segments; on a pipe or a non-TCP socket there is
  // nothing to batch, so the error is of no interest.
  int value = on ? 1 : 0;
  (void)setsockopt(fd, IPPROTO_TCP, TCP_CORK, &value, sizeof value);
}

std::string peer_name(int fd) {
  sockaddr_storage ss{};
  socklen_t len = sizeof ss;
  if (getpeername(fd, reinterpret_cast<sockaddr*>(&ss), &len) != 0) {
    return {};
  }
  return format_sockaddr(ss);
}

}  // namespace ferry::net
