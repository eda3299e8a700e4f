// LZO1X-1 as distcc uses it: the whole payload compressed as one block, no
// header, no stored length (liblzo2's lzo1x_1_compress and
// lzo1x_decompress_safe). An empty payload is sent as zero bytes, not as the
// 3-byte LZO encoding of "".
#pragma once

#include <string>
#include <string_view>

#include <llvm/Support/Error.h>

namespace ferry::proto {

std::string lzo_compress(std::string_view data);
// Decompresses into a buffer that starts at 8x the input and doubles, up to
// max_output bytes. ProtocolError on corrupt input or when max_output is hit.
llvm::Expected<std::string> lzo_decompress(std::string_view data,
                                           size_t max_output);

}  // namespace ferry::proto
