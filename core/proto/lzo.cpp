// LZO1X-1 through liblzo2, the same library and level distcc's bundled
// miniLZO 2.10 implements, so that our compressed bodies are byte-identical
// to distcc's (the capture tests check this) and not merely compatible.
#include "proto/lzo.h"

#include <lzo/lzo1x.h>

#include <algorithm>
#include <memory>

#include "util/error.h"

namespace ferry::proto {
namespace {

// lzo_init() only checks that the header and the library agree on type
// sizes. It runs on first use, not at start-up: most ferry processes never
// compress anything.
bool lzo_ready() {
  static const bool ok = lzo_init() == LZO_E_OK;
  return ok;
}

// Worst case growth of LZO1X on incompressible input (from the LZO FAQ).
size_t compress_bound(size_t n) { return n + n / 16 + 64 + 3; }

}  // namespace

std::string lzo_compress(std::string_view data) {
  if (data.empty()) {
    return {};
  }
  if (!lzo_ready()) {
    // A header/library mismatch is a broken build, not a runtime condition
    // a caller could handle.
    llvm::report_fatal_error("liblzo2 failed to initialise (lzo_init)");
  }
  // lzo_align_t units keep the dictionary aligned as liblzo2 requires.
  constexpr size_t kWorkUnits =
      (LZO1X_1_MEM_COMPRESS + sizeof(lzo_align_t) - 1) / sizeof(lzo_align_t);
  auto work = std::make_unique<lzo_align_t[]>(kWorkUnits);
  std::string out(compress_bound(data.size()), '\0');
  lzo_uint out_len = out.size();
  // lzo1x_1_compress cannot fail given enough output space.
  lzo1x_1_compress(reinterpret_cast<const unsigned char*>(data.data()),
                   data.size(), reinterpret_cast<unsigned char*>(out.data()),
                   &out_len, work.get());
  out.resize(out_len);
  return out;
}

llvm::Expected<std::string> lzo_decompress(std::string_view data,
                                           size_t max_output) {
  if (data.empty()) {
    return std::string();
  }
  if (!lzo_ready()) {
    return make_error(ExitCode::ProtocolError,
                      "liblzo2 failed to initialise (lzo_init)");
  }
  // The body carries no uncompressed length, so guess 8x (as distcc does)
  // and double on overrun; max_output keeps a hostile body from making us
  // allocate without bound.
  size_t size = std::min(max_output, data.size() * 8);
  std::string out;
  for (;;) {
    out.resize(size);
    lzo_uint out_len = size;
    int rc = lzo1x_decompress_safe(
        reinterpret_cast<const unsigned char*>(data.data()), data.size(),
        reinterpret_cast<unsigned char*>(out.data()), &out_len, nullptr);
    if (rc == LZO_E_OK) {
      out.resize(out_len);
      return out;
    }
    if (rc != LZO_E_OUTPUT_OVERRUN) {
      return make_error(ExitCode::ProtocolError,
                        "corrupt LZO body (" + std::to_string(data.size()) +
                            " bytes, lzo error " + std::to_string(rc) + ")");
    }
    if (size >= max_output) {
      return make_error(ExitCode::ProtocolError,
                        "LZO body decompresses to more than " +
                            std::to_string(max_output) + " bytes");
    }
    size = std::min(max_output, std::max<size_t>(size * 2, 64));
  }
}

}  // namespace ferry::proto
