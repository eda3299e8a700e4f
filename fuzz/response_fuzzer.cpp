// libFuzzer target for the response decoder: the bytes a server sends back
// to ferry, fed through the same MemorySource / ByteSource path the client
// reads its socket through. The client knows which version it asked for, so
// each input is decoded as the answer to a version 0, 1 and 2 request.
//
// Beyond "no crash, no sanitiser report": a response that decodes
// re-encodes (encode_response) to bytes that decode to the same response.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "fuzz_check.h"
#include "proto/byte_stream.h"
#include "proto/codec.h"

namespace ferry::fuzz {
namespace {

bool same(const proto::Response& a, const proto::Response& b) {
  return a.version == b.version && a.status == b.status &&
         a.stderr_text == b.stderr_text && a.stdout_text == b.stdout_text &&
         a.object == b.object;
}

void fuzz_one(std::string_view bytes, uint32_t version,
              const proto::Limits& limits) {
  proto::MemorySource in(bytes);
  auto response = proto::decode_response(in, version, limits);
  if (!take(response)) {
    return;
  }
  FERRY_FUZZ_CHECK(response->version == version);
  // An object that came with a failed status is read past, never kept.
  FERRY_FUZZ_CHECK(response->status == 0 || response->object.empty());
  FERRY_FUZZ_CHECK(response->stderr_text.size() + response->stdout_text.size() +
                       response->object.size() <=
                   limits.max_total);

  // Re-decoded under the default limits: the encoder answers to the peer's
  // limits, not to the tight ones (an incompressible body grows under LZO).
  std::string again_bytes = proto::encode_response(*response);
  proto::MemorySource again_in{std::string_view(again_bytes)};
  auto again = proto::decode_response(again_in, version, default_limits());
  FERRY_FUZZ_CHECK(take(again));
  FERRY_FUZZ_CHECK(same(*again, *response));
  FERRY_FUZZ_CHECK(again_in.remaining() == 0);
}

}  // namespace
}  // namespace ferry::fuzz

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  for (uint32_t version : {0u, ferry::proto::kProtocolPlain,
                           ferry::proto::kProtocolLzo}) {
    ferry::fuzz::fuzz_one(bytes, version, ferry::fuzz::default_limits());
    ferry::fuzz::fuzz_one(bytes, version, ferry::fuzz::tight_limits());
  }
  return 0;
}
