// libFuzzer target for the request decoder: the bytes a client (or anyone
// who can reach ferryd's port) sends, fed through the same MemorySource /
// ByteSource path the daemon reads a socket through.
//
// Beyond "no crash, no sanitiser report", two properties:
// - a request that decodes re-encodes (encode_request_head/_source) to bytes
//   that decode to the same request, and
// - decoding head then source separately (as ferryd does, to check the
//   compiler before reading DOTI) gives the same result as decode_request.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "fuzz_check.h"
#include "proto/byte_stream.h"
#include "proto/codec.h"

namespace ferry::fuzz {
namespace {

bool same(const proto::Request& a, const proto::Request& b) {
  return a.version == b.version && a.identity == b.identity && a.argv == b.argv &&
         a.source == b.source;
}

// Re-encoded under the default limits: the encoder answers to the peer's
// limits, not to the tight ones (an incompressible source grows under LZO).
void check_round_trip(const proto::Request& request) {
  std::string bytes = proto::encode_request_head(request.version, request.argv, request.identity) +
                      proto::encode_request_source(request.version, request.source);
  proto::MemorySource in{std::string_view(bytes)};
  auto again = proto::decode_request(in, default_limits());
  FERRY_FUZZ_CHECK(take(again));
  FERRY_FUZZ_CHECK(same(*again, request));
  FERRY_FUZZ_CHECK(in.remaining() == 0);
}

void fuzz_one(std::string_view bytes, const proto::Limits& limits) {
  proto::MemorySource whole(bytes);
  auto request = proto::decode_request(whole, limits);
  bool ok = take(request);

  proto::MemorySource split(bytes);
  auto head = proto::decode_request_head(split, limits);
  if (take(head)) {
    // The head never holds the source.
    FERRY_FUZZ_CHECK(head->source.empty());
    FERRY_FUZZ_CHECK(!head->argv.empty());
    FERRY_FUZZ_CHECK(head->argv.size() <= limits.max_argc);
    llvm::Error err = proto::decode_request_source(split, limits, *head);
    FERRY_FUZZ_CHECK(static_cast<bool>(err) == !ok);
    llvm::consumeError(std::move(err));
    if (ok) {
      FERRY_FUZZ_CHECK(same(*head, *request));
      FERRY_FUZZ_CHECK(split.remaining() == whole.remaining());
    }
  } else {
    FERRY_FUZZ_CHECK(!ok);
  }

  if (ok) {
    FERRY_FUZZ_CHECK(proto::is_supported_version(request->version));
    for (const auto& arg : request->argv) {
      FERRY_FUZZ_CHECK(arg.size() <= limits.max_arg_len);
    }
    FERRY_FUZZ_CHECK(request->source.size() <= limits.max_body);
    check_round_trip(*request);
  }
}

}  // namespace
}  // namespace ferry::fuzz

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  ferry::fuzz::fuzz_one(bytes, ferry::fuzz::default_limits());
  ferry::fuzz::fuzz_one(bytes, ferry::fuzz::tight_limits());
  return 0;
}
