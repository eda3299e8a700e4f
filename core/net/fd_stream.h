// A ByteSource/ByteSink over a file descriptor (socket, pipe) where every
// wait is bounded by an I/O timeout, so a stalled peer never hangs us.
#pragma once

#include <chrono>
#include <string>

#include "proto/byte_stream.h"

namespace ferry::net {

class FdStream : public proto::ByteSource, public proto::ByteSink {
 public:
  // Does not own the descriptors. For a socket, in_fd == out_fd.
  FdStream(int in_fd, int out_fd, std::chrono::milliseconds io_timeout);
  llvm::Error read_exact(char* buf, size_t n) override;
  llvm::Error write_all(std::string_view bytes) override;
  // Bounds every later wait by an absolute deadline as well as by the I/O
  // timeout (a slow-drip peer keeps each wait short but must still finish
  // in time). Past it, reads and writes fail with Timeout. `what` names the
  // deadline in that message. clear_deadline() lifts it.
  void set_deadline(std::chrono::steady_clock::time_point deadline, std::string what);
  void clear_deadline() { m_has_deadline = false; }
  uint64_t bytes_read() const { return m_read; }
  uint64_t bytes_written() const { return m_written; }

 private:
  int m_in;
  int m_out;
  std::chrono::milliseconds m_timeout;
  bool m_has_deadline = false;
  std::chrono::steady_clock::time_point m_deadline;
  std::string m_deadline_what;
  llvm::Error wait(int fd, short events, std::string_view doing);
  uint64_t m_read = 0;
  uint64_t m_written = 0;
};

}  // namespace ferry::net
