#include "client/connection.h"

#include <gtest/gtest.h>

namespace ferry::client {
namespace {

hosts::Host ssh_host(const std::string& spec) {
  auto list = hosts::parse_host_list(spec);
  EXPECT_TRUE(static_cast<bool>(list));
  return list->hosts.at(0);
}

TEST(Connection, SshArgv) {
  std::vector<std::string> ssh{"ssh", "-o", "BatchMode=yes"};
  EXPECT_EQ(ssh_argv(ssh_host("bob@box"), ssh),
            (std::vector<std::string>{"ssh", "-o", "BatchMode=yes", "-l", "bob", "box", "ferryd",
                                      "--inetd"}));
  EXPECT_EQ(ssh_argv(ssh_host("@box/3:/opt/bin/ferryd,lzo"), {"ssh"}),
            (std::vector<std::string>{"ssh", "box", "/opt/bin/ferryd", "--inetd"}));
  // The same words on every call (distcc #434 cut them after the first).
  EXPECT_EQ(ssh_argv(ssh_host("bob@box"), ssh), ssh_argv(ssh_host("bob@box"), ssh));
  EXPECT_EQ(ssh.size(), 3U);
}

}  // namespace
}  // namespace ferry::client
