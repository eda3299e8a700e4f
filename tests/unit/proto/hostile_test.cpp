// Inputs a hostile or broken peer could send. The daemon decodes requests
// straight off the network, so none of these may crash, hang or make us
// allocate what the peer merely announced.
#include <atomic>
#include <cstdlib>
#include <new>

#include <gtest/gtest.h>

#include "proto/codec.h"
#include "proto/lzo.h"
#include "test_util.h"

// Every allocation in this test binary goes through here, so a test can
// assert on the largest single allocation a decode made.
namespace {
std::atomic<bool> g_tracking{false};
std::atomic<size_t> g_largest{0};

void note_allocation(size_t n) {
  if (!g_tracking.load(std::memory_order_relaxed)) {
    return;
  }
  size_t seen = g_largest.load(std::memory_order_relaxed);
  while (n > seen && !g_largest.compare_exchange_weak(seen, n)) {
  }
}
}  // namespace

// gcc cannot see that these new and delete are a matched malloc/free pair.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
#endif

void* operator new(size_t n) {
  note_allocation(n);
  if (void* p = std::malloc(n == 0 ? 1 : n)) {
    return p;
  }
  throw std::bad_alloc();
}
void* operator new[](size_t n) { return operator new(n); }
void operator delete(void* p) noexcept { std::free(p); }
void operator delete[](void* p) noexcept { std::free(p); }
void operator delete(void* p, size_t) noexcept { std::free(p); }
void operator delete[](void* p, size_t) noexcept { std::free(p); }

namespace ferry::proto {
namespace {

using test::failure_of;
using test::read_capture;
using test::value_of;

class AllocationWatch {
 public:
  AllocationWatch() {
    g_largest = 0;
    g_tracking = true;
  }
  ~AllocationWatch() { g_tracking = false; }
  size_t largest() const { return g_largest.load(); }
};

TEST(AllocationWatch, SeesAllocations) {
  // Guards the guard: if tracking were broken every bound below would pass.
  AllocationWatch watch;
  std::string big(3 << 20, 'x');
  EXPECT_GE(watch.largest(), size_t{3} << 20);
}

struct HugeCase {
  const char* bytes;
  bool is_request;
  const char* message;
};

void PrintTo(const HugeCase& c, std::ostream* os) { *os << c.bytes; }

class HugeLength : public testing::TestWithParam<HugeCase> {};

TEST_P(HugeLength, RefusedBeforeAllocating) {
  MemorySource in(GetParam().bytes);
  AllocationWatch watch;
  ErrorSummary e = GetParam().is_request
                       ? failure_of(decode_request(in, Limits{}))
                       : failure_of(decode_response(in, 1, Limits{}));
  EXPECT_EQ(e.code, ExitCode::ProtocolError);
  EXPECT_EQ(e.message, GetParam().message);
  EXPECT_LT(watch.largest(), 64u * 1024u);
}

INSTANTIATE_TEST_SUITE_P(
    Hostile, HugeLength,
    testing::Values(
        HugeCase{"DIST00000001ARGCffffffff", true,
                 "ARGC 4294967295 exceeds max_argc (10000)"},
        HugeCase{"DIST00000001ARGC00000001ARGVffffffff", true,
                 "ARGV length 4294967295 exceeds max_arg_len (262144)"},
        HugeCase{"DIST00000002ARGC00000001ARGV00000002ccDOTIffffffff", true,
                 "DOTI length 4294967295 exceeds max_body (1073741824)"},
        HugeCase{"DONE00000001STAT00000000SERRffffffff", false,
                 "SERR length 4294967295 exceeds max_body (1073741824)"},
        HugeCase{"DONE00000001STAT00000000SERR00000000SOUTFFFFFFFF", false,
                 "SOUT length 4294967295 exceeds max_body (1073741824)"},
        HugeCase{"DONE00000001STAT00000000SERR00000000SOUT00000000"
                 "DOTOffffffff",
                 false, "DOTO length 4294967295 exceeds max_body (1073741824)"},
        HugeCase{"DONE00000001STAT00000100SERR00000000SOUT00000000"
                 "DOTOffffffff",
                 false,
                 "DOTO length 4294967295 exceeds max_body (1073741824)"}));

TEST(Hostile, PermissiveLimitsStillAllocateOnlyWhatArrives) {
  Limits limits;
  limits.max_body = 0xffffffff;
  limits.max_total = ~uint64_t{0};
  MemorySource in("DIST00000001ARGC00000001ARGV00000002ccDOTIffffffffabcdef");
  AllocationWatch watch;
  ErrorSummary e = failure_of(decode_request(in, limits));
  EXPECT_EQ(e.code, ExitCode::Truncated);
  EXPECT_LE(watch.largest(), size_t{2} << 20);
}

std::string request_with_args(size_t n, const std::string& arg) {
  return encode_request_head(1, std::vector<std::string>(n, arg)) +
         encode_request_source(1, "x");
}

TEST(Hostile, ArgcLimit) {
  Limits limits;
  limits.max_argc = 4;
  std::string four_bytes = request_with_args(4, "a");
  MemorySource four(four_bytes);
  EXPECT_EQ(value_of(decode_request(four, limits)).argv.size(), 4u);
  std::string five_bytes = request_with_args(5, "a");
  MemorySource five(five_bytes);
  ErrorSummary e = failure_of(decode_request(five, limits));
  EXPECT_EQ(e.code, ExitCode::ProtocolError);
  EXPECT_EQ(e.message, "ARGC 5 exceeds max_argc (4)");
  // Nothing after ARGC was read.
  EXPECT_EQ(five.remaining(), five_bytes.size() - 2 * kHeaderSize);
}

TEST(Hostile, ArgLengthLimit) {
  Limits limits;
  limits.max_arg_len = 10;
  std::string ten_bytes = request_with_args(1, std::string(10, 'a'));
  MemorySource ten(ten_bytes);
  EXPECT_EQ(value_of(decode_request(ten, limits)).argv[0].size(), 10u);
  std::string eleven_bytes = request_with_args(1, std::string(11, 'a'));
  MemorySource eleven(eleven_bytes);
  ErrorSummary e = failure_of(decode_request(eleven, limits));
  EXPECT_EQ(e.code, ExitCode::ProtocolError);
  EXPECT_EQ(e.message, "ARGV length 11 exceeds max_arg_len (10)");
}

TEST(Hostile, TotalLimitCoversAllArgs) {
  Limits limits;
  limits.max_total = 20;
  std::string bytes = request_with_args(3, std::string(8, 'a'));
  MemorySource in(bytes);
  ErrorSummary e = failure_of(decode_request(in, limits));
  EXPECT_EQ(e.code, ExitCode::ProtocolError);
  EXPECT_EQ(e.message, "message exceeds max_total (20 bytes)");
}

TEST(Hostile, TotalLimitCoversArgsAndSource) {
  Limits limits;
  limits.max_total = 20;
  std::string bytes = encode_request_head(1, {std::string(10, 'a')}) +
                      encode_request_source(1, std::string(11, 's'));
  MemorySource in(bytes);
  ErrorSummary e = failure_of(decode_request(in, limits));
  EXPECT_EQ(e.code, ExitCode::ProtocolError);
  EXPECT_EQ(e.message, "message exceeds max_total (20 bytes)");
  // 10 + 10 fits exactly.
  std::string fits = encode_request_head(1, {std::string(10, 'a')}) +
                     encode_request_source(1, std::string(10, 's'));
  MemorySource in2(fits);
  EXPECT_EQ(value_of(decode_request(in2, limits)).source.size(), 10u);
}

class CapturePrefix : public testing::TestWithParam<const char*> {};

// Every proper prefix of a valid message is a peer that hung up early: it
// must give Truncated, never a crash, a hang or a bogus success.
TEST_P(CapturePrefix, EveryPrefixIsTruncated) {
  std::string name = GetParam();
  std::string bytes = read_capture(name);
  ASSERT_FALSE(bytes.empty());
  bool is_request = name.find(".req") != std::string::npos;
  uint32_t version = name.rfind("v2", 0) == 0 ? 2 : 1;
  for (size_t n = 0; n < bytes.size(); ++n) {
    MemorySource in(std::string_view(bytes).substr(0, n));
    ErrorSummary e = is_request
                         ? failure_of(decode_request(in, Limits{}))
                         : failure_of(decode_response(in, version, Limits{}));
    ASSERT_EQ(e.code, ExitCode::Truncated)
        << name << " cut at " << n << ": " << e.message;
  }
  MemorySource whole(bytes);
  if (is_request) {
    EXPECT_TRUE(static_cast<bool>(value_of(decode_request(whole, Limits{}))
                                      .argv.size()));
  } else {
    value_of(decode_response(whole, version, Limits{}));
  }
  EXPECT_EQ(whole.remaining(), 0u);
}

INSTANTIATE_TEST_SUITE_P(
    Hostile, CapturePrefix,
    testing::Values("v1-ok.req", "v1-ok.resp", "v1-compile-error.resp",
                    "v2-lzo-ok.req", "v2-lzo-ok.resp",
                    "v2-lzo-compile-error.resp"));

std::string replace_first(std::string s, const std::string& from,
                          const std::string& to) {
  size_t at = s.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  if (at != std::string::npos) {
    s.replace(at, from.size(), to);
  }
  return s;
}

TEST(Hostile, WrongTokens) {
  std::string good = read_capture("v1-ok.req");
  struct Case {
    const char* from;
    const char* to;
    const char* message;
  };
  for (const Case& c : {Case{"DIST", "DOST", "expected DIST, got DOST"},
                        Case{"ARGC", "ARGX", "expected ARGC, got ARGX"},
                        Case{"ARGV", "argv", "expected ARGV, got argv"},
                        Case{"DOTI", "DOTO", "expected DOTI, got DOTO"}}) {
    std::string bad = replace_first(good, c.from, c.to);
    MemorySource in(bad);
    ErrorSummary e = failure_of(decode_request(in, Limits{}));
    EXPECT_EQ(e.code, ExitCode::ProtocolError);
    EXPECT_EQ(e.message, c.message);
  }
}

TEST(Hostile, CorruptLzoBody) {
  std::string good = read_capture("v2-lzo-ok.req");
  size_t body = good.find("DOTI00000082") + kHeaderSize;
  std::string garbage = good;
  for (size_t i = body; i < garbage.size(); ++i) {
    garbage[i] = '\xff';
  }
  MemorySource in(garbage);
  ErrorSummary e = failure_of(decode_request(in, Limits{}));
  EXPECT_EQ(e.code, ExitCode::ProtocolError);
  EXPECT_EQ(e.message.rfind("DOTI: corrupt LZO body", 0), 0u) << e.message;
}

TEST(Hostile, LzoBodyMissingItsEnd) {
  std::string good = read_capture("v2-lzo-ok.req");
  std::string cut = replace_first(good, "DOTI00000082", "DOTI00000081");
  cut.pop_back();
  MemorySource in(cut);
  ErrorSummary e = failure_of(decode_request(in, Limits{}));
  EXPECT_EQ(e.code, ExitCode::ProtocolError);
  EXPECT_NE(e.message.find("corrupt LZO body"), std::string::npos);
}

TEST(Hostile, LzoTrailingGarbage) {
  std::string good = read_capture("v2-lzo-ok.req");
  std::string extra = replace_first(good, "DOTI00000082", "DOTI00000083");
  extra.push_back('\0');
  MemorySource in(extra);
  ErrorSummary e = failure_of(decode_request(in, Limits{}));
  EXPECT_EQ(e.code, ExitCode::ProtocolError);
}

TEST(Hostile, CorruptLzoObject) {
  std::string good = read_capture("v2-lzo-ok.resp");
  std::string bad = good;
  bad[good.find("DOTO") + kHeaderSize] = '\xff';
  bad[good.find("DOTO") + kHeaderSize + 1] = '\xff';
  MemorySource in(bad);
  ErrorSummary e = failure_of(decode_response(in, 2, Limits{}));
  EXPECT_EQ(e.code, ExitCode::ProtocolError);
  EXPECT_EQ(e.message.rfind("DOTO: ", 0), 0u) << e.message;
}

TEST(Hostile, LzoBombIsBoundedByMaxBody) {
  std::string bomb = encode_request_head(2, {"gcc"}) +
                     encode_request_source(2, std::string(8 << 20, '\0'));
  ASSERT_LT(bomb.size(), 64u * 1024u);
  Limits limits;
  limits.max_body = 1 << 20;
  MemorySource in(bomb);
  AllocationWatch watch;
  ErrorSummary e = failure_of(decode_request(in, limits));
  EXPECT_EQ(e.code, ExitCode::ProtocolError);
  EXPECT_EQ(e.message, "DOTI: LZO body decompresses to more than 1048576 bytes");
  EXPECT_LE(watch.largest(), size_t{1} << 21);
}

TEST(Hostile, LzoBombIsBoundedByMaxTotal) {
  std::string bomb = encode_request_head(2, {"gcc"}) +
                     encode_request_source(2, std::string(8 << 20, '\0'));
  Limits limits;
  limits.max_total = 1 << 20;
  MemorySource in(bomb);
  ErrorSummary e = failure_of(decode_request(in, limits));
  EXPECT_EQ(e.code, ExitCode::ProtocolError);
  EXPECT_EQ(e.message,
            "DOTI: LZO body decompresses to more than 1048573 bytes");
}

}  // namespace
}  // namespace ferry::proto
