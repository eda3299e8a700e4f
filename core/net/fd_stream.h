// A ByteSource/ByteSink over a file descriptor (socket, pipe) where every
// wait is bounded by an I/O timeout, so a stalled peer never hangs us.
#pragma once

#include <chrono>

#include "proto/byte_stream.h"

namespace ferry::net {

class FdStream : public proto::ByteSource, public proto::ByteSink {
 public:
  // Does not own the descriptors. For a socket, in_fd == out_fd.
  FdStream(int in_fd, int out_fd, std::chrono::milliseconds io_timeout);
  llvm::Error read_exact(char* buf, size_t n) override;
  llvm::Error write_all(std::string_view bytes) override;
  uint64_t bytes_read() const { return m_read; }
  uint64_t bytes_written() const { return m_written; }

 private:
  int m_in;
  int m_out;
  std::chrono::milliseconds m_timeout;
  uint64_t m_read = 0;
  uint64_t m_written = 0;
};

}  // namespace ferry::net
