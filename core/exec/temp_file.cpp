#include "exec/temp_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>

#include "util/error.h"

namespace ferry::exec {

std::string temp_dir() {
  const char* t = std::getenv("TMPDIR");
  return t != nullptr && *t != '\0' ? std::string(t) : std::string("/tmp");
}

llvm::Expected<TempFile> TempFile::create(const std::string& dir, const std::string& prefix,
                                          const std::string& suffix) {
  std::string tmpl = dir + "/" + prefix + "XXXXXX" + suffix;
  int fd = ::mkostemps(tmpl.data(), static_cast<int>(suffix.size()), O_CLOEXEC);
  if (fd < 0) {
    return make_error(ExitCode::IoError, "cannot create a temporary file in " + dir + ": " +
                                             std::strerror(errno));
  }
  return TempFile(tmpl, UniqueFd(fd));
}

TempFile::TempFile(TempFile&& other) noexcept
    : m_path(std::move(other.m_path)), m_fd(std::move(other.m_fd)) {
  other.m_path.clear();
}

TempFile::~TempFile() {
  if (!m_path.empty()) {
    ::unlink(m_path.c_str());
  }
}

llvm::Expected<std::string> TempFile::read_all() const {
  std::ifstream in(m_path, std::ios::binary);
  if (!in) {
    return make_error(ExitCode::IoError, "cannot read " + m_path + ": " + std::strerror(errno));
  }
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace ferry::exec
