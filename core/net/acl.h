// --allow IP[/BITS] rules for the daemon. IPv4-mapped IPv6 peers
// (::ffff:a.b.c.d) are matched against IPv4 rules.
#pragma once

#include <sys/socket.h>

#include <array>
#include <string>
#include <vector>

#include <llvm/Support/Error.h>

namespace ferry::net {

struct AllowRule {
  int family = 0;                     // AF_INET or AF_INET6
  std::array<unsigned char, 16> addr{};
  int bits = 0;
};

// "10.0.0.0/8", "127.0.0.1", "::1", "fe80::/10". BadArguments naming the
// text on a bad address or a mask out of range.
llvm::Expected<AllowRule> parse_allow_rule(const std::string& text);
// The rules used when none are given: 127.0.0.0/8 and ::1.
std::vector<AllowRule> loopback_rules();
bool is_allowed(const std::vector<AllowRule>& rules,
                const struct sockaddr* peer, socklen_t len);

}  // namespace ferry::net
