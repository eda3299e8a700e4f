// The [daemon] policy applied to ferryd's options and compiler choice.
#include "daemon/policy.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>

#include "daemon/compiler_policy.h"
#include "daemon/options.h"
#include "net/acl.h"
#include "test_env.h"

namespace ferry::daemon {
namespace {

using config::testing::error_text;

config::Config load(const std::string& text) {
  config::Loader l;
  EXPECT_FALSE(l.add_toml(text, "/etc/ferry/ferryd.toml", config::Layer::Site));
  auto c = std::move(l).finish();
  EXPECT_TRUE(static_cast<bool>(c));
  return c ? std::move(*c) : config::Config();
}

TEST(DaemonPolicy, FilesFillWhatFlagsLeaveOpen) {
  config::Config c = load("[daemon]\nport = 4000\njobs = 3\nallow = [\"10.0.0.0/8\"]\n"
                          "plugin_path = [\"/opt/ferry/plugins\"]\nlisten = \"10.0.0.1\"\n");
  auto o = parse_options({"--jobs", "9"});
  ASSERT_TRUE(static_cast<bool>(o));
  auto p = apply_daemon_policy(c, *o);
  ASSERT_TRUE(static_cast<bool>(p)) << error_text(p.takeError());
  EXPECT_EQ(o->port, 4000);
  EXPECT_EQ(o->jobs, 9u);  // the flag wins
  EXPECT_EQ(o->listen, "10.0.0.1");
  ASSERT_EQ(o->allow.size(), 1u);
  EXPECT_EQ(o->plugin_path, std::vector<std::string>{"/opt/ferry/plugins"});
}

TEST(DaemonPolicy, AllowFlagReplacesThePolicyNetworks) {
  config::Config c = load("daemon.allow = [\"10.0.0.0/8\", \"192.168.0.0/16\"]\n");
  auto o = parse_options({"--allow", "127.0.0.1"});
  ASSERT_TRUE(static_cast<bool>(o));
  ASSERT_TRUE(static_cast<bool>(apply_daemon_policy(c, *o)));
  EXPECT_EQ(o->allow.size(), 1u);
}

TEST(DaemonPolicy, DefaultsChangeNothing) {
  auto o = parse_options({});
  ASSERT_TRUE(static_cast<bool>(o));
  DaemonOptions before = *o;
  auto p = apply_daemon_policy(config::Config(), *o);
  ASSERT_TRUE(static_cast<bool>(p));
  EXPECT_EQ(o->port, before.port);
  EXPECT_EQ(o->jobs, before.jobs);
  EXPECT_TRUE(o->allow.empty());
  EXPECT_TRUE(p->allowed_compilers.empty());
  EXPECT_FALSE(p->max_request_size.has_value());
}

TEST(DaemonPolicy, AllowedCompilersAndTheirPaths) {
  config::Config c = load("[daemon]\nallowed_compilers = [\"gcc\"]\n"
                          "compiler_paths.cc = \"/bin/sh\"\ncompiler_paths.bad = \"/nonexistent/x\"\n"
                          "max_request_size = \"64M\"\n");
  auto o = parse_options({});
  ASSERT_TRUE(static_cast<bool>(o));
  auto p = apply_daemon_policy(c, *o);
  ASSERT_TRUE(static_cast<bool>(p));
  EXPECT_EQ(*p->max_request_size, 64u << 20);
  CompilerChoice gcc{"gcc", "/usr/bin/gcc", nullptr};
  EXPECT_FALSE(apply_compiler_policy(*p, gcc));
  EXPECT_EQ(gcc.path, "/usr/bin/gcc");
  CompilerChoice cc{"cc", "/usr/bin/cc", nullptr};
  EXPECT_FALSE(apply_compiler_policy(*p, cc));
  EXPECT_EQ(cc.path, "/bin/sh");  // listed in compiler_paths: allowed, resolved there
  CompilerChoice other{"gcc-12", "/usr/bin/gcc-12", nullptr};
  EXPECT_EQ(error_text(apply_compiler_policy(*p, other)),
            "compiler 'gcc-12' is not allowed by the daemon policy (daemon.allowed_compilers at "
            "/etc/ferry/ferryd.toml:2:1)");
  CompilerChoice bad{"bad", "/usr/bin/bad", nullptr};
  EXPECT_NE(error_text(apply_compiler_policy(*p, bad)).find("not an executable file"),
            std::string::npos);
}

TEST(DaemonPolicy, NoAllowListMeansEveryClaimedName) {
  DaemonPolicy p;
  CompilerChoice any{"clang-14", "/usr/bin/clang-14", nullptr};
  EXPECT_FALSE(apply_compiler_policy(p, any));
}

TEST(DaemonPolicy, EnforcedKeysIgnoreTheirFlags) {
  config::Config c = load("enforce = [\"daemon.jobs\", \"daemon.allow\"]\n"
                          "[daemon]\njobs = 3\nallow = [\"10.0.0.0/8\"]\nport = 4000\n");
  auto o = parse_options({"--jobs", "9", "--allow", "0.0.0.0/0", "--port", "5000"});
  ASSERT_TRUE(static_cast<bool>(o));
  ASSERT_TRUE(static_cast<bool>(apply_daemon_policy(c, *o)));
  EXPECT_EQ(o->jobs, 3u);      // enforced: the site's value
  EXPECT_EQ(o->port, 5000);    // not enforced: the flag wins
  ASSERT_EQ(o->allow.size(), 1u);  // the site's network only, not 0.0.0.0/0 as well
  sockaddr_in peer{};
  peer.sin_family = AF_INET;
  ::inet_pton(AF_INET, "192.168.1.1", &peer.sin_addr);
  EXPECT_FALSE(net::is_allowed(o->allow, reinterpret_cast<sockaddr*>(&peer), sizeof peer));
}

// `ferryd --show-config`: the flags as the command-line layer, in the key's unit.
TEST(DaemonPolicy, FlagValuesAreTheCommandLineLayer) {
  auto o = parse_options({"--jobs", "9", "--allow", "10.0.0.0/8", "--allow=192.168.0.0/16",
                          "--job-memory", "512", "--stats-port", "4444", "--pid-file", "/x"});
  ASSERT_TRUE(static_cast<bool>(o));
  std::vector<config::FlagValue> flags = flag_values(*o);
  ASSERT_EQ(flags.size(), 5u);
  EXPECT_EQ(flags[0].key, "daemon.allow");
  EXPECT_EQ(flags[0].flag, "--allow 10.0.0.0/8 --allow 192.168.0.0/16");
  ASSERT_EQ(flags[0].value.children.size(), 2u);
  EXPECT_EQ(flags[0].value.children[1].value.s, "192.168.0.0/16");
  EXPECT_EQ(flags[1].key, "daemon.jobs");
  EXPECT_EQ(flags[1].value.i, 9);
  EXPECT_EQ(flags[2].key, "daemon.job_memory");
  EXPECT_EQ(flags[2].value.i, int64_t{512} << 20);
  EXPECT_EQ(flags[3].key, "daemon.stats_port");
  EXPECT_EQ(flags[4].key, "daemon.stats");  // implied by --stats-port
  EXPECT_TRUE(flags[4].value.b);
}

TEST(DaemonPolicy, ConfigFlagIsParsed) {
  auto o = parse_options({"--config", "/etc/ferry/other.toml", "--port", "1"});
  ASSERT_TRUE(static_cast<bool>(o));
  EXPECT_EQ(o->config_file, "/etc/ferry/other.toml");
  EXPECT_EQ(o->given, (std::vector<std::string>{"--config", "--port"}));
}

}  // namespace
}  // namespace ferry::daemon
