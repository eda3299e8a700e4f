// Framing rules of the codec on hand-made messages.
#include <gtest/gtest.h>

#include "proto/codec.h"
#include "test_util.h"

namespace ferry::proto {
namespace {

using test::error_text;
using test::failure_of;
using test::value_of;

TEST(Header, WritesEightLowercaseHexDigits) {
  EXPECT_EQ(encode_header("DOTO", 0x448), "DOTO00000448");
  EXPECT_EQ(encode_header("STAT", 0xdeadbeef), "STATdeadbeef");
  EXPECT_EQ(encode_header("ARGC", 0), "ARGC00000000");
  EXPECT_EQ(encode_header("DOTI", 0xffffffff), "DOTIffffffff");
}

TEST(Header, ReadsEitherCase) {
  Header upper = value_of(decode_header("DOTO0000ABCD"));
  EXPECT_EQ(upper.token, "DOTO");
  EXPECT_EQ(upper.value, 0xabcdu);
  EXPECT_EQ(value_of(decode_header("STATDeAdBeEf")).value, 0xdeadbeefu);
  EXPECT_EQ(value_of(decode_header("DIST00000002")).value, 2u);
}

class BadHeader : public testing::TestWithParam<std::string> {};

TEST_P(BadHeader, IsProtocolError) {
  ErrorSummary e = failure_of(decode_header(GetParam()));
  EXPECT_EQ(e.code, ExitCode::ProtocolError) << e.message;
}

// strtoul would take a sign, leading spaces and "0x"; distcc then checks
// only that all 8 characters were consumed. We take hex digits only.
INSTANTIATE_TEST_SUITE_P(
    Codec, BadHeader,
    testing::Values("DIST0000zz00", "DIST+0000001", "DIST 0000001",
                    "DIST-0000001", "DIST0x000001", "DIST0000000 ",
                    std::string("DIST0000000\0", 12), "DIST0000000g",
                    "DIST0000001", "DIST000000001", ""));

TEST(Header, BadHexMessageNamesTheBytes) {
  ErrorSummary e = failure_of(decode_header("DIST0000zz00"));
  EXPECT_EQ(e.message, "bad hex in protocol header 'DIST0000zz00'");
}

TEST(Token, MismatchNamesBoth) {
  MemorySource in("ARGV00000001x");
  ErrorSummary e = failure_of(read_token(in, "DOTI"));
  EXPECT_EQ(e.code, ExitCode::ProtocolError);
  EXPECT_EQ(e.message, "expected DOTI, got ARGV");
}

TEST(Token, NonPrintableTokenIsEscaped) {
  std::string bytes("\x01\xffZZ00000000", 12);
  MemorySource in(bytes);
  ErrorSummary e = failure_of(read_token(in, "DIST"));
  EXPECT_EQ(e.message, "expected DIST, got \\x01\\xffZZ");
}

TEST(ReadString, BoundedByMaxLen) {
  MemorySource ok("SERR00000003abc");
  EXPECT_EQ(value_of(read_string(ok, "SERR", 3)), "abc");
  MemorySource too_long("SERR00000004abcd");
  ErrorSummary e = failure_of(read_string(too_long, "SERR", 3));
  EXPECT_EQ(e.code, ExitCode::ProtocolError);
  // Refused on the header, before the body was read.
  EXPECT_EQ(too_long.remaining(), 4u);
}

TEST(Version, SupportedSet) {
  EXPECT_TRUE(is_supported_version(0));
  EXPECT_TRUE(is_supported_version(1));
  EXPECT_TRUE(is_supported_version(2));
  EXPECT_FALSE(is_supported_version(3));
  EXPECT_FALSE(is_supported_version(0xffffffff));
  EXPECT_FALSE(is_compressed(0));
  EXPECT_FALSE(is_compressed(1));
  EXPECT_TRUE(is_compressed(2));
}

TEST(Request, V1HandBuiltMatchesReferenceBytes) {
  // distcc-reference §1.10 example A, byte for byte.
  std::vector<std::string> argv = {"gcc", "-c", "x.c", "-o", "x.o"};
  std::string source = "int f(void){return 3;}\n";
  std::string expected =
      "DIST00000001ARGC00000005ARGV00000003gccARGV00000002-cARGV00000003x.c"
      "ARGV00000002-oARGV00000003x.oDOTI00000017int f(void){return 3;}\n";
  std::string encoded =
      encode_request_head(1, argv) + encode_request_source(1, source);
  EXPECT_EQ(encoded, expected);
  EXPECT_EQ(encoded.size(), 132u);
}

struct RoundTripCase {
  uint32_t version;
  std::vector<std::string> argv;
  std::string source;
};

// Keeps test names short and stable (the default prints raw bytes).
void PrintTo(const RoundTripCase& c, std::ostream* os) {
  *os << "v" << c.version << " argc " << c.argv.size() << " source "
      << c.source.size();
}

class RequestRoundTrip : public testing::TestWithParam<RoundTripCase> {};

TEST_P(RequestRoundTrip, DecodesToTheSame) {
  const RoundTripCase& c = GetParam();
  std::string bytes =
      encode_request_head(c.version, c.argv) +
      encode_request_source(c.version, c.source);
  MemorySource in(bytes);
  Request request = value_of(decode_request(in, Limits{}));
  EXPECT_EQ(request.version, c.version);
  EXPECT_EQ(request.argv, c.argv);
  EXPECT_EQ(request.source, c.source);
  EXPECT_EQ(in.remaining(), 0u);
}

std::string binary_bytes(size_t n) {
  std::string out(n, '\0');
  uint32_t x = 12345;
  for (char& c : out) {
    x = x * 1103515245u + 12345u;
    c = static_cast<char>(x >> 24);
  }
  return out;
}

INSTANTIATE_TEST_SUITE_P(
    Codec, RequestRoundTrip,
    testing::Values(
        RoundTripCase{1, {"gcc", "-c", "a.c", "-o", "a.o"}, "int a;\n"},
        RoundTripCase{2, {"gcc", "-c", "a.c", "-o", "a.o"}, "int a;\n"},
        RoundTripCase{0, {"cc"}, "int z;\n"},
        RoundTripCase{1, {"gcc", ""}, ""},
        RoundTripCase{2, {"gcc", "-DX=\"a b\""}, ""},
        RoundTripCase{1, {"g++"}, binary_bytes(300000)},
        RoundTripCase{2, {"g++"}, binary_bytes(300000)},
        RoundTripCase{2, {"g++"}, std::string(3 << 20, 'x')}));

TEST(Request, V2EmptySourceIsZeroLengthNotLzoOfEmpty) {
  EXPECT_EQ(encode_request_source(2, ""), "DOTI00000000");
  EXPECT_EQ(encode_request_source(1, ""), "DOTI00000000");
}

TEST(Request, V2ArgvIsNeverCompressed) {
  std::string head = encode_request_head(2, {"gcc", "-c"});
  EXPECT_EQ(head, "DIST00000002ARGC00000002ARGV00000003gccARGV00000002-c");
}

TEST(Request, V2SourceIsCompressed) {
  std::string source(10000, 'a');
  std::string doti = encode_request_source(2, source);
  EXPECT_LT(doti.size(), 1000u);
  EXPECT_EQ(doti.substr(0, 4), "DOTI");
}

TEST(Request, ZeroArgcIsRefused) {
  MemorySource in("DIST00000001ARGC00000000DOTI00000000");
  ErrorSummary e = failure_of(decode_request(in, Limits{}));
  EXPECT_EQ(e.code, ExitCode::ProtocolError);
}

TEST(Request, VersionZeroIsReadAsPlain) {
  std::string bytes = "DIST00000000ARGC00000001ARGV00000002ccDOTI00000003abc";
  MemorySource in(bytes);
  Request request = value_of(decode_request(in, Limits{}));
  EXPECT_EQ(request.version, 0u);
  EXPECT_EQ(request.source, "abc");
}

class RefusedVersion : public testing::TestWithParam<uint32_t> {};

TEST_P(RefusedVersion, IsUnsupported) {
  std::string bytes = encode_request_head(GetParam(), {"gcc"}) +
                      encode_request_source(1, "x");
  MemorySource in(bytes);
  ErrorSummary e = failure_of(decode_request(in, Limits{}));
  EXPECT_EQ(e.code, ExitCode::ProtocolError);
  EXPECT_EQ(e.message,
            "unsupported protocol version " + std::to_string(GetParam()));
}

INSTANTIATE_TEST_SUITE_P(Codec, RefusedVersion,
                         testing::Values(3u, 4u, 0x100u, 0xffffffffu));

class ResponseRoundTrip : public testing::TestWithParam<uint32_t> {};

TEST_P(ResponseRoundTrip, DecodesToTheSame) {
  Response response;
  response.version = GetParam();
  response.status = 0;
  response.stderr_text = "warning: unused variable 'x'\n";
  response.stdout_text = "some output\n";
  response.object = binary_bytes(5000) + std::string(5000, '\0');
  std::string bytes = encode_response(response);
  MemorySource in(bytes);
  Response decoded = value_of(decode_response(in, GetParam(), Limits{}));
  EXPECT_EQ(decoded.version, response.version);
  EXPECT_EQ(decoded.status, 0u);
  EXPECT_EQ(decoded.stderr_text, response.stderr_text);
  EXPECT_EQ(decoded.stdout_text, response.stdout_text);
  EXPECT_EQ(decoded.object, response.object);
  EXPECT_EQ(in.remaining(), 0u);
}

INSTANTIATE_TEST_SUITE_P(Codec, ResponseRoundTrip, testing::Values(0u, 1u, 2u));

// The ferry-native FIDN packet (docs/protocol.md, "Compiler identity").
TEST(Identity, RequestWithoutOneIsByteForByteDistccs) {
  EXPECT_EQ(encode_request_head(1, {"gcc"}), encode_request_head(1, {"gcc"}, ""));
  EXPECT_EQ(encode_request_head(1, {"gcc"}), "DIST00000001ARGC00000001ARGV00000003gcc");
}

TEST(Identity, GoesRightAfterDistUncompressedAndIsDecoded) {
  std::string id = "gcc x86_64-linux-gnu 12.2.0";
  std::string bytes = encode_request_head(2, {"gcc", "-c", "a.c"}, id) +
                      encode_request_source(2, "int x;\n");
  EXPECT_EQ(bytes.substr(0, 12 + 12 + id.size()),
            "DIST00000002FIDN0000001b" + id);
  MemorySource in(bytes);
  Request r = value_of(decode_request(in, Limits{}));
  EXPECT_EQ(r.identity, id);
  EXPECT_EQ(r.argv, (std::vector<std::string>{"gcc", "-c", "a.c"}));
  EXPECT_EQ(r.source, "int x;\n");
  std::string plain = encode_request_head(1, {"gcc"}) + encode_request_source(1, "");
  MemorySource plain_in(plain);
  EXPECT_EQ(value_of(decode_request(plain_in, Limits{})).identity, "");
}

TEST(Identity, EmptyOrOversizedOrMisplacedIsAProtocolError) {
  MemorySource empty("DIST00000001FIDN00000000ARGC00000001ARGV00000003gcc");
  ErrorSummary e = failure_of(decode_request_head(empty, Limits{}));
  EXPECT_EQ(e.code, ExitCode::ProtocolError);
  EXPECT_NE(e.message.find("FIDN is empty"), std::string::npos) << e.message;
  MemorySource huge("DIST00000001FIDN00100000");
  e = failure_of(decode_request_head(huge, Limits{}));
  EXPECT_NE(e.message.find("FIDN length 1048576 exceeds the identity limit (1024)"),
            std::string::npos)
      << e.message;
  MemorySource twice("DIST00000001FIDN00000001xFIDN00000001x");
  e = failure_of(decode_request_head(twice, Limits{}));
  EXPECT_NE(e.message.find("expected ARGC, got FIDN"), std::string::npos) << e.message;
}

TEST(Identity, RefusalIsDoneAndFidnAndOnlyReadWhenAnIdentityWasSent) {
  Response refusal;
  refusal.version = 2;
  refusal.host_identity = "gcc x86_64-linux-gnu 99.1.0";
  std::string bytes = encode_response(refusal);
  EXPECT_EQ(bytes, "DONE00000002FIDN0000001bgcc x86_64-linux-gnu 99.1.0");
  MemorySource in(bytes);
  Response r = value_of(decode_response(in, 2, Limits{}, /*identity_sent=*/true));
  ASSERT_TRUE(r.host_identity.has_value());
  EXPECT_EQ(*r.host_identity, "gcc x86_64-linux-gnu 99.1.0");
  // A client that sent none takes it for the protocol error it is.
  MemorySource unasked(bytes);
  ErrorSummary e = failure_of(decode_response(unasked, 2, Limits{}));
  EXPECT_NE(e.message.find("expected STAT, got FIDN"), std::string::npos) << e.message;
  // An ordinary answer to a request that carried an identity.
  Response ok;
  ok.version = 1;
  ok.object = "obj";
  std::string ok_bytes = encode_response(ok);
  MemorySource normal(ok_bytes);
  Response n = value_of(decode_response(normal, 1, Limits{}, true));
  EXPECT_FALSE(n.host_identity.has_value());
  EXPECT_EQ(n.object, "obj");
}

TEST(Response, FailedStatusSendsEmptyObject) {
  Response response;
  response.version = 1;
  response.status = 0x100;
  response.stderr_text = "e";
  response.object = "leftover";
  EXPECT_EQ(encode_response(response),
            "DONE00000001STAT00000100SERR00000001eSOUT00000000DOTO00000000");
}

TEST(Response, ObjectWithFailedStatusIsReadAndDropped) {
  // Not valid LZO: a dropped object is not decompressed either.
  std::string bytes =
      "DONE00000002STAT0000000bSERR00000000SOUT00000000DOTO00000004junk"
      "NEXT";
  MemorySource in(bytes);
  Response response = value_of(decode_response(in, 2, Limits{}));
  EXPECT_EQ(response.status, 0xbu);
  EXPECT_EQ(response.object, "");
  // The stream is left right after the DOTO body.
  EXPECT_EQ(in.remaining(), 4u);
}

TEST(Response, DroppedObjectIsStillBounded) {
  Limits limits;
  limits.max_body = 100;
  std::string bytes =
      "DONE00000001STAT00000100SERR00000000SOUT00000000DOTO00000065";
  MemorySource in(bytes);
  ErrorSummary e = failure_of(decode_response(in, 1, limits));
  EXPECT_EQ(e.code, ExitCode::ProtocolError);
  EXPECT_EQ(e.message, "DOTO length 101 exceeds max_body (100)");
}

TEST(Response, DoneMustEchoTheVersion) {
  std::string bytes =
      "DONE00000001STAT00000000SERR00000000SOUT00000000DOTO00000000";
  MemorySource in(bytes);
  ErrorSummary e = failure_of(decode_response(in, 2, Limits{}));
  EXPECT_EQ(e.code, ExitCode::ProtocolError);
  EXPECT_EQ(e.message, "server answered protocol version 1, expected 2");
}

TEST(Response, VersionZeroIsEchoed) {
  Response response;
  response.version = 0;
  response.object = "obj";
  std::string bytes = encode_response(response);
  EXPECT_EQ(bytes.substr(0, 12), "DONE00000000");
  MemorySource in(bytes);
  EXPECT_EQ(value_of(decode_response(in, 0, Limits{})).object, "obj");
}

TEST(Response, WrongTokenOrder) {
  std::string bytes = "DONE00000001STAT00000000SOUT00000000";
  MemorySource in(bytes);
  ErrorSummary e = failure_of(decode_response(in, 1, Limits{}));
  EXPECT_EQ(e.code, ExitCode::ProtocolError);
  EXPECT_EQ(e.message, "expected SERR, got SOUT");
}

TEST(MemorySource, ShortReadReportsCounts) {
  MemorySource in("abc");
  char buf[8];
  ErrorSummary e = failure_of(in.read_exact(buf, 5));
  EXPECT_EQ(e.code, ExitCode::Truncated);
  EXPECT_EQ(e.message, "unexpected end of stream after 3 of 5 bytes");
  EXPECT_EQ(in.remaining(), 0u);
  EXPECT_EQ(error_text(in.read_exact(buf, 0)), "");
}

}  // namespace
}  // namespace ferry::proto
