// A byte pipe to a daemon: a TCP socket, or an ssh child process speaking
// the same protocol on its stdin/stdout (`ssh [-l USER] HOST ferryd --inetd`).
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

#include <llvm/Support/Error.h>

#include "client/settings.h"
#include "hosts/host_spec.h"
#include "util/unique_fd.h"

namespace ferry::client {

class Connection {
 public:
  Connection(UniqueFd fd, pid_t child) : m_fd(std::move(fd)), m_child(child) {}
  Connection(Connection&& o) noexcept;
  Connection& operator=(Connection&&) = delete;
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;
  // Closes the pipe, then reaps the ssh child (terminating it if it lingers).
  ~Connection();
  int fd() const { return m_fd.get(); }

 private:
  UniqueFd m_fd;
  pid_t m_child = -1;
};

// The ssh argv for an SSH host: the FERRY_SSH words (as split once), then
// [-l USER] HOST COMMAND --inetd.
std::vector<std::string> ssh_argv(const hosts::Host& host,
                                  const std::vector<std::string>& ssh_command);

// ConnectFailed / Timeout for TCP; for SSH, CompilerMissing-free: a failure
// to start ssh is ConnectFailed, a failure of ssh itself shows up as an
// early end of stream when reading.
llvm::Expected<Connection> open_connection(const hosts::Host& host,
                                           const ClientSettings& settings);

}  // namespace ferry::client
