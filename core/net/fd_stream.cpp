// Every read and write first waits in poll() for at most the I/O timeout,
// so a peer that stops sending (or stops reading) turns into a Timeout
// error instead of a hung compile. The timeout applies to each wait, not to
// the whole transfer: a slow but steady peer is fine, a silent one is not.
// A timeout of zero or less waits without bound.
#include "net/fd_stream.h"

#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstring>

#include "net/seconds_text.h"
#include "net/tcp.h"
#include "util/error.h"

namespace ferry::net {
namespace {

using Clock = std::chrono::steady_clock;

std::string describe(int fd) {
  std::string name = peer_name(fd);
  return name.empty() ? "fd " + std::to_string(fd) : name;
}

// Waits for `events` on fd, restarting after signals with the time left.
// `doing` is "read from" or "write to", for the message.
llvm::Error wait_ready(int fd, short events, std::chrono::milliseconds timeout,
                       std::string_view doing) {
  bool bounded = timeout.count() > 0;
  Clock::time_point deadline = Clock::now() + timeout;
  for (;;) {
    int wait_ms = -1;
    if (bounded) {
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
          deadline - Clock::now());
      wait_ms = left.count() > 0 ? static_cast<int>(left.count()) : 0;
    }
    struct pollfd pfd = {fd, events, 0};
    int rc = ::poll(&pfd, 1, wait_ms);
    if (rc > 0 && (pfd.revents & POLLNVAL) == 0) {
      // POLLHUP/POLLERR count as ready: the read or write that follows
      // reports the real condition (EOF, ECONNRESET, EPIPE).
      return llvm::Error::success();
    }
    if (rc == 0) {
      return make_error(ExitCode::Timeout,
                        "timed out after " + seconds_text(timeout) +
                            " s waiting to " + std::string(doing) + " " +
                            describe(fd));
    }
    int err = rc > 0 ? EBADF : errno;
    if (err != EINTR) {
      return make_error(ExitCode::IoError,
                        "cannot " + std::string(doing) + " fd " +
                            std::to_string(fd) + ": " + std::strerror(err));
    }
  }
}

// write() to a pipe whose reader is gone raises SIGPIPE, which would kill
// us. Changing the process-wide disposition is not ours to do, so SIGPIPE
// is blocked in this thread for the call, and a SIGPIPE the write itself
// raised is consumed before the mask is restored.
ssize_t write_without_sigpipe(int fd, const char* data, size_t n) {
  sigset_t pipe_set;
  sigemptyset(&pipe_set);
  sigaddset(&pipe_set, SIGPIPE);
  sigset_t pending;
  sigpending(&pending);
  bool was_pending = sigismember(&pending, SIGPIPE) == 1;
  sigset_t old_mask;
  pthread_sigmask(SIG_BLOCK, &pipe_set, &old_mask);
  ssize_t written = ::write(fd, data, n);
  int saved_errno = errno;
  if (written < 0 && saved_errno == EPIPE && !was_pending) {
    struct timespec zero = {0, 0};
    while (sigtimedwait(&pipe_set, nullptr, &zero) < 0 && errno == EINTR) {
    }
  }
  pthread_sigmask(SIG_SETMASK, &old_mask, nullptr);
  errno = saved_errno;
  return written;
}

// poll() reporting POLLOUT only promises room for some bytes, and a write
// to a blocking descriptor waits until all of its bytes fit, past our
// timeout. So sockets are written with MSG_DONTWAIT (which also spares us
// SIGPIPE via MSG_NOSIGNAL), and pipes, which answer ENOTSOCK and have no
// per-call non-blocking flag, at most PIPE_BUF bytes at a time: Linux
// reports a pipe writable when a whole page is free.
ssize_t write_some(int fd, const char* data, size_t n) {
  ssize_t written = ::send(fd, data, n, MSG_NOSIGNAL | MSG_DONTWAIT);
  if (written < 0 && errno == ENOTSOCK) {
    written = write_without_sigpipe(fd, data, std::min<size_t>(n, PIPE_BUF));
  }
  return written;
}

bool is_retryable(int err) {
  return err == EINTR || err == EAGAIN || err == EWOULDBLOCK;
}

}  // namespace

FdStream::FdStream(int in_fd, int out_fd, std::chrono::milliseconds io_timeout)
    : m_in(in_fd), m_out(out_fd), m_timeout(io_timeout) {}

void FdStream::set_deadline(Clock::time_point deadline, std::string what) {
  m_has_deadline = true;
  m_deadline = deadline;
  m_deadline_what = std::move(what);
}

llvm::Error FdStream::wait(int fd, short events, std::string_view doing) {
  if (!m_has_deadline) {
    return wait_ready(fd, events, m_timeout, doing);
  }
  auto left = std::chrono::duration_cast<std::chrono::milliseconds>(m_deadline - Clock::now());
  if (left.count() <= 0) {
    return make_error(ExitCode::Timeout, m_deadline_what + " ran out");
  }
  bool deadline_first = m_timeout.count() <= 0 || left < m_timeout;
  llvm::Error err = wait_ready(fd, events, deadline_first ? left : m_timeout, doing);
  if (err && deadline_first) {
    ErrorSummary s = summarize(std::move(err));
    if (s.code == ExitCode::Timeout) {
      return make_error(ExitCode::Timeout, m_deadline_what + " ran out");
    }
    return make_error(s.code, s.message);
  }
  return err;
}

llvm::Error FdStream::read_exact(char* buf, size_t n) {
  size_t done = 0;
  while (done < n) {
    if (auto err = wait(m_in, POLLIN, "read from")) {
      return err;
    }
    ssize_t got = ::read(m_in, buf + done, n - done);
    if (got < 0) {
      if (is_retryable(errno)) {
        continue;
      }
      int err = errno;
      return make_error(ExitCode::IoError, "read from " + describe(m_in) +
                                               " failed: " +
                                               std::strerror(err));
    }
    if (got == 0) {
      return make_error(ExitCode::Truncated,
                        "unexpected end of stream after " +
                            std::to_string(done) + " of " + std::to_string(n) +
                            " bytes");
    }
    done += static_cast<size_t>(got);
    m_read += static_cast<uint64_t>(got);
  }
  return llvm::Error::success();
}

llvm::Error FdStream::write_all(std::string_view bytes) {
  size_t done = 0;
  while (done < bytes.size()) {
    if (auto err = wait(m_out, POLLOUT, "write to")) {
      return err;
    }
    ssize_t put = write_some(m_out, bytes.data() + done, bytes.size() - done);
    if (put < 0) {
      if (is_retryable(errno)) {
        continue;
      }
      int err = errno;
      return make_error(ExitCode::IoError, "write to " + describe(m_out) +
                                               " failed: " +
                                               std::strerror(err));
    }
    done += static_cast<size_t>(put);
    m_written += static_cast<uint64_t>(put);
  }
  return llvm::Error::success();
}

}  // namespace ferry::net
