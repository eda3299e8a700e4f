// The distcc 3.4 framing, written from the protocol description in
// docs/protocol.md. Two things shape this file:
//
// - Every length on the wire is attacker-controlled (the daemon reads
//   requests from the network), so each one is checked against a Limit
//   before anything is allocated, bodies are read in bounded chunks so that
//   memory grows only as bytes actually arrive, and LZO output is bounded too.
// - The header parser is stricter than distcc's strtoul(): exactly 8 hex
//   digits, either case, nothing else (no sign, no spaces, no "0x").
#include "proto/codec.h"

#include <algorithm>
#include <optional>

#include "proto/lzo.h"
#include "util/error.h"

namespace ferry::proto {
namespace {

constexpr size_t kReadChunk = 1u << 20;

int hex_value(char c) {
  if (c >= '0' && c <= '9') {
    return c - '0';
  }
  if (c >= 'a' && c <= 'f') {
    return c - 'a' + 10;
  }
  if (c >= 'A' && c <= 'F') {
    return c - 'A' + 10;
  }
  return -1;
}

// Header bytes may be anything a peer sent; keep error messages one
// readable line.
std::string printable(std::string_view bytes) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (char c : bytes) {
    auto u = static_cast<unsigned char>(c);
    if (u >= 0x20 && u < 0x7f && c != '\\') {
      out += c;
    } else {
      out += "\\x";
      out += kHex[u >> 4];
      out += kHex[u & 0xf];
    }
  }
  return out;
}

llvm::Error protocol_error(std::string message) {
  return make_error(ExitCode::ProtocolError, std::move(message));
}

// Counts the bytes one message makes us hold, so that Limits::max_total
// bounds the sum of its bodies (after decompression), not just each one.
class Budget {
 public:
  Budget(const Limits& limits, uint64_t used)
      : m_max(limits.max_total), m_used(std::min(used, limits.max_total)) {}
  uint64_t left() const { return m_max - m_used; }
  llvm::Error check(uint64_t n) const {
    if (n > left()) {
      return protocol_error("message exceeds max_total (" +
                            std::to_string(m_max) + " bytes)");
    }
    return llvm::Error::success();
  }
  llvm::Error take(uint64_t n) {
    if (auto err = check(n)) {
      return err;
    }
    m_used += n;
    return llvm::Error::success();
  }

 private:
  uint64_t m_max;
  uint64_t m_used;
};

llvm::Expected<Header> read_header(ByteSource& in) {
  char buf[kHeaderSize];
  if (auto err = in.read_exact(buf, sizeof buf)) {
    return err;
  }
  return decode_header(std::string_view(buf, sizeof buf));
}

// Reads len bytes in chunks: a peer that announces a large body but sends
// little of it costs us only what it sent.
llvm::Expected<std::string> read_bytes(ByteSource& in, uint32_t len) {
  std::string out;
  while (out.size() < len) {
    size_t done = out.size();
    size_t chunk = std::min<size_t>(len - done, kReadChunk);
    out.resize(done + chunk);
    if (auto err = in.read_exact(out.data() + done, chunk)) {
      return err;
    }
  }
  return out;
}

llvm::Error check_length(std::string_view token, uint32_t len, uint64_t max,
                         std::string_view limit_name) {
  if (len > max) {
    return protocol_error(std::string(token) + " length " +
                          std::to_string(len) + " exceeds " +
                          std::string(limit_name) + " (" +
                          std::to_string(max) + ")");
  }
  return llvm::Error::success();
}

// One string packet of a message: the length is checked against its own
// limit and against what is left of the message's budget before reading,
// and a compressed body is inflated no further than either allows.
llvm::Expected<std::string> read_body(ByteSource& in, std::string_view token,
                                      uint32_t max_len,
                                      std::string_view limit_name,
                                      bool compressed, Budget& budget) {
  auto len = read_token(in, token);
  if (!len) {
    return len.takeError();
  }
  if (auto err = check_length(token, *len, max_len, limit_name)) {
    return err;
  }
  if (auto err = budget.check(*len)) {
    return err;
  }
  auto body = read_bytes(in, *len);
  if (!body) {
    return body.takeError();
  }
  if (!compressed || body->empty()) {
    if (auto err = budget.take(body->size())) {
      return err;
    }
    return body;
  }
  auto plain =
      lzo_decompress(*body, std::min<uint64_t>(max_len, budget.left()));
  if (!plain) {
    ErrorSummary e = summarize(plain.takeError());
    return make_error(e.code, std::string(token) + ": " + e.message);
  }
  if (auto err = budget.take(plain->size())) {
    return err;
  }
  return plain;
}

// distcc ignores an object sent with a failed status; we read past it
// without keeping it (or decompressing it), in bounded chunks.
llvm::Error skip_string(ByteSource& in, std::string_view token,
                        uint32_t max_body) {
  auto len = read_token(in, token);
  if (!len) {
    return len.takeError();
  }
  if (auto err = check_length(token, *len, max_body, "max_body")) {
    return err;
  }
  std::string scratch(std::min<size_t>(*len, kReadChunk), '\0');
  size_t left = *len;
  while (left > 0) {
    size_t chunk = std::min(left, scratch.size());
    if (auto err = in.read_exact(scratch.data(), chunk)) {
      return err;
    }
    left -= chunk;
  }
  return llvm::Error::success();
}

void append_header(std::string& out, std::string_view token, uint32_t value) {
  out += encode_header(token, value);
}

// Bodies of 4 GiB or more cannot be framed (distcc truncates them
// silently); every decoder limit is far below that.
void append_string(std::string& out, std::string_view token,
                   std::string_view body, bool compress) {
  if (compress && !body.empty()) {
    std::string packed = lzo_compress(body);
    append_header(out, token, static_cast<uint32_t>(packed.size()));
    out += packed;
    return;
  }
  append_header(out, token, static_cast<uint32_t>(body.size()));
  out += body;
}

llvm::Expected<std::string> read_identity_body(ByteSource& in, uint32_t len) {
  if (auto err = check_length(kIdentityToken, len, kMaxIdentityLen, "the identity limit")) {
    return err;
  }
  return read_bytes(in, len);
}

llvm::Error unexpected(std::string_view wanted, const Header& got) {
  return protocol_error("expected " + std::string(wanted) + ", got " + printable(got.token));
}

llvm::Error check_version(uint32_t version) {
  if (!is_supported_version(version)) {
    return protocol_error("unsupported protocol version " +
                          std::to_string(version));
  }
  return llvm::Error::success();
}

}  // namespace

std::string encode_header(std::string_view token, uint32_t value) {
  static constexpr char kHex[] = "0123456789abcdef";
  // Tokens are 4-character literals; the resize only keeps a wrong one
  // from shifting the digits.
  std::string out(token.substr(0, 4));
  out.resize(4, ' ');
  for (int shift = 28; shift >= 0; shift -= 4) {
    out += kHex[(value >> shift) & 0xf];
  }
  return out;
}

llvm::Expected<Header> decode_header(std::string_view bytes) {
  if (bytes.size() != kHeaderSize) {
    return protocol_error("protocol header must be 12 bytes, got " +
                          std::to_string(bytes.size()));
  }
  uint32_t value = 0;
  for (char c : bytes.substr(4)) {
    int digit = hex_value(c);
    if (digit < 0) {
      return protocol_error("bad hex in protocol header '" +
                            printable(bytes) + "'");
    }
    value = (value << 4) | static_cast<uint32_t>(digit);
  }
  return Header{std::string(bytes.substr(0, 4)), value};
}

llvm::Expected<uint32_t> read_token(ByteSource& in, std::string_view token) {
  auto header = read_header(in);
  if (!header) {
    return header.takeError();
  }
  if (header->token != token) {
    return protocol_error("expected " + std::string(token) + ", got " +
                          printable(header->token));
  }
  return header->value;
}

llvm::Expected<std::string> read_string(ByteSource& in, std::string_view token,
                                        uint32_t max_len) {
  auto len = read_token(in, token);
  if (!len) {
    return len.takeError();
  }
  if (auto err = check_length(token, *len, max_len, "the limit")) {
    return err;
  }
  return read_bytes(in, *len);
}

bool is_supported_version(uint32_t version) { return version <= kProtocolLzo; }

bool is_compressed(uint32_t version) { return version >= kProtocolLzo; }

std::string encode_request_head(uint32_t version,
                                const std::vector<std::string>& argv,
                                std::string_view identity) {
  std::string out;
  append_header(out, "DIST", version);
  if (!identity.empty()) {
    append_string(out, kIdentityToken, identity, /*compress=*/false);
  }
  append_header(out, "ARGC", static_cast<uint32_t>(argv.size()));
  for (const std::string& arg : argv) {
    append_string(out, "ARGV", arg, /*compress=*/false);
  }
  return out;
}

std::string encode_request_source(uint32_t version, std::string_view source) {
  std::string out;
  append_string(out, "DOTI", source, is_compressed(version));
  return out;
}

std::string encode_response(const Response& response) {
  bool compress = is_compressed(response.version);
  std::string out;
  append_header(out, "DONE", response.version);
  if (response.host_identity) {
    append_string(out, kIdentityToken, *response.host_identity, /*compress=*/false);
    return out;
  }
  append_header(out, "STAT", response.status);
  append_string(out, "SERR", response.stderr_text, compress);
  append_string(out, "SOUT", response.stdout_text, compress);
  // distccd always sends an empty DOTO after a failed compile.
  std::string_view object =
      response.status == 0 ? std::string_view(response.object) : "";
  append_string(out, "DOTO", object, compress);
  return out;
}

llvm::Expected<Request> decode_request_head(ByteSource& in,
                                            const Limits& limits) {
  Request request;
  auto version = read_token(in, "DIST");
  if (!version) {
    return version.takeError();
  }
  if (auto err = check_version(*version)) {
    return err;
  }
  request.version = *version;
  auto next = read_header(in);
  if (!next) {
    return next.takeError();
  }
  if (next->token == kIdentityToken) {
    auto identity = read_identity_body(in, next->value);
    if (!identity) {
      return identity.takeError();
    }
    if (identity->empty()) {
      return protocol_error("FIDN is empty: a request names its compiler identity or sends none");
    }
    request.identity = std::move(*identity);
    next = read_header(in);
    if (!next) {
      return next.takeError();
    }
  }
  if (next->token != "ARGC") {
    return unexpected("ARGC", *next);
  }
  uint32_t argc = next->value;
  if (argc > limits.max_argc) {
    return protocol_error("ARGC " + std::to_string(argc) +
                          " exceeds max_argc (" +
                          std::to_string(limits.max_argc) + ")");
  }
  // Without argv[0] there is no compiler to check or run.
  if (argc == 0) {
    return protocol_error("ARGC is 0: the request names no compiler");
  }
  Budget budget(limits, 0);
  request.argv.reserve(argc);
  for (uint32_t i = 0; i < argc; ++i) {
    auto arg = read_body(in, "ARGV", limits.max_arg_len, "max_arg_len",
                         /*compressed=*/false, budget);
    if (!arg) {
      return arg.takeError();
    }
    request.argv.push_back(std::move(*arg));
  }
  return request;
}

llvm::Error decode_request_source(ByteSource& in, const Limits& limits,
                                  Request& request) {
  uint64_t used = 0;
  for (const std::string& arg : request.argv) {
    used += arg.size();
  }
  Budget budget(limits, used);
  auto source = read_body(in, "DOTI", limits.max_body, "max_body",
                          is_compressed(request.version), budget);
  if (!source) {
    return source.takeError();
  }
  request.source = std::move(*source);
  return llvm::Error::success();
}

llvm::Expected<Request> decode_request(ByteSource& in, const Limits& limits) {
  auto request = decode_request_head(in, limits);
  if (!request) {
    return request.takeError();
  }
  if (auto err = decode_request_source(in, limits, *request)) {
    return err;
  }
  return request;
}

llvm::Expected<Response> decode_response(ByteSource& in,
                                         uint32_t expected_version,
                                         const Limits& limits,
                                         bool identity_sent) {
  Response response;
  auto version = read_token(in, "DONE");
  if (!version) {
    return version.takeError();
  }
  if (*version != expected_version) {
    return protocol_error("server answered protocol version " +
                          std::to_string(*version) + ", expected " +
                          std::to_string(expected_version));
  }
  if (auto err = check_version(*version)) {
    return err;
  }
  response.version = *version;
  bool compressed = is_compressed(*version);
  auto status = read_header(in);
  if (!status) {
    return status.takeError();
  }
  if (identity_sent && status->token == kIdentityToken) {
    auto identity = read_identity_body(in, status->value);
    if (!identity) {
      return identity.takeError();
    }
    response.host_identity = std::move(*identity);
    return response;
  }
  if (status->token != "STAT") {
    return unexpected("STAT", *status);
  }
  response.status = status->value;
  Budget budget(limits, 0);
  auto serr = read_body(in, "SERR", limits.max_body, "max_body", compressed,
                        budget);
  if (!serr) {
    return serr.takeError();
  }
  response.stderr_text = std::move(*serr);
  auto sout = read_body(in, "SOUT", limits.max_body, "max_body", compressed,
                        budget);
  if (!sout) {
    return sout.takeError();
  }
  response.stdout_text = std::move(*sout);
  if (response.status != 0) {
    if (auto err = skip_string(in, "DOTO", limits.max_body)) {
      return err;
    }
    return response;
  }
  auto object = read_body(in, "DOTO", limits.max_body, "max_body", compressed,
                          budget);
  if (!object) {
    return object.takeError();
  }
  response.object = std::move(*object);
  return response;
}

}  // namespace ferry::proto
