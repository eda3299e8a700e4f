#include "daemon/state_files.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>

#include "util/error.h"
#include "util/unique_fd.h"

namespace ferry::daemon {

llvm::Error write_file_atomically(const std::string& path, const std::string& text) {
  std::string tmp = path + ".tmp." + std::to_string(::getpid());
  auto fail = [&](const char* what) {
    std::string msg = std::string("cannot ") + what + " '" + path +
                      "': " + std::strerror(errno);
    ::unlink(tmp.c_str());
    return make_error(ExitCode::IoError, msg);
  };
  UniqueFd fd(::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644));
  if (!fd.valid()) {
    return fail("create");
  }
  if (::write(fd.get(), text.data(), text.size()) != static_cast<ssize_t>(text.size())) {
    return fail("write");
  }
  fd.reset();
  if (::rename(tmp.c_str(), path.c_str()) != 0) {
    return fail("rename into");
  }
  return llvm::Error::success();
}

std::string absolute_path(const std::string& path) {
  if (path.empty() || path[0] == '/') {
    return path;
  }
  char* cwd = ::getcwd(nullptr, 0);
  if (cwd == nullptr) {
    return path;
  }
  std::string out = std::string(cwd) + "/" + path;
  std::free(cwd);
  return out;
}

}  // namespace ferry::daemon
