// TCP on loopback only (127.0.0.1 and ::1).
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <vector>

#include <gtest/gtest.h>

#include "net/fd_stream.h"
#include "net/tcp.h"
#include "net_test_util.h"

namespace ferry::net {
namespace {

using namespace std::chrono_literals;
using test::error_text;
using test::failure_of;

UniqueFd listen_or_die(const std::string& address) {
  auto fd = listen_tcp(address, 0, 16);
  if (!fd) {
    ADD_FAILURE() << summarize(fd.takeError()).message;
    return {};
  }
  return std::move(*fd);
}

UniqueFd accept_one(int listener) {
  return UniqueFd(::accept4(listener, nullptr, nullptr, SOCK_CLOEXEC));
}

bool is_blocking(int fd) { return (fcntl(fd, F_GETFL) & O_NONBLOCK) == 0; }

TEST(Tcp, ListenOnPortZeroPicksAPort) {
  UniqueFd listener = listen_or_die("127.0.0.1");
  ASSERT_TRUE(listener.valid());
  EXPECT_NE(local_port(listener.get()), 0);
}

TEST(Tcp, ConnectAcceptAndTalk) {
  UniqueFd listener = listen_or_die("127.0.0.1");
  uint16_t port = local_port(listener.get());
  auto client = connect_tcp("127.0.0.1", port, 2s);
  ASSERT_TRUE(static_cast<bool>(client))
      << summarize(client.takeError()).message;
  EXPECT_TRUE(is_blocking(client->get()));
  UniqueFd server = accept_one(listener.get());
  ASSERT_TRUE(server.valid());

  EXPECT_EQ(peer_name(client->get()), "127.0.0.1:" + std::to_string(port));
  EXPECT_EQ(peer_name(server.get()),
            "127.0.0.1:" + std::to_string(local_port(client->get())));

  FdStream a(client->get(), client->get(), 2s);
  FdStream b(server.get(), server.get(), 2s);
  EXPECT_EQ(error_text(a.write_all("DIST00000001")), "");
  char buf[12];
  EXPECT_EQ(error_text(b.read_exact(buf, sizeof buf)), "");
  EXPECT_EQ(std::string(buf, sizeof buf), "DIST00000001");
}

TEST(Tcp, Ipv6Loopback) {
  auto listener = listen_tcp("::1", 0, 16);
  if (!listener) {
    GTEST_SKIP() << "no IPv6 loopback: "
                 << summarize(listener.takeError()).message;
  }
  uint16_t port = local_port(listener->get());
  ASSERT_NE(port, 0);
  for (const char* host : {"::1", "[::1]"}) {
    auto client = connect_tcp(host, port, 2s);
    ASSERT_TRUE(static_cast<bool>(client))
        << summarize(client.takeError()).message;
    UniqueFd server = accept_one(listener->get());
    ASSERT_TRUE(server.valid());
    EXPECT_EQ(peer_name(client->get()), "[::1]:" + std::to_string(port));
    EXPECT_EQ(peer_name(server.get()),
              "[::1]:" + std::to_string(local_port(client->get())));
  }
}

TEST(Tcp, AnyAddressAcceptsIpv4) {
  // The daemon's default: one socket for both families.
  UniqueFd listener = listen_or_die("");
  uint16_t port = local_port(listener.get());
  auto client = connect_tcp("127.0.0.1", port, 2s);
  ASSERT_TRUE(static_cast<bool>(client))
      << summarize(client.takeError()).message;
  UniqueFd server = accept_one(listener.get());
  ASSERT_TRUE(server.valid());
  std::string name = peer_name(server.get());
  EXPECT_TRUE(name.rfind("127.0.0.1:", 0) == 0 ||
              name.rfind("[::ffff:127.0.0.1]:", 0) == 0)
      << name;
}

TEST(Tcp, ConnectToClosedPortIsRefused) {
  uint16_t port = 0;
  {
    UniqueFd listener = listen_or_die("127.0.0.1");
    port = local_port(listener.get());
  }
  ErrorSummary e = failure_of(connect_tcp("127.0.0.1", port, 2s));
  EXPECT_EQ(e.code, ExitCode::ConnectFailed);
  EXPECT_EQ(e.message, "connect to 127.0.0.1:" + std::to_string(port) +
                           " failed: Connection refused");
}

TEST(Tcp, ConnectTimesOutWhenBacklogIsFull) {
  // Linux drops SYNs while a listener's accept queue is full, which is the
  // one way to make a loopback connect hang. Fill it, then check that our
  // connect gives up on time.
  UniqueFd listener = listen_or_die("127.0.0.1");
  ASSERT_EQ(::listen(listener.get(), 0), 0);
  uint16_t port = local_port(listener.get());
  std::vector<UniqueFd> fillers;
  bool hanging = false;
  for (int i = 0; i < 64 && !hanging; ++i) {
    sockaddr_in sin{};
    sin.sin_family = AF_INET;
    sin.sin_port = htons(port);
    sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    UniqueFd fd(::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0));
    ::connect(fd.get(), reinterpret_cast<sockaddr*>(&sin), sizeof sin);
    struct pollfd pfd = {fd.get(), POLLOUT, 0};
    hanging = ::poll(&pfd, 1, 100) == 0;
    fillers.push_back(std::move(fd));
  }
  if (!hanging) {
    GTEST_SKIP() << "could not fill the accept queue on this kernel";
  }
  auto start = std::chrono::steady_clock::now();
  ErrorSummary e = failure_of(connect_tcp("127.0.0.1", port, 300ms));
  auto elapsed = std::chrono::steady_clock::now() - start;
  EXPECT_EQ(e.code, ExitCode::Timeout);
  EXPECT_EQ(e.message, "connect to 127.0.0.1:" + std::to_string(port) +
                           " timed out after 0.3 s");
  EXPECT_GE(elapsed, 250ms);
  EXPECT_LT(elapsed, 3s);
}

TEST(Tcp, LocalhostTriesEachAddress) {
  // localhost may resolve to ::1 first; a listener on 127.0.0.1 only must
  // still be reached.
  UniqueFd listener = listen_or_die("127.0.0.1");
  uint16_t port = local_port(listener.get());
  auto client = connect_tcp("localhost", port, 2s);
  if (!client) {
    ErrorSummary e = summarize(client.takeError());
    if (e.message.find("cannot resolve") != std::string::npos) {
      GTEST_SKIP() << e.message;
    }
    FAIL() << e.message;
  }
  EXPECT_EQ(peer_name(client->get()), "127.0.0.1:" + std::to_string(port));
}

TEST(Tcp, BindingABusyPortFails) {
  UniqueFd first = listen_or_die("127.0.0.1");
  uint16_t port = local_port(first.get());
  ErrorSummary e = failure_of(listen_tcp("127.0.0.1", port, 16));
  EXPECT_EQ(e.code, ExitCode::BindFailed);
  EXPECT_EQ(e.message, "cannot listen on 127.0.0.1:" + std::to_string(port) +
                           ": Address already in use");
}

TEST(Tcp, CorkOnTcpAndIgnoredElsewhere) {
  UniqueFd listener = listen_or_die("127.0.0.1");
  auto client = connect_tcp("127.0.0.1", local_port(listener.get()), 2s);
  ASSERT_TRUE(static_cast<bool>(client));
  set_cork(client->get(), true);
  int value = 0;
  socklen_t len = sizeof value;
  ASSERT_EQ(getsockopt(client->get(), IPPROTO_TCP, TCP_CORK, &value, &len), 0);
  EXPECT_EQ(value, 1);
  set_cork(client->get(), false);
  ASSERT_EQ(getsockopt(client->get(), IPPROTO_TCP, TCP_CORK, &value, &len), 0);
  EXPECT_EQ(value, 0);
  int fds[2];
  ASSERT_EQ(pipe(fds), 0);
  set_cork(fds[1], true);  // must not crash or throw
  close(fds[0]);
  close(fds[1]);
}

TEST(Tcp, PeerNameOfNonSocketIsEmpty) {
  int fds[2];
  ASSERT_EQ(pipe(fds), 0);
  EXPECT_EQ(peer_name(fds[0]), "");
  EXPECT_EQ(local_port(fds[0]), 0);
  close(fds[0]);
  close(fds[1]);
  EXPECT_EQ(peer_name(-1), "");
}

}  // namespace
}  // namespace ferry::net
