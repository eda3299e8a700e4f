// Entry format, one line, fields separated by TAB (no field holds a TAB or
// newline: those are replaced by spaces when written):
//   ferry-id 1 <size> <mtime_ns> <inode> <plugin|-> <macro|-> <version|-> <triple> <path>
#include "identify/identity_cache.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <vector>

#include "util/error.h"
#include "util/unique_fd.h"

namespace ferry::identify {
namespace {

constexpr const char* k_magic = "ferry-id";
constexpr const char* k_format = "1";

std::string field(const std::string& s) {
  if (s.empty()) {
    return "-";
  }
  std::string out = s;
  for (char& c : out) {
    if (c == '\t' || c == '\n' || c == '\r') {
      c = ' ';
    }
  }
  return out;
}

std::string unfield(const std::string& s) { return s == "-" ? std::string() : s; }

std::vector<std::string> split_tabs(const std::string& line) {
  std::vector<std::string> out;
  size_t start = 0;
  while (true) {
    size_t tab = line.find('\t', start);
    out.push_back(line.substr(start, tab - start));
    if (tab == std::string::npos) {
      return out;
    }
    start = tab + 1;
  }
}

std::string entry_line(const FileKey& key, const Identity& id) {
  return std::string(k_magic) + "\t" + k_format + "\t" + std::to_string(key.size) + "\t" +
         std::to_string(key.mtime_ns) + "\t" + std::to_string(key.inode) + "\t" +
         field(id.plugin) + "\t" + field(id.macro) + "\t" + field(id.version) + "\t" +
         field(id.triple) + "\t" + field(key.path) + "\n";
}

}  // namespace

std::string stable_hash(const std::string& text) {
  uint64_t h = 0xcbf29ce484222325ULL;
  for (unsigned char c : text) {
    h ^= c;
    h *= 0x100000001b3ULL;
  }
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h));
  return buf;
}

std::string default_cache_dir() {
  const char* dir = std::getenv("FERRY_DIR");
  if (dir != nullptr && *dir != '\0') {
    return std::string(dir) + "/compilers";
  }
  const char* home = std::getenv("HOME");
  if (home != nullptr && *home != '\0') {
    return std::string(home) + "/.ferry/compilers";
  }
  return {};
}

std::string cache_file(const std::string& cache_dir, const std::string& compiler_path) {
  return cache_dir + "/" + stable_hash(compiler_path) + ".id";
}

std::optional<Identity> read_cached(const std::string& cache_dir, const FileKey& key) {
  if (cache_dir.empty()) {
    return std::nullopt;
  }
  UniqueFd fd(::open(cache_file(cache_dir, key.path).c_str(), O_RDONLY | O_CLOEXEC));
  if (fd.get() < 0) {
    return std::nullopt;
  }
  char buf[4096];
  ssize_t n = ::read(fd.get(), buf, sizeof buf);
  if (n <= 0 || buf[n - 1] != '\n') {
    return std::nullopt;  // empty, unreadable, or longer than any entry we write
  }
  std::vector<std::string> f = split_tabs(std::string(buf, static_cast<size_t>(n) - 1));
  if (f.size() != 10 || f[0] != k_magic || f[1] != k_format ||
      f[2] != std::to_string(key.size) || f[3] != std::to_string(key.mtime_ns) ||
      f[4] != std::to_string(key.inode) || f[9] != key.path) {
    return std::nullopt;
  }
  return Identity{unfield(f[5]), unfield(f[6]), unfield(f[7]), unfield(f[8])};
}

llvm::Error write_cached(const std::string& cache_dir, const FileKey& key, const Identity& id) {
  if (cache_dir.empty()) {
    return llvm::Error::success();
  }
  // mkdir -p of the last two levels ($FERRY_DIR and compilers/).
  std::string parent = cache_dir.substr(0, cache_dir.rfind('/'));
  if (!parent.empty()) {
    ::mkdir(parent.c_str(), 0700);
  }
  if (::mkdir(cache_dir.c_str(), 0700) != 0 && errno != EEXIST) {
    return make_error(ExitCode::IoError,
                      "cannot create " + cache_dir + ": " + std::strerror(errno));
  }
  std::string final_path = cache_file(cache_dir, key.path);
  std::string tmp = final_path + ".tmp." + std::to_string(::getpid());
  std::string line = entry_line(key, id);
  {
    UniqueFd fd(::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644));
    if (fd.get() < 0 ||
        ::write(fd.get(), line.data(), line.size()) != static_cast<ssize_t>(line.size())) {
      ::unlink(tmp.c_str());
      return make_error(ExitCode::IoError, "cannot write " + tmp + ": " + std::strerror(errno));
    }
  }
  if (::rename(tmp.c_str(), final_path.c_str()) != 0) {
    ::unlink(tmp.c_str());
    return make_error(ExitCode::IoError,
                      "cannot rename " + tmp + " to " + final_path + ": " + std::strerror(errno));
  }
  return llvm::Error::success();
}

}  // namespace ferry::identify
