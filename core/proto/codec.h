// The distcc 3.4 wire protocol, versions 1 (plain) and 2 (LZO1X), as a pure
// codec: bytes in, messages out. See docs/protocol.md.
//
// Every packet is a 12-byte header: a 4-character token and 8 hex digits of a
// 32-bit value. For string tokens (ARGV, DOTI, SERR, SOUT, DOTO) the value is
// the body length and that many bytes follow. We write lowercase hex and read
// either case, as distcc does.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <llvm/Support/Error.h>

#include "proto/byte_stream.h"

namespace ferry::proto {

constexpr size_t kHeaderSize = 12;

struct Header {
  std::string token;  // 4 characters
  uint32_t value = 0;
};

// Bounds a decoder enforces before it allocates anything. Exceeding one is a
// protocol error (ExitCode::ProtocolError) naming the limit.
struct Limits {
  uint32_t max_argc = 10000;
  uint32_t max_arg_len = 256 * 1024;
  uint32_t max_body = 1024u * 1024u * 1024u;   // one DOTI/DOTO/SERR/SOUT
  uint64_t max_total = 2048ull * 1024u * 1024u;  // a whole message
};

std::string encode_header(std::string_view token, uint32_t value);
// Parses exactly 12 bytes. Errors (ProtocolError): bad hex, wrong length.
llvm::Expected<Header> decode_header(std::string_view bytes);

// Reads one header and checks its token. ProtocolError on a mismatch
// ("expected DOTI, got XXXX").
llvm::Expected<uint32_t> read_token(ByteSource& in, std::string_view token);
// Reads a string packet with the given token, bounded by max_len.
llvm::Expected<std::string> read_string(ByteSource& in, std::string_view token,
                                        uint32_t max_len);

constexpr uint32_t kProtocolPlain = 1;  // no compression
constexpr uint32_t kProtocolLzo = 2;    // bodies LZO1X-1 compressed
bool is_supported_version(uint32_t version);  // 1 or 2 (and 0, read as 1)
bool is_compressed(uint32_t version);         // version >= 2

// ferry-native extension (docs/protocol.md, "Compiler identity"): a FIDN
// packet carries a compiler identity ("gcc x86_64-linux-gnu 12.2.0"). A
// client sends it after DIST only to a host marked `,ferry`; a ferryd whose
// compiler differs answers DONE + FIDN (its own identity) instead of STAT.
// distcc peers never see it.
constexpr const char* kIdentityToken = "FIDN";
constexpr uint32_t kMaxIdentityLen = 1024;

struct Request {
  uint32_t version = kProtocolPlain;
  std::string identity;           // FIDN: the client's compiler; empty when not sent
  std::vector<std::string> argv;  // argv[0] is the compiler name
  std::string source;             // the preprocessed source, decompressed
};

struct Response {
  uint32_t version = kProtocolPlain;
  uint32_t status = 0;            // raw wait() status of the compiler
  std::string stderr_text;        // decompressed
  std::string stdout_text;        // decompressed
  std::string object;             // decompressed; empty when status != 0
  // Set when the server refused the request's FIDN: its own identity
  // (possibly "" when it cannot tell). Nothing else is then sent.
  std::optional<std::string> host_identity;
};

// Client side, in two parts so the argv goes out while cpp still runs.
// A non-empty identity adds the ferry-native FIDN packet after DIST.
std::string encode_request_head(uint32_t version,
                                const std::vector<std::string>& argv,
                                std::string_view identity = {});
std::string encode_request_source(uint32_t version, std::string_view source);

// Server side.
std::string encode_response(const Response& response);

// Decoders. Errors carry ExitCode::ProtocolError (bad token, bad version,
// limit exceeded, bad LZO), Truncated, IoError or Timeout (from the source).
llvm::Expected<Request> decode_request(ByteSource& in, const Limits& limits);
// Reads only DIST/ARGC/ARGV (the server validates before reading DOTI).
llvm::Expected<Request> decode_request_head(ByteSource& in,
                                            const Limits& limits);
// Reads the DOTI that follows a head into request.source.
llvm::Error decode_request_source(ByteSource& in, const Limits& limits,
                                  Request& request);
// Checks DONE == expected_version (ProtocolError otherwise). With
// identity_sent, a FIDN in place of STAT is the server's identity refusal.
llvm::Expected<Response> decode_response(ByteSource& in,
                                         uint32_t expected_version,
                                         const Limits& limits,
                                         bool identity_sent = false);

}  // namespace ferry::proto
