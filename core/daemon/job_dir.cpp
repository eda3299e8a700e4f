#include "daemon/job_dir.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <utility>
#include <vector>

#include "util/error.h"

namespace ferry::daemon {
namespace {

// Empties the directory open as dir_fd (taking ownership of it).
bool empty_dir(int dir_fd) {
  // u+rwx so a directory the compiler made read-only can still be emptied.
  ::fchmod(dir_fd, S_IRWXU);
  DIR* dir = ::fdopendir(dir_fd);
  if (dir == nullptr) {
    ::close(dir_fd);
    return false;
  }
  std::vector<std::string> names;
  while (const dirent* e = ::readdir(dir)) {
    std::string name = e->d_name;
    if (name != "." && name != "..") {
      names.push_back(std::move(name));
    }
  }
  bool ok = true;
  int fd = ::dirfd(dir);
  for (const std::string& name : names) {
    if (::unlinkat(fd, name.c_str(), 0) == 0) {
      continue;
    }
    if (errno != EISDIR && errno != EPERM) {
      ok = ok && errno == ENOENT;
      continue;
    }
    int sub = ::openat(fd, name.c_str(),
                       O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    ok = sub >= 0 && empty_dir(sub) && ok;
    ok = ::unlinkat(fd, name.c_str(), AT_REMOVEDIR) == 0 && ok;
  }
  ::closedir(dir);
  return ok;
}

bool has_dot_component(const std::string& p) {
  size_t start = 0;
  while (start <= p.size()) {
    size_t end = p.find('/', start);
    if (end == std::string::npos) {
      end = p.size();
    }
    std::string_view part(p.data() + start, end - start);
    if (part == "." || part == "..") {
      return true;
    }
    start = end + 1;
  }
  return false;
}

}  // namespace

std::string temp_root() {
  const char* t = std::getenv("TMPDIR");
  return t != nullptr && *t != '\0' ? t : "/tmp";
}

bool remove_tree(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0) {
    return errno == ENOENT;
  }
  bool ok = empty_dir(fd);
  return ::rmdir(path.c_str()) == 0 && ok;
}

JobDir::~JobDir() { remove(); }

JobDir::JobDir(JobDir&& other) noexcept
    : m_path(std::exchange(other.m_path, {})) {}

JobDir& JobDir::operator=(JobDir&& other) noexcept {
  if (this != &other) {
    remove();
    m_path = std::exchange(other.m_path, {});
  }
  return *this;
}

llvm::Expected<JobDir> JobDir::create(const std::string& tmpdir) {
  std::string root = tmpdir;
  if (root.empty() || root[0] != '/') {
    // The compiler runs with the job dir as its cwd, so every path we hand
    // out (and to the plugin) must be absolute.
    char* cwd = ::getcwd(nullptr, 0);
    if (cwd == nullptr) {
      return make_error(ExitCode::IoError, "cannot resolve TMPDIR '" + tmpdir + "'");
    }
    root = std::string(cwd) + "/" + root;
    std::free(cwd);
  }
  while (root.size() > 1 && root.back() == '/') {
    root.pop_back();
  }
  std::string templ = root + "/ferryd_XXXXXX";
  if (::mkdtemp(templ.data()) == nullptr) {
    return make_error(ExitCode::IoError, "cannot create a job directory in '" +
                                             root + "': " + std::strerror(errno));
  }
  // mkdtemp already uses 0700; say so explicitly against an odd umask.
  ::chmod(templ.c_str(), S_IRWXU);
  return JobDir(std::move(templ));
}

bool JobDir::contains(const std::string& p) const {
  return !m_path.empty() && p.size() > m_path.size() + 1 &&
         p.compare(0, m_path.size(), m_path) == 0 && p[m_path.size()] == '/' &&
         !has_dot_component(p.substr(m_path.size() + 1));
}

void JobDir::remove() {
  if (!m_path.empty()) {
    remove_tree(m_path);
    m_path.clear();
  }
}

}  // namespace ferry::daemon
