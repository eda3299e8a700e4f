// Logging that costs nothing when off. One switch: FERRY_VERBOSE=1 (or
// DISTCC_VERBOSE=1) writes debug lines to stderr; FERRY_LOG=file (or
// DISTCC_LOG) appends them to a file instead. Warnings and errors always
// reach stderr (unless quiet), one line each, prefixed with the program name.
#pragma once

#include <string>
#include <string_view>

namespace ferry {

class Logger {
 public:
  // fd: where debug lines go (-1 = nowhere). Warnings go to stderr.
  Logger(std::string program, int debug_fd, bool quiet);
  ~Logger();
  Logger(Logger&& other) noexcept;
  Logger(const Logger&) = delete;
  Logger& operator=(const Logger&) = delete;
  Logger& operator=(Logger&&) = delete;

  // Reads FERRY_VERBOSE/FERRY_LOG/FERRY_QUIET (DISTCC_* as fallbacks).
  static Logger from_env(std::string program);
  // The same from values already read (the configuration's log.* keys):
  // file wins over verbose, as FERRY_LOG wins over FERRY_VERBOSE.
  static Logger from_settings(std::string program, const std::string& file, bool verbose,
                              bool quiet);

  bool debug_enabled() const { return m_debug_fd >= 0; }
  void debug(std::string_view message) const;
  void warn(std::string_view message) const;   // "ferry: warning: ..."
  void error(std::string_view message) const;  // "ferry: error: ..."
  // An informational line users should see (fallback notices), suppressed
  // by FERRY_QUIET=1.
  void notice(std::string_view message) const;

 private:
  void write_line(int fd, std::string_view level, std::string_view msg) const;
  std::string m_program;
  int m_debug_fd;
  bool m_owns_fd = false;
  bool m_quiet;
};

}  // namespace ferry
