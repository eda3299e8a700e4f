// --allow rules: parsing and matching, including IPv4 clients seen through
// a dual-stack socket as ::ffff:a.b.c.d.
#include <arpa/inet.h>
#include <netinet/in.h>

#include <gtest/gtest.h>

#include "net/acl.h"
#include "net_test_util.h"

namespace ferry::net {
namespace {

using test::failure_of;

sockaddr_storage peer(const std::string& address) {
  sockaddr_storage ss{};
  if (address.find(':') == std::string::npos) {
    auto& sin = reinterpret_cast<sockaddr_in&>(ss);
    sin.sin_family = AF_INET;
    sin.sin_port = htons(1234);
    EXPECT_EQ(inet_pton(AF_INET, address.c_str(), &sin.sin_addr), 1);
  } else {
    auto& sin6 = reinterpret_cast<sockaddr_in6&>(ss);
    sin6.sin6_family = AF_INET6;
    sin6.sin6_port = htons(1234);
    EXPECT_EQ(inet_pton(AF_INET6, address.c_str(), &sin6.sin6_addr), 1);
  }
  return ss;
}

bool allowed(const std::vector<AllowRule>& rules, const std::string& who) {
  sockaddr_storage ss = peer(who);
  socklen_t len = ss.ss_family == AF_INET ? sizeof(sockaddr_in)
                                           : sizeof(sockaddr_in6);
  return is_allowed(rules, reinterpret_cast<sockaddr*>(&ss), len);
}

std::vector<AllowRule> rules(std::initializer_list<const char*> texts) {
  std::vector<AllowRule> out;
  for (const char* text : texts) {
    auto rule = parse_allow_rule(text);
    if (!rule) {
      ADD_FAILURE() << summarize(rule.takeError()).message;
      continue;
    }
    out.push_back(*rule);
  }
  return out;
}

TEST(Acl, ParsesFamiliesAndDefaultMasks) {
  auto v4 = parse_allow_rule("10.1.2.3");
  ASSERT_TRUE(static_cast<bool>(v4));
  EXPECT_EQ(v4->family, AF_INET);
  EXPECT_EQ(v4->bits, 32);
  EXPECT_EQ(v4->addr[0], 10);
  EXPECT_EQ(v4->addr[3], 3);
  auto v6 = parse_allow_rule("fe80::/10");
  ASSERT_TRUE(static_cast<bool>(v6));
  EXPECT_EQ(v6->family, AF_INET6);
  EXPECT_EQ(v6->bits, 10);
  EXPECT_EQ(v6->addr[0], 0xfe);
  EXPECT_EQ(v6->addr[1], 0x80);
  auto one = parse_allow_rule("::1");
  ASSERT_TRUE(static_cast<bool>(one));
  EXPECT_EQ(one->bits, 128);
}

struct MatchCase {
  const char* rule;
  const char* peer;
  bool allowed;
};

void PrintTo(const MatchCase& c, std::ostream* os) {
  *os << c.rule << " vs " << c.peer;
}

class AclMatch : public testing::TestWithParam<MatchCase> {};

TEST_P(AclMatch, Table) {
  EXPECT_EQ(allowed(rules({GetParam().rule}), GetParam().peer),
            GetParam().allowed)
      << GetParam().rule << " vs " << GetParam().peer;
}

INSTANTIATE_TEST_SUITE_P(
    Acl, AclMatch,
    testing::Values(
        // IPv4, host and prefixes.
        MatchCase{"10.0.0.1", "10.0.0.1", true},
        MatchCase{"10.0.0.1", "10.0.0.2", false},
        MatchCase{"10.0.0.1/32", "10.0.0.1", true},
        MatchCase{"10.0.0.1/32", "10.0.0.0", false},
        MatchCase{"10.0.0.0/8", "10.255.1.2", true},
        MatchCase{"10.0.0.0/8", "11.0.0.1", false},
        MatchCase{"192.168.4.0/22", "192.168.7.255", true},
        MatchCase{"192.168.4.0/22", "192.168.8.0", false},
        // Host bits in the rule are ignored under the mask.
        MatchCase{"10.9.9.9/8", "10.1.1.1", true},
        MatchCase{"0.0.0.0/0", "203.0.113.9", true},
        // IPv6.
        MatchCase{"::1", "::1", true},
        MatchCase{"::1", "::2", false},
        MatchCase{"fe80::/10", "fe80::1234", true},
        MatchCase{"fe80::/10", "febf::1", true},
        MatchCase{"fe80::/10", "fec0::1", false},
        MatchCase{"2001:db8::/32", "2001:db8:ffff::1", true},
        MatchCase{"2001:db8::/32", "2001:db9::1", false},
        MatchCase{"::/0", "2001:db8::1", true},
        // IPv4 clients of a dual-stack socket match IPv4 rules.
        MatchCase{"127.0.0.0/8", "::ffff:127.0.0.1", true},
        MatchCase{"10.0.0.0/8", "::ffff:10.2.3.4", true},
        MatchCase{"10.0.0.0/8", "::ffff:11.2.3.4", false},
        MatchCase{"10.0.0.1/32", "::ffff:10.0.0.1", true},
        MatchCase{"0.0.0.0/0", "::ffff:1.2.3.4", true},
        // ...but an IPv4 rule says nothing about real IPv6 peers.
        MatchCase{"0.0.0.0/0", "2001:db8::1", false},
        MatchCase{"0.0.0.0/0", "::1", false},
        // And an IPv6 host rule does not match IPv4 peers.
        MatchCase{"::1", "127.0.0.1", false}));

TEST(Acl, LoopbackRules) {
  std::vector<AllowRule> loop = loopback_rules();
  ASSERT_EQ(loop.size(), 2u);
  EXPECT_TRUE(allowed(loop, "127.0.0.1"));
  EXPECT_TRUE(allowed(loop, "127.255.0.9"));
  EXPECT_TRUE(allowed(loop, "::1"));
  EXPECT_TRUE(allowed(loop, "::ffff:127.0.0.1"));
  EXPECT_FALSE(allowed(loop, "128.0.0.1"));
  EXPECT_FALSE(allowed(loop, "10.0.0.1"));
  EXPECT_FALSE(allowed(loop, "::2"));
  EXPECT_FALSE(allowed(loop, "fe80::1"));
}

TEST(Acl, AnyRuleOfSeveral) {
  auto several = rules({"10.0.0.0/8", "192.168.1.7", "fd00::/8"});
  EXPECT_TRUE(allowed(several, "10.3.3.3"));
  EXPECT_TRUE(allowed(several, "192.168.1.7"));
  EXPECT_TRUE(allowed(several, "fd12::1"));
  EXPECT_FALSE(allowed(several, "192.168.1.8"));
  EXPECT_FALSE(allowed(several, "fe00::1"));
}

TEST(Acl, NoRulesAllowsNobody) {
  EXPECT_FALSE(allowed({}, "127.0.0.1"));
  EXPECT_FALSE(allowed({}, "::1"));
}

TEST(Acl, ShortOrForeignAddressIsDenied) {
  auto all = rules({"0.0.0.0/0", "::/0"});
  sockaddr_storage ss = peer("10.0.0.1");
  EXPECT_FALSE(is_allowed(all, reinterpret_cast<sockaddr*>(&ss), 4));
  sockaddr_storage unix_peer{};
  unix_peer.ss_family = AF_UNIX;
  EXPECT_FALSE(is_allowed(all, reinterpret_cast<sockaddr*>(&unix_peer),
                          sizeof unix_peer));
  EXPECT_FALSE(is_allowed(all, nullptr, 0));
}

TEST(Acl, HandMadeRuleWithoutFamilyMatchesNothing) {
  AllowRule blank;  // family 0, bits 0: must not mean "everything"
  EXPECT_FALSE(allowed({blank}, "10.0.0.1"));
  EXPECT_FALSE(allowed({blank}, "::1"));
}

struct BadCase {
  const char* text;
  const char* message;
};

void PrintTo(const BadCase& c, std::ostream* os) { *os << "'" << c.text << "'"; }

class AclBad : public testing::TestWithParam<BadCase> {};

TEST_P(AclBad, IsBadArguments) {
  ErrorSummary e = failure_of(parse_allow_rule(GetParam().text));
  EXPECT_EQ(e.code, ExitCode::BadArguments);
  EXPECT_EQ(e.message, GetParam().message);
}

INSTANTIATE_TEST_SUITE_P(
    Acl, AclBad,
    testing::Values(
        BadCase{"10.0.0.0/33", "bad --allow rule '10.0.0.0/33': mask must be 0..32"},
        BadCase{"10.0.0.0/-1", "bad --allow rule '10.0.0.0/-1': mask must be 0..32"},
        BadCase{"10.0.0.0/+8", "bad --allow rule '10.0.0.0/+8': mask must be 0..32"},
        BadCase{"10.0.0.0/", "bad --allow rule '10.0.0.0/': mask must be 0..32"},
        BadCase{"10.0.0.0/8x", "bad --allow rule '10.0.0.0/8x': mask must be 0..32"},
        BadCase{"10.0.0.0/0008", "bad --allow rule '10.0.0.0/0008': mask must be 0..32"},
        BadCase{"::1/129", "bad --allow rule '::1/129': mask must be 0..128"},
        BadCase{"10.0.0", "bad --allow rule '10.0.0': not an IPv4 or IPv6 address"},
        BadCase{"256.0.0.1", "bad --allow rule '256.0.0.1': not an IPv4 or IPv6 address"},
        BadCase{"localhost", "bad --allow rule 'localhost': not an IPv4 or IPv6 address"},
        BadCase{"", "bad --allow rule '': not an IPv4 or IPv6 address"},
        BadCase{"/8", "bad --allow rule '/8': not an IPv4 or IPv6 address"},
        BadCase{" 10.0.0.1", "bad --allow rule ' 10.0.0.1': not an IPv4 or IPv6 address"}));

TEST(Acl, MaskEdges) {
  auto zero = parse_allow_rule("1.2.3.4/0");
  ASSERT_TRUE(static_cast<bool>(zero));
  EXPECT_EQ(zero->bits, 0);
  auto full6 = parse_allow_rule("::/128");
  ASSERT_TRUE(static_cast<bool>(full6));
  EXPECT_EQ(full6->bits, 128);
  auto v6_mask_over_v4_limit = parse_allow_rule("fd00::/64");
  ASSERT_TRUE(static_cast<bool>(v6_mask_over_v4_limit));
  EXPECT_EQ(v6_mask_over_v4_limit->bits, 64);
}

}  // namespace
}  // namespace ferry::net
