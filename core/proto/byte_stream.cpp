#include "proto/byte_stream.h"

#include <cstring>

#include "util/error.h"

namespace ferry::proto {

llvm::Error MemorySource::read_exact(char* buf, size_t n) {
  size_t available = remaining();
  if (n > available) {
    // Hand over what there is, as a descriptor would, so a caller that
    // inspects the buffer after a Truncated error sees the same bytes.
    if (available > 0) {
      std::memcpy(buf, m_data.data() + m_pos, available);
    }
    m_pos = m_data.size();
    return make_error(ExitCode::Truncated,
                      "unexpected end of stream after " +
                          std::to_string(available) + " of " +
                          std::to_string(n) + " bytes");
  }
  if (n > 0) {
    std::memcpy(buf, m_data.data() + m_pos, n);
  }
  m_pos += n;
  return llvm::Error::success();
}

}  // namespace ferry::proto
