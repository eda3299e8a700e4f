// FdStream over socketpairs and pipes: data arrives intact, a silent peer
// becomes a Timeout within the bound, a closed one becomes Truncated or
// IoError, and SIGPIPE never kills us.
#include <fcntl.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <thread>

#include <gtest/gtest.h>

#include "net/fd_stream.h"
#include "net_test_util.h"
#include "proto/codec.h"
#include "util/unique_fd.h"

namespace ferry::net {
namespace {

using namespace std::chrono_literals;
using test::error_text;
using test::failure_of;

struct Pair {
  UniqueFd a;
  UniqueFd b;
};

Pair socket_pair() {
  int fds[2];
  EXPECT_EQ(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds), 0);
  return {UniqueFd(fds[0]), UniqueFd(fds[1])};
}

Pair pipe_pair() {  // a = read end, b = write end
  int fds[2];
  EXPECT_EQ(pipe2(fds, O_CLOEXEC), 0);
  return {UniqueFd(fds[0]), UniqueFd(fds[1])};
}

std::string pattern(size_t n) {
  std::string out(n, '\0');
  for (size_t i = 0; i < n; ++i) {
    out[i] = static_cast<char>((i * 131) ^ (i >> 8));
  }
  return out;
}

bool sigpipe_pending() {
  sigset_t pending;
  sigpending(&pending);
  return sigismember(&pending, SIGPIPE) == 1;
}

TEST(FdStream, RoundTripLargerThanSocketBuffer) {
  Pair p = socket_pair();
  std::string data = pattern(4 << 20);
  FdStream writer(p.a.get(), p.a.get(), 5s);
  std::string write_error;
  std::thread t([&] { write_error = error_text(writer.write_all(data)); });
  FdStream reader(p.b.get(), p.b.get(), 5s);
  std::string got(data.size(), '\0');
  EXPECT_EQ(error_text(reader.read_exact(got.data(), got.size())), "");
  t.join();
  EXPECT_EQ(write_error, "");
  EXPECT_TRUE(got == data);
  EXPECT_EQ(writer.bytes_written(), data.size());
  EXPECT_EQ(reader.bytes_read(), data.size());
}

TEST(FdStream, ReadTimeoutFiresWithinBound) {
  Pair p = socket_pair();
  FdStream stream(p.b.get(), p.b.get(), 200ms);
  char buf[4];
  auto start = std::chrono::steady_clock::now();
  ErrorSummary e = failure_of(stream.read_exact(buf, sizeof buf));
  auto elapsed = std::chrono::steady_clock::now() - start;
  EXPECT_EQ(e.code, ExitCode::Timeout);
  EXPECT_EQ(e.message.rfind("timed out after 0.2 s waiting to read from ", 0),
            0u)
      << e.message;
  EXPECT_GE(elapsed, 190ms);
  EXPECT_LT(elapsed, 2s);
}

TEST(FdStream, TimeoutIsPerWaitNotPerTransfer) {
  // A peer that keeps sending, a little at a time, is not timed out even
  // though the whole transfer takes longer than the timeout.
  Pair p = socket_pair();
  std::thread t([&] {
    for (int i = 0; i < 5; ++i) {
      std::this_thread::sleep_for(100ms);
      ASSERT_EQ(write(p.a.get(), "x", 1), 1);
    }
  });
  FdStream stream(p.b.get(), p.b.get(), 300ms);
  char buf[5];
  EXPECT_EQ(error_text(stream.read_exact(buf, sizeof buf)), "");
  t.join();
}

TEST(FdStream, ADeadlineEndsASlowDripPeer) {
  // One byte every 50 ms keeps each wait far below the 1 s I/O timeout;
  // the 300 ms deadline must still end the read.
  using namespace std::chrono_literals;
  Pair p = socket_pair();
  std::thread drip([fd = p.b.get()] {
    for (int i = 0; i < 40; ++i) {
      if (::send(fd, "x", 1, MSG_NOSIGNAL) != 1) {
        return;
      }
      std::this_thread::sleep_for(50ms);
    }
  });
  FdStream stream(p.a.get(), p.a.get(), 1s);
  stream.set_deadline(std::chrono::steady_clock::now() + 300ms, "the test deadline");
  char buf[40];
  auto start = std::chrono::steady_clock::now();
  ErrorSummary e = failure_of(stream.read_exact(buf, sizeof buf));
  auto elapsed = std::chrono::steady_clock::now() - start;
  EXPECT_EQ(e.code, ExitCode::Timeout);
  EXPECT_EQ(e.message, "the test deadline ran out");
  EXPECT_LT(elapsed, 1s);
  EXPECT_GT(stream.bytes_read(), 0u);
  stream.clear_deadline();
  drip.join();
  // Lifted: the rest, already sent, is read.
  size_t left = sizeof buf - static_cast<size_t>(stream.bytes_read());
  EXPECT_EQ(error_text(stream.read_exact(buf, left)), "");
}

TEST(FdStream, WriteTimeoutWhenPeerDoesNotRead) {
  Pair p = socket_pair();
  FdStream stream(p.a.get(), p.a.get(), 200ms);
  // Built before the clock starts: only the write is timed (filling 64 MiB
  // takes seconds on a loaded machine or under ASan).
  std::string data = pattern(64 << 20);
  auto start = std::chrono::steady_clock::now();
  ErrorSummary e = failure_of(stream.write_all(data));
  auto elapsed = std::chrono::steady_clock::now() - start;
  EXPECT_EQ(e.code, ExitCode::Timeout);
  EXPECT_EQ(e.message.rfind("timed out after 0.2 s waiting to write to ", 0),
            0u)
      << e.message;
  EXPECT_GT(stream.bytes_written(), 0u);
  EXPECT_LT(elapsed, 3s);
}

TEST(FdStream, WriteTimeoutOnPipeNobodyReads) {
  // A blocking pipe write larger than the free space would wait for the
  // reader forever; FdStream must give up after the timeout instead.
  Pair p = pipe_pair();
  FdStream stream(-1, p.b.get(), 200ms);
  auto start = std::chrono::steady_clock::now();
  ErrorSummary e = failure_of(stream.write_all(pattern(4 << 20)));
  auto elapsed = std::chrono::steady_clock::now() - start;
  EXPECT_EQ(e.code, ExitCode::Timeout);
  EXPECT_EQ(e.message, "timed out after 0.2 s waiting to write to fd " +
                           std::to_string(p.b.get()));
  EXPECT_GT(stream.bytes_written(), 0u);
  EXPECT_LT(elapsed, 3s);
}

TEST(FdStream, EofMidReadIsTruncated) {
  Pair p = socket_pair();
  ASSERT_EQ(write(p.a.get(), "hello", 5), 5);
  p.a.reset();
  FdStream stream(p.b.get(), p.b.get(), 2s);
  char buf[10];
  ErrorSummary e = failure_of(stream.read_exact(buf, sizeof buf));
  EXPECT_EQ(e.code, ExitCode::Truncated);
  EXPECT_EQ(e.message, "unexpected end of stream after 5 of 10 bytes");
  EXPECT_EQ(stream.bytes_read(), 5u);
  EXPECT_EQ(std::string(buf, 5), "hello");
}

TEST(FdStream, EofAtStartIsTruncated) {
  Pair p = pipe_pair();
  p.b.reset();
  FdStream stream(p.a.get(), -1, 2s);
  char buf[12];
  ErrorSummary e = failure_of(stream.read_exact(buf, sizeof buf));
  EXPECT_EQ(e.code, ExitCode::Truncated);
  EXPECT_EQ(e.message, "unexpected end of stream after 0 of 12 bytes");
}

TEST(FdStream, WriteToClosedSocketIsIoErrorNotSigpipe) {
  Pair p = socket_pair();
  p.b.reset();
  FdStream stream(p.a.get(), p.a.get(), 2s);
  ErrorSummary e = failure_of(stream.write_all("data"));
  EXPECT_EQ(e.code, ExitCode::IoError);
  EXPECT_NE(e.message.find("Broken pipe"), std::string::npos) << e.message;
  EXPECT_FALSE(sigpipe_pending());
}

TEST(FdStream, WriteToPipeWithoutReaderIsIoErrorNotSigpipe) {
  // With the default disposition a SIGPIPE would end this test binary.
  Pair p = pipe_pair();
  p.a.reset();
  FdStream stream(-1, p.b.get(), 2s);
  ErrorSummary e = failure_of(stream.write_all("data"));
  EXPECT_EQ(e.code, ExitCode::IoError);
  EXPECT_EQ(e.message, "write to fd " + std::to_string(p.b.get()) +
                           " failed: Broken pipe");
  EXPECT_FALSE(sigpipe_pending());
}

TEST(FdStream, PipesInBothDirections) {
  // inetd/ssh style: reads and writes on different descriptors.
  Pair in = pipe_pair();
  Pair out = pipe_pair();
  FdStream stream(in.a.get(), out.b.get(), 2s);
  ASSERT_EQ(write(in.b.get(), "ping", 4), 4);
  char buf[4];
  EXPECT_EQ(error_text(stream.read_exact(buf, 4)), "");
  EXPECT_EQ(std::string(buf, 4), "ping");
  EXPECT_EQ(error_text(stream.write_all("pong")), "");
  ASSERT_EQ(read(out.a.get(), buf, 4), 4);
  EXPECT_EQ(std::string(buf, 4), "pong");
}

TEST(FdStream, BadDescriptorIsIoError) {
  FdStream stream(1 << 20, 1 << 20, 1s);
  char buf[1];
  ErrorSummary e = failure_of(stream.read_exact(buf, 1));
  EXPECT_EQ(e.code, ExitCode::IoError);
}

TEST(FdStream, CarriesTheCodec) {
  Pair p = socket_pair();
  std::vector<std::string> argv = {"gcc", "-c", "x.c", "-o", "x.o"};
  std::string source(200000, 'a');
  FdStream client(p.a.get(), p.a.get(), 5s);
  std::string write_error;
  std::thread t([&] {
    write_error = error_text(
        client.write_all(proto::encode_request_head(2, argv) +
                         proto::encode_request_source(2, source)));
  });
  FdStream server(p.b.get(), p.b.get(), 5s);
  auto request = proto::decode_request(server, proto::Limits{});
  t.join();
  ASSERT_TRUE(static_cast<bool>(request))
      << summarize(request.takeError()).message;
  EXPECT_EQ(write_error, "");
  EXPECT_EQ(request->argv, argv);
  EXPECT_EQ(request->source, source);
}

}  // namespace
}  // namespace ferry::net
