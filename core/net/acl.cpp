// Rules and peers are compared in one address space: IPv4 becomes the
// IPv4-mapped IPv6 address ::ffff:a.b.c.d with the mask widened by 96 bits.
// That is exactly how a dual-stack listening socket reports IPv4 clients,
// so "10.0.0.0/8" matches them however the daemon listens.
#include "net/acl.h"

#include <arpa/inet.h>
#include <netinet/in.h>

#include <cstring>

#include "util/error.h"

namespace ferry::net {
namespace {

constexpr unsigned char kMappedPrefix[12] = {0, 0, 0, 0, 0, 0,
                                             0, 0, 0, 0, 0xff, 0xff};

struct Prefix {
  std::array<unsigned char, 16> addr{};
  int bits = 0;
};

Prefix mapped_v4(const unsigned char* v4, int bits) {
  Prefix p;
  std::memcpy(p.addr.data(), kMappedPrefix, sizeof kMappedPrefix);
  std::memcpy(p.addr.data() + 12, v4, 4);
  p.bits = bits + 96;
  return p;
}

Prefix as_v6(const AllowRule& rule) {
  if (rule.family == AF_INET) {
    return mapped_v4(rule.addr.data(), rule.bits);
  }
  return Prefix{rule.addr, rule.bits};
}

bool same_prefix(const std::array<unsigned char, 16>& a,
                 const std::array<unsigned char, 16>& b, int bits) {
  int full = bits / 8;
  if (std::memcmp(a.data(), b.data(), static_cast<size_t>(full)) != 0) {
    return false;
  }
  int rest = bits % 8;
  if (rest == 0) {
    return true;
  }
  auto mask = static_cast<unsigned char>(0xff << (8 - rest));
  return (a[full] & mask) == (b[full] & mask);
}

llvm::Error bad_rule(const std::string& text, const std::string& why) {
  return make_error(ExitCode::BadArguments,
                    "bad --allow rule '" + text + "': " + why);
}

// Decimal digits only: strtol would also take "+8", " 8" and "0x8".
bool parse_bits(const std::string& text, int max, int& bits) {
  if (text.empty() || text.size() > 3) {
    return false;
  }
  int value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') {
      return false;
    }
    value = value * 10 + (c - '0');
  }
  bits = value;
  return value <= max;
}

}  // namespace

llvm::Expected<AllowRule> parse_allow_rule(const std::string& text) {
  size_t slash = text.find('/');
  std::string address = text.substr(0, slash);
  AllowRule rule;
  if (inet_pton(AF_INET, address.c_str(), rule.addr.data()) == 1) {
    rule.family = AF_INET;
    rule.bits = 32;
  } else if (inet_pton(AF_INET6, address.c_str(), rule.addr.data()) == 1) {
    rule.family = AF_INET6;
    rule.bits = 128;
  } else {
    return bad_rule(text, "not an IPv4 or IPv6 address");
  }
  if (slash != std::string::npos) {
    int max = rule.bits;
    if (!parse_bits(text.substr(slash + 1), max, rule.bits)) {
      return bad_rule(text, "mask must be 0.." + std::to_string(max));
    }
  }
  return rule;
}

std::vector<AllowRule> loopback_rules() {
  AllowRule v4;
  v4.family = AF_INET;
  v4.addr[0] = 127;
  v4.bits = 8;
  AllowRule v6;
  v6.family = AF_INET6;
  v6.addr[15] = 1;
  v6.bits = 128;
  return {v4, v6};
}

bool is_allowed(const std::vector<AllowRule>& rules,
                const struct sockaddr* peer, socklen_t len) {
  if (peer == nullptr) {
    return false;
  }
  Prefix who;
  if (peer->sa_family == AF_INET && len >= sizeof(sockaddr_in)) {
    const auto* sin = reinterpret_cast<const sockaddr_in*>(peer);
    who = mapped_v4(reinterpret_cast<const unsigned char*>(&sin->sin_addr), 32);
  } else if (peer->sa_family == AF_INET6 && len >= sizeof(sockaddr_in6)) {
    const auto* sin6 = reinterpret_cast<const sockaddr_in6*>(peer);
    std::memcpy(who.addr.data(), &sin6->sin6_addr, 16);
    who.bits = 128;
  } else {
    // Unix sockets and unknown families have no address to check; deny.
    return false;
  }
  for (const AllowRule& rule : rules) {
    // A rule not made by parse_allow_rule could hold anything; one with no
    // family or a wild mask must not widen into "allow all".
    bool v4 = rule.family == AF_INET && rule.bits >= 0 && rule.bits <= 32;
    bool v6 = rule.family == AF_INET6 && rule.bits >= 0 && rule.bits <= 128;
    if (!v4 && !v6) {
      continue;
    }
    Prefix allowed = as_v6(rule);
    if (same_prefix(allowed.addr, who.addr, allowed.bits)) {
      return true;
    }
  }
  return false;
}

}  // namespace ferry::net
