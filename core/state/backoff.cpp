#include "state/backoff.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <ctime>

#include "util/unique_fd.h"

namespace ferry::state {

std::string backoff_path(const std::string& lock_dir, const std::string& host_key) {
  return lock_dir + "/backoff_" + host_key;
}

long backoff_left(const std::string& lock_dir, const std::string& host_key,
                  std::chrono::seconds period) {
  if (period.count() <= 0) {
    return 0;
  }
  struct stat st {};
  if (::stat(backoff_path(lock_dir, host_key).c_str(), &st) != 0) {
    return 0;
  }
  long age = static_cast<long>(std::time(nullptr) - st.st_mtime);
  long left = static_cast<long>(period.count()) - age;
  // A mark from the future (clock change) counts as fresh, not for ever.
  return left > 0 ? std::min(left, static_cast<long>(period.count())) : 0;
}

void mark_backoff(const std::string& lock_dir, const std::string& host_key) {
  std::string path = backoff_path(lock_dir, host_key);
  UniqueFd fd(::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666));
  if (fd.valid()) {
    // Writing sets the mtime; futimens covers a file that existed already.
    (void)!::write(fd.get(), "x", 1);
    ::futimens(fd.get(), nullptr);
  }
}

}  // namespace ferry::state
