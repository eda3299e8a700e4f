// The daemon's log: one "ferryd[PID] message" line per write(), so lines
// from concurrent job processes sharing the descriptor never interleave
// (the file is opened O_APPEND). Reopened on SIGHUP for log rotation.
#pragma once

#include <string>
#include <string_view>

#include <llvm/Support/Error.h>

namespace ferry::daemon {

class DaemonLog {
 public:
  // Discards everything.
  DaemonLog() = default;
  ~DaemonLog();
  DaemonLog(DaemonLog&& other) noexcept;
  DaemonLog& operator=(DaemonLog&& other) noexcept;
  DaemonLog(const DaemonLog&) = delete;
  DaemonLog& operator=(const DaemonLog&) = delete;

  // Appends to a file (created 0644 if missing). IoError naming the file.
  static llvm::Expected<DaemonLog> open_file(const std::string& path,
                                             bool verbose);
  // Writes to an existing descriptor, which it does not own (stderr, tests).
  static DaemonLog to_fd(int fd, bool verbose);

  // Reopens the file after rotation; a no-op for a descriptor. On failure
  // the old descriptor is kept and the error is returned.
  llvm::Error reopen();
  // Keeps the log alive across the detach, which points fd 2 at /dev/null:
  // a log writing to a borrowed descriptor gets its own duplicate.
  void own_descriptor();

  void line(std::string_view message) const;
  // Only with --verbose.
  void debug(std::string_view message) const;
  bool verbose() const { return m_verbose; }
  int fd() const { return m_fd; }

 private:
  DaemonLog(int fd, bool owns, std::string path, bool verbose)
      : m_fd(fd), m_owns(owns), m_path(std::move(path)), m_verbose(verbose) {}
  void close_owned();
  int m_fd = -1;
  bool m_owns = false;
  std::string m_path;  // empty for a descriptor
  bool m_verbose = false;
};

}  // namespace ferry::daemon
