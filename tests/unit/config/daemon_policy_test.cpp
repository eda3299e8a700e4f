// The [daemon] policy applied to ferryd's options and compiler choice.
#include "daemon/policy.h"

#include <gtest/gtest.h>

#include "daemon/compiler_policy.h"
#include "daemon/options.h"
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

TEST(DaemonPolicy, ConfigFlagIsParsed) {
  auto o = parse_options({"--config", "/etc/ferry/other.toml", "--port", "1"});
  ASSERT_TRUE(static_cast<bool>(o));
  EXPECT_EQ(o->config_file, "/etc/ferry/other.toml");
  EXPECT_EQ(o->given, (std::vector<std::string>{"--config", "--port"}));
}

}  // namespace
}  // namespace ferry::daemon
