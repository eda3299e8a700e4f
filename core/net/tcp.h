// TCP with timeouts: a non-blocking connect bounded by a connect timeout,
// listening sockets for the daemon, and socket options distcc relies on.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

#include <llvm/Support/Error.h>

#include "util/unique_fd.h"

namespace ferry::net {

// Resolves host (name, IPv4 or IPv6 literal without brackets) and connects,
// trying each address. ConnectFailed on refusal, Timeout after `timeout`.
llvm::Expected<UniqueFd> connect_tcp(const std::string& host, uint16_t port,
                                     std::chrono::milliseconds timeout);

// Binds and listens (SO_REUSEADDR, backlog). An empty address = any.
// Port 0 picks a free port; see local_port(). BindFailed on error.
llvm::Expected<UniqueFd> listen_tcp(const std::string& address, uint16_t port,
                                    int backlog);
uint16_t local_port(int fd);

// TCP_CORK on/off (ignored on non-TCP descriptors, e.g. inetd pipes).
void set_cork(int fd, bool on);

// "127.0.0.1:34724" / "[::1]:34724" for the peer of a connected socket, or
// an empty string when fd is not a socket.
std::string peer_name(int fd);

}  // namespace ferry::net
