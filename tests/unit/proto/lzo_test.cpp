// LZO1X-1 as distcc frames it: one block, no header, empty stays empty.
#include <gtest/gtest.h>

#include "proto/lzo.h"
#include "test_util.h"

namespace ferry::proto {
namespace {

using test::failure_of;
using test::value_of;

std::string noise(size_t n) {
  std::string out(n, '\0');
  uint32_t x = 99;
  for (char& c : out) {
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    c = static_cast<char>(x);
  }
  return out;
}

TEST(Lzo, EmptyStaysEmpty) {
  EXPECT_EQ(lzo_compress(""), "");
  EXPECT_EQ(value_of(lzo_decompress("", 0)), "");
}

TEST(Lzo, StreamEndsWithTerminator) {
  std::string packed = lzo_compress("hello, hello, hello, hello\n");
  ASSERT_GE(packed.size(), 3u);
  EXPECT_EQ(packed.substr(packed.size() - 3), std::string("\x11\0\0", 3));
}

struct LzoCase {
  const char* name;
  std::string data;
};

void PrintTo(const LzoCase& c, std::ostream* os) { *os << c.name; }

class LzoRoundTrip : public testing::TestWithParam<LzoCase> {};

TEST_P(LzoRoundTrip, DecompressesToInput) {
  const std::string& data = GetParam().data;
  std::string packed = lzo_compress(data);
  EXPECT_EQ(value_of(lzo_decompress(packed, data.size())), data);
}

INSTANTIATE_TEST_SUITE_P(
    Lzo, LzoRoundTrip,
    testing::Values(
        LzoCase{"one byte", "x"}, LzoCase{"text", "int main() {}\n"},
        // Compresses ~250:1, so the 8x first guess must grow.
        LzoCase{"1 MiB of zeros", std::string(1 << 20, '\0')},
        // Incompressible: output larger than input.
        LzoCase{"noise", noise(100000)},
        LzoCase{"long run", noise(1) + std::string(70000, 'q')}));

TEST(Lzo, IncompressibleGrowsBoundedly) {
  std::string data = noise(65536);
  std::string packed = lzo_compress(data);
  EXPECT_GT(packed.size(), data.size());
  EXPECT_LE(packed.size(), data.size() + data.size() / 16 + 64 + 3);
}

TEST(Lzo, MaxOutputIsExact) {
  std::string data(5000, 'z');
  std::string packed = lzo_compress(data);
  EXPECT_EQ(value_of(lzo_decompress(packed, 5000)).size(), 5000u);
  ErrorSummary e = failure_of(lzo_decompress(packed, 4999));
  EXPECT_EQ(e.code, ExitCode::ProtocolError);
  EXPECT_EQ(e.message, "LZO body decompresses to more than 4999 bytes");
}

TEST(Lzo, CorruptInput) {
  ErrorSummary e = failure_of(lzo_decompress("\xff\xff\xff\xff", 1 << 20));
  EXPECT_EQ(e.code, ExitCode::ProtocolError);
  EXPECT_EQ(e.message.rfind("corrupt LZO body", 0), 0u) << e.message;
}

TEST(Lzo, PlainTextIsNotLzo) {
  // A v1 client talking to a v2 peer by mistake sends plain text.
  ErrorSummary e = failure_of(lzo_decompress("int f(void) { return 3; }\n",
                                             1 << 20));
  EXPECT_EQ(e.code, ExitCode::ProtocolError);
}

}  // namespace
}  // namespace ferry::proto
