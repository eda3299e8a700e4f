#include "response_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace ferry::gcc_family {
namespace {

// libiberty gives up after this many expansions (a file that names itself).
constexpr int k_expansion_limit = 2000;

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

std::string resolve(const std::string& name, const std::string& cwd) {
  if (name.empty() || name.front() == '/' || cwd.empty()) {
    return name;
  }
  return cwd.back() == '/' ? cwd + name : cwd + "/" + name;
}

// POSIX I/O rather than <fstream>: iostreams would pull libstdc++'s locale
// machinery (and its static initialisers) into every plugin load.
std::optional<std::string> read_file(const std::string& path, std::string& text) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    return std::string(std::strerror(errno));
  }
  struct stat st {};
  if (::fstat(fd, &st) != 0 || S_ISDIR(st.st_mode)) {
    ::close(fd);
    return std::string("is a directory");
  }
  char buf[4096];
  while (true) {
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) {
      continue;
    }
    if (n < 0) {
      int err = errno;
      ::close(fd);
      return std::string(std::strerror(err));
    }
    if (n == 0) {
      break;
    }
    text.append(buf, static_cast<size_t>(n));
  }
  ::close(fd);
  return std::nullopt;
}

}  // namespace

std::vector<std::string> split_response_file(std::string_view text) {
  std::vector<std::string> out;
  size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && is_space(text[i])) {
      ++i;
    }
    if (i >= text.size()) {
      break;
    }
    std::string arg;
    bool squote = false;
    bool dquote = false;
    for (; i < text.size(); ++i) {
      char c = text[i];
      if (is_space(c) && !squote && !dquote) {
        break;
      }
      if (c == '\\') {
        if (i + 1 < text.size()) {
          arg += text[++i];
        }
      } else if (squote) {
        if (c == '\'') {
          squote = false;
        } else {
          arg += c;
        }
      } else if (dquote) {
        if (c == '"') {
          dquote = false;
        } else {
          arg += c;
        }
      } else if (c == '\'') {
        squote = true;
      } else if (c == '"') {
        dquote = true;
      } else {
        arg += c;
      }
    }
    out.push_back(std::move(arg));
  }
  return out;
}

std::optional<std::string> expand_response_files(std::vector<std::string>& args,
                                                 const std::string& cwd) {
  int budget = k_expansion_limit;
  size_t i = 0;
  while (i < args.size()) {
    if (args[i].size() < 2 || args[i].front() != '@') {
      ++i;
      continue;
    }
    if (--budget == 0) {
      return "too many @-files (" + args[i] + " names itself?)";
    }
    std::string text;
    if (auto err = read_file(resolve(args[i].substr(1), cwd), text)) {
      return args[i] + ": cannot read response file (" + *err + ")";
    }
    std::vector<std::string> inner = split_response_file(text);
    // The expansion is examined again from the same position: nested @files.
    args.erase(args.begin() + static_cast<std::ptrdiff_t>(i));
    args.insert(args.begin() + static_cast<std::ptrdiff_t>(i), inner.begin(), inner.end());
  }
  return std::nullopt;
}

}  // namespace ferry::gcc_family
