#include "daemon/daemon_log.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <utility>

#include "util/error.h"

namespace ferry::daemon {
namespace {

llvm::Expected<int> open_append(const std::string& path) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (fd < 0) {
    return make_error(ExitCode::IoError, "cannot open log file '" + path +
                                             "': " + std::strerror(errno));
  }
  return fd;
}

}  // namespace

DaemonLog::~DaemonLog() { close_owned(); }

DaemonLog::DaemonLog(DaemonLog&& other) noexcept
    : m_fd(std::exchange(other.m_fd, -1)),
      m_owns(std::exchange(other.m_owns, false)),
      m_path(std::move(other.m_path)),
      m_verbose(other.m_verbose) {}

DaemonLog& DaemonLog::operator=(DaemonLog&& other) noexcept {
  if (this != &other) {
    close_owned();
    m_fd = std::exchange(other.m_fd, -1);
    m_owns = std::exchange(other.m_owns, false);
    m_path = std::move(other.m_path);
    m_verbose = other.m_verbose;
  }
  return *this;
}

void DaemonLog::close_owned() {
  if (m_owns && m_fd >= 0) {
    ::close(m_fd);
  }
  m_fd = -1;
  m_owns = false;
}

llvm::Expected<DaemonLog> DaemonLog::open_file(const std::string& path,
                                               bool verbose) {
  auto fd = open_append(path);
  if (!fd) {
    return fd.takeError();
  }
  return DaemonLog(*fd, true, path, verbose);
}

DaemonLog DaemonLog::to_fd(int fd, bool verbose) {
  return DaemonLog(fd, false, {}, verbose);
}

llvm::Error DaemonLog::reopen() {
  if (m_path.empty()) {
    return llvm::Error::success();
  }
  auto fd = open_append(m_path);
  if (!fd) {
    return fd.takeError();
  }
  close_owned();
  m_fd = *fd;
  m_owns = true;
  return llvm::Error::success();
}

void DaemonLog::own_descriptor() {
  if (m_owns || m_fd < 0) {
    return;
  }
  m_fd = ::fcntl(m_fd, F_DUPFD_CLOEXEC, 3);
  m_owns = m_fd >= 0;
}

void DaemonLog::line(std::string_view message) const {
  if (m_fd < 0) {
    return;
  }
  std::string text = "ferryd[" + std::to_string(::getpid()) + "] ";
  text.append(message);
  text += '\n';
  // One write() per line (see the header); a short write or an error is
  // not worth failing a compile over.
  const char* p = text.data();
  size_t left = text.size();
  while (left > 0) {
    ssize_t n = ::write(m_fd, p, left);
    if (n < 0 && errno == EINTR) {
      continue;
    }
    if (n <= 0) {
      return;
    }
    p += n;
    left -= static_cast<size_t>(n);
  }
}

void DaemonLog::debug(std::string_view message) const {
  if (m_verbose) {
    line(message);
  }
}

}  // namespace ferry::daemon
