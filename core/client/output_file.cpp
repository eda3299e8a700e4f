#include "client/output_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <random>

#include "util/error.h"
#include "util/unique_fd.h"

namespace ferry::client {
namespace {

llvm::Error write_fd(int fd, std::string_view data, const std::string& path) {
  while (!data.empty()) {
    ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0) {
      if (errno == EINTR) {
        continue;
      }
      return make_error(ExitCode::IoError,
                        "cannot write " + path + ": " + std::strerror(errno));
    }
    data.remove_prefix(static_cast<size_t>(n));
  }
  return llvm::Error::success();
}

}  // namespace

llvm::Error write_output(const std::string& path, std::string_view data) {
  struct stat st {};
  if (::stat(path.c_str(), &st) == 0 && !S_ISREG(st.st_mode)) {
    UniqueFd fd(::open(path.c_str(), O_WRONLY | O_TRUNC | O_CLOEXEC));
    if (!fd.valid()) {
      return make_error(ExitCode::IoError, "cannot open " + path + ": " + std::strerror(errno));
    }
    return write_fd(fd.get(), data, path);
  }

  // A name beside the target so rename() stays within one file system.
  std::random_device rd;
  std::string tmp;
  UniqueFd fd;
  for (int attempt = 0; attempt < 100 && !fd.valid(); ++attempt) {
    tmp = path + ".ferry-" + std::to_string(::getpid()) + "-" + std::to_string(rd() % 1000000);
    fd.reset(::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666));
    if (!fd.valid() && errno != EEXIST) {
      break;
    }
  }
  if (!fd.valid()) {
    return make_error(ExitCode::IoError,
                      "cannot create " + tmp + ": " + std::strerror(errno));
  }
  if (auto e = write_fd(fd.get(), data, path)) {
    ::unlink(tmp.c_str());
    return e;
  }
  if (::close(fd.release()) != 0) {
    int err = errno;
    ::unlink(tmp.c_str());
    return make_error(ExitCode::IoError, "cannot write " + path + ": " + std::strerror(err));
  }
  if (::rename(tmp.c_str(), path.c_str()) != 0) {
    int err = errno;
    ::unlink(tmp.c_str());
    return make_error(ExitCode::IoError,
                      "cannot rename " + tmp + " to " + path + ": " + std::strerror(err));
  }
  return llvm::Error::success();
}

}  // namespace ferry::client
