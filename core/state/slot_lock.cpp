#include "state/slot_lock.h"

#include <fcntl.h>
#include <sys/file.h>

#include <cerrno>
#include <cstring>

#include "util/error.h"

namespace ferry::state {

void SlotLock::keep_across_exec() const {
  if (m_fd.valid()) {
    int flags = ::fcntl(m_fd.get(), F_GETFD);
    if (flags >= 0) {
      ::fcntl(m_fd.get(), F_SETFD, flags & ~FD_CLOEXEC);
    }
  }
}

llvm::Expected<UniqueFd> open_lock_file(const std::string& path) {
  // O_WRONLY: closing it raises IN_CLOSE_WRITE, which waiters watch for
  // (slot_pool.cpp).
  UniqueFd fd(::open(path.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0666));
  if (!fd.valid()) {
    return make_error(ExitCode::IoError,
                      "cannot open lock file " + path + ": " + std::strerror(errno));
  }
  return fd;
}

bool try_flock(int fd) {
  while (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    if (errno != EINTR) {
      return false;
    }
  }
  return true;
}

llvm::Expected<std::optional<SlotLock>> try_lock_file(const std::string& path) {
  auto fd = open_lock_file(path);
  if (!fd) {
    return fd.takeError();
  }
  if (!try_flock(fd->get())) {
    return std::optional<SlotLock>();
  }
  return std::optional<SlotLock>(SlotLock(std::move(*fd)));
}

}  // namespace ferry::state
