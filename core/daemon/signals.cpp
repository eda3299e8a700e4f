#include "daemon/signals.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>

namespace ferry::daemon {
namespace {

constexpr int kParentSignals[] = {SIGTERM, SIGINT, SIGHUP, SIGCHLD};
constexpr int kJobSignals[] = {SIGTERM, SIGINT, SIGHUP};

// Written only by the handlers below (see the header for why global).
int g_signal_write_fd = -1;
volatile std::sig_atomic_t g_job_cancelled = 0;

extern "C" void on_parent_signal(int sig) {
  int saved = errno;
  unsigned char b = static_cast<unsigned char>(sig);
  // Non-blocking: if the pipe is full the loop is already due to wake up.
  [[maybe_unused]] ssize_t n = ::write(g_signal_write_fd, &b, 1);
  errno = saved;
}

extern "C" void on_job_signal(int) { g_job_cancelled = 1; }

void set_handler(int sig, void (*handler)(int)) {
  struct sigaction sa{};
  sa.sa_handler = handler;
  sigemptyset(&sa.sa_mask);
  // No SA_RESTART: a blocked poll() should return EINTR and look at flags.
  sa.sa_flags = sig == SIGCHLD ? SA_NOCLDSTOP : 0;
  ::sigaction(sig, &sa, nullptr);
}

}  // namespace

SignalPipe::~SignalPipe() {
  if (m_write.valid()) {
    for (int sig : kParentSignals) {
      set_handler(sig, SIG_DFL);
    }
    g_signal_write_fd = -1;
  }
}

bool SignalPipe::install() {
  int fds[2];
  if (::pipe2(fds, O_NONBLOCK | O_CLOEXEC) != 0) {
    return false;
  }
  m_read.reset(fds[0]);
  m_write.reset(fds[1]);
  g_signal_write_fd = fds[1];
  for (int sig : kParentSignals) {
    set_handler(sig, on_parent_signal);
  }
  return true;
}

std::vector<int> SignalPipe::drain() {
  std::vector<int> out;
  unsigned char buf[64];
  for (;;) {
    ssize_t n = ::read(m_read.get(), buf, sizeof buf);
    if (n < 0 && errno == EINTR) {
      continue;
    }
    if (n <= 0) {
      return out;
    }
    out.insert(out.end(), buf, buf + n);
  }
}

BlockSignals::BlockSignals() {
  sigset_t set;
  sigemptyset(&set);
  for (int sig : kParentSignals) {
    sigaddset(&set, sig);
  }
  ::sigprocmask(SIG_BLOCK, &set, &m_old);
}

BlockSignals::~BlockSignals() { ::sigprocmask(SIG_SETMASK, &m_old, nullptr); }

const volatile std::sig_atomic_t* install_job_signal_handlers() {
  g_job_cancelled = 0;
  g_signal_write_fd = -1;
  for (int sig : kJobSignals) {
    set_handler(sig, on_job_signal);
  }
  set_handler(SIGCHLD, SIG_DFL);
  return &g_job_cancelled;
}

}  // namespace ferry::daemon
