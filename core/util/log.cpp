#include "util/log.h"

#include <fcntl.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <string>

namespace ferry {
namespace {

// FERRY_X wins; DISTCC_X is honoured when FERRY_X is unset.
const char* env_either(const char* ferry_name, const char* distcc_name) {
  const char* v = std::getenv(ferry_name);
  return v != nullptr ? v : std::getenv(distcc_name);
}

bool is_one(const char* v) { return v != nullptr && std::strcmp(v, "1") == 0; }

}  // namespace

Logger::Logger(std::string program, int debug_fd, bool quiet)
    : m_program(std::move(program)), m_debug_fd(debug_fd), m_quiet(quiet) {}

Logger::Logger(Logger&& other) noexcept
    : m_program(std::move(other.m_program)),
      m_debug_fd(other.m_debug_fd),
      m_owns_fd(other.m_owns_fd),
      m_quiet(other.m_quiet) {
  other.m_owns_fd = false;
  other.m_debug_fd = -1;
}

Logger::~Logger() {
  if (m_owns_fd && m_debug_fd >= 0) {
    ::close(m_debug_fd);
  }
}

Logger Logger::from_env(std::string program) {
  const char* file = env_either("FERRY_LOG", "DISTCC_LOG");
  return from_settings(std::move(program), file != nullptr ? file : "",
                       is_one(env_either("FERRY_VERBOSE", "DISTCC_VERBOSE")),
                       is_one(std::getenv("FERRY_QUIET")));
}

Logger Logger::from_settings(std::string program, const std::string& file, bool verbose,
                             bool quiet) {
  if (!file.empty()) {
    int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0666);
    if (fd >= 0) {
      Logger l(std::move(program), fd, quiet);
      l.m_owns_fd = true;
      return l;
    }
  }
  return Logger(std::move(program), verbose ? STDERR_FILENO : -1, quiet);
}

void Logger::write_line(int fd, std::string_view level,
                        std::string_view message) const {
  // One write() per line so lines from parallel jobs do not interleave.
  std::string line = m_program;
  line += '[';
  line += std::to_string(::getpid());
  line += "] ";
  line += level;
  line += message;
  line += '\n';
  const char* p = line.data();
  size_t left = line.size();
  while (left > 0) {
    ssize_t n = ::write(fd, p, left);
    if (n < 0) {
      return;  // logging must never fail a compile
    }
    p += n;
    left -= static_cast<size_t>(n);
  }
}

void Logger::debug(std::string_view message) const {
  if (m_debug_fd >= 0) {
    write_line(m_debug_fd, "", message);
  }
}

void Logger::warn(std::string_view message) const {
  write_line(STDERR_FILENO, "warning: ", message);
  if (m_owns_fd) {
    write_line(m_debug_fd, "warning: ", message);
  }
}

void Logger::error(std::string_view message) const {
  write_line(STDERR_FILENO, "error: ", message);
  if (m_owns_fd) {
    write_line(m_debug_fd, "error: ", message);
  }
}

void Logger::notice(std::string_view message) const {
  if (!m_quiet) {
    write_line(STDERR_FILENO, "", message);
  }
  if (m_owns_fd) {
    write_line(m_debug_fd, "", message);
  }
}

}  // namespace ferry
