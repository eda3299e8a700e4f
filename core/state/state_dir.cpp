#include "state/state_dir.h"

#include <sys/stat.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>

#include "util/error.h"

namespace ferry::state {
namespace {

llvm::Error make_dir(const std::string& path) {
  if (::mkdir(path.c_str(), 0777) == 0 || errno == EEXIST) {
    return llvm::Error::success();
  }
  return make_error(ExitCode::IoError,
                    "cannot create state directory " + path + ": " + std::strerror(errno));
}

}  // namespace

std::string default_state_root() {
  if (const char* d = std::getenv("FERRY_DIR"); d != nullptr && *d != '\0') {
    return d;
  }
  if (const char* home = std::getenv("HOME"); home != nullptr && *home != '\0') {
    return std::string(home) + "/.ferry";
  }
  return {};
}

llvm::Expected<StateDir> open_state_dir(const std::string& root) {
  if (root.empty()) {
    return make_error(ExitCode::IoError, "no state directory: set FERRY_DIR or HOME");
  }
  StateDir d{root};
  // Optimistic: the directories exist after the first run, so the common
  // case is three failing mkdir() calls and no stat().
  for (const std::string& p : {d.root, d.lock_dir(), d.job_dir()}) {
    if (auto e = make_dir(p)) {
      return e;
    }
  }
  return d;
}

}  // namespace ferry::state
