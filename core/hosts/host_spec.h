// Host lists in distcc 3.4's syntax (FERRY_HOSTS, DISTCC_HOSTS, hosts files):
//   localhost[/N]                       compile here, N slots (default 2)
//   HOST[:PORT][/N][,OPT...]            TCP (default port 3632, 4 slots)
//   HOST[/N][:PORT][,OPT...]            the same, slots before the port
//   [IPv6][:PORT][/N]                   brackets around IPv6 literals
//   [USER]@HOST[/N][:COMMAND][,OPT...]  SSH
//   OPT = lzo | cpp | down | ferry | auth[=NAME]
//   --randomize  --localslots=N  --localslots_cpp=N   (keywords)
// Whitespace separates tokens; '#' starts a comment up to the end of line.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <llvm/Support/Error.h>

namespace ferry::hosts {

enum class HostKind { Local, Tcp, Ssh };

struct Host {
  HostKind kind = HostKind::Local;
  std::string text;      // the token as written
  std::string hostname;  // without brackets
  uint16_t port = 3632;
  int slots = 0;
  std::string user;      // SSH
  std::string command;   // SSH: the daemon to run (default "ferryd"), --inetd appended
  bool lzo = false;      // protocol 2
  bool cpp = false;      // distcc pump mode: not supported, sent as protocol 2
  bool down = false;
  // The host is a ferryd: it may be sent ferry-native packets (the compiler
  // identity check, docs/protocol.md). Never set by guessing: a distccd
  // must never see them.
  bool ferry = false;

  // 1 (plain) or 2 (LZO).
  uint32_t protocol() const { return lzo ? 2 : 1; }
  // "127.0.0.1:3632", "[::1]:4000", "localhost", "bob@box".
  std::string display() const;
  // Names its lock and backoff files: "tcp_HOST_PORT", "ssh_HOST",
  // "localhost" (distcc's names, so they are recognisable).
  std::string lock_key() const;
};

struct HostList {
  std::vector<Host> hosts;
  bool randomize = false;
  int local_slots = 4;
  int local_slots_cpp = 8;
};

// Parses a whole list. Any bad token makes the whole list invalid:
// BadHostSpec "bad host spec 'TOKEN' (token N): WHY".
llvm::Expected<HostList> parse_host_list(std::string_view text);

// Where the list came from, for messages and --show-hosts.
struct HostListSource {
  std::string text;
  std::string origin;  // "FERRY_HOSTS", "/etc/ferry/hosts", ...
};

// FERRY_HOSTS if set (even empty), else DISTCC_HOSTS if set, else the first
// readable file of $FERRY_DIR/hosts (or ~/.ferry/hosts), /etc/ferry/hosts,
// $DISTCC_DIR/hosts (or ~/.distcc/hosts), /etc/distcc/hosts. nullopt when
// there is none.
std::optional<HostListSource> find_host_list();

}  // namespace ferry::hosts
