// Where protocol bytes come from and go to. The codec only sees these
// interfaces, never a socket, so it can be tested and fuzzed on memory.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include <llvm/Support/Error.h>

namespace ferry::proto {

class ByteSource {
 public:
  virtual ~ByteSource() = default;
  // Reads exactly n bytes into buf. End of stream before n bytes is an error
  // with ExitCode::Truncated; a timeout is ExitCode::Timeout.
  virtual llvm::Error read_exact(char* buf, size_t n) = 0;
};

class ByteSink {
 public:
  virtual ~ByteSink() = default;
  virtual llvm::Error write_all(std::string_view bytes) = 0;
};

// A ByteSource over a buffer in memory (tests, fuzzers, captured requests).
class MemorySource : public ByteSource {
 public:
  explicit MemorySource(std::string_view data) : m_data(data) {}
  explicit MemorySource(const char* data) : m_data(data) {}
  // The source only views its bytes: a temporary string would dangle.
  explicit MemorySource(std::string&&) = delete;
  llvm::Error read_exact(char* buf, size_t n) override;
  size_t remaining() const { return m_data.size() - m_pos; }

 private:
  std::string_view m_data;
  size_t m_pos = 0;
};

// A ByteSink that appends to a string.
class StringSink : public ByteSink {
 public:
  llvm::Error write_all(std::string_view bytes) override {
    m_data.append(bytes);
    return llvm::Error::success();
  }
  const std::string& data() const { return m_data; }

 private:
  std::string m_data;
};

}  // namespace ferry::proto
