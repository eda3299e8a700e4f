#include "config/config.h"

#include <gtest/gtest.h>

#include "config/show.h"
#include "test_env.h"

namespace ferry::config {
namespace {

using testing::error_text;
using testing::fake_env;
using testing::fake_getenv;

class ConfigTest : public ::testing::Test {
 protected:
  void SetUp() override { fake_env().clear(); }
  void add(const std::string& text, const std::string& name, Layer layer) {
    llvm::Error err = loader.add_toml(text, name, layer);
    ASSERT_FALSE(err) << error_text(std::move(err));
  }
  std::string add_error(const std::string& text, const std::string& name, Layer layer) {
    return error_text(loader.add_toml(text, name, layer));
  }
  Config finish() {
    auto c = std::move(loader).finish();
    EXPECT_TRUE(static_cast<bool>(c)) << error_text(c.takeError());
    return c ? std::move(*c) : Config();
  }
  Loader loader;
};

TEST_F(ConfigTest, DefaultsComeFromTheTable) {
  Config c;
  EXPECT_TRUE(c.get_bool("client.fallback"));
  EXPECT_EQ(c.get_duration("client.connect_timeout").count(), 4000);
  EXPECT_EQ(c.get_int("daemon.port"), 3632);
  EXPECT_EQ(c.get_int("daemon.max_request_size"), 2LL << 30);
  EXPECT_EQ(c.setting("client.fallback").origin.where(), "default");
  EXPECT_FALSE(c.is_set("client.fallback"));
}

TEST_F(ConfigTest, ValueRecordsFileLineAndColumn) {
  add("# site\n[client]\nfallback = false\nio_timeout = 2.5\n", "/etc/ferry/policy.toml",
      Layer::Site);
  Config c = finish();
  EXPECT_FALSE(c.get_bool("client.fallback"));
  EXPECT_EQ(c.setting("client.fallback").origin.where(), "/etc/ferry/policy.toml:3:1");
  EXPECT_EQ(c.get_duration("client.io_timeout").count(), 2500);
  EXPECT_EQ(c.setting("client.io_timeout").origin.line, 4u);
}

TEST_F(ConfigTest, DottedKeysAtTopLevelWorkToo) {
  add("client.fallback = false\n", "u.toml", Layer::User);
  EXPECT_FALSE(finish().get_bool("client.fallback"));
}

TEST_F(ConfigTest, HigherLayersWin) {
  add("client.strategy = \"site\"\nclient.backoff_period = 10\n", "site", Layer::Site);
  add("client.strategy = \"user\"\n", "user", Layer::User);
  add("client.strategy = \"project\"\n", "project", Layer::Project);
  fake_env()["FERRY_BACKOFF_PERIOD"] = "20";
  ASSERT_FALSE(loader.add_env(fake_getenv));
  ASSERT_FALSE(loader.add_cli("client.strategy=plain"));
  Config c = finish();
  EXPECT_EQ(c.get_string("client.strategy"), "plain");
  EXPECT_EQ(c.setting("client.strategy").origin.layer, Layer::CommandLine);
  EXPECT_EQ(c.get_seconds("client.backoff_period"), 20);
  EXPECT_EQ(c.setting("client.backoff_period").origin.where(), "FERRY_BACKOFF_PERIOD");
}

TEST_F(ConfigTest, DistccVariablesAreFallbacks) {
  fake_env()["DISTCC_IO_TIMEOUT"] = "7";
  ASSERT_FALSE(loader.add_env(fake_getenv));
  Config c = finish();
  EXPECT_EQ(c.get_seconds("client.io_timeout"), 7);
  EXPECT_EQ(c.setting("client.io_timeout").origin.where(), "DISTCC_IO_TIMEOUT");
}

TEST_F(ConfigTest, EnforcedKeyIgnoresLowerLayersAndSaysWhy) {
  add("enforce = [\"client.fallback\", \"local.flags\"]\n"
      "[client]\nfallback = false\n[local]\nflags = [\"-march=native\"]\n",
      "/etc/ferry/policy.toml", Layer::Site);
  add("[client]\nfallback = true\n[local]\nflags = [\"-O9\"]\n", "/home/u/config.toml",
      Layer::User);
  fake_env()["FERRY_FALLBACK"] = "1";
  ASSERT_FALSE(loader.add_env(fake_getenv));
  Config c = finish();
  EXPECT_FALSE(c.get_bool("client.fallback"));
  ASSERT_EQ(c.get_items("local.flags").size(), 1u);
  ASSERT_EQ(c.notices().size(), 3u);
  EXPECT_EQ(c.notices()[0],
            "/home/u/config.toml:2:1: client.fallback is enforced by "
            "/etc/ferry/policy.toml:1:12; this setting is ignored");
  EXPECT_NE(c.notices()[2].find("FERRY_FALLBACK: client.fallback is enforced by"),
            std::string::npos);
}

TEST_F(ConfigTest, EnforcingTheGroupLocksTheListToo) {
  add("enforce = [\"hosts.group\"]\n[hosts]\ngroup = \"a\"\ngroups.a = \"red green\"\n",
      "site", Layer::Site);
  fake_env()["FERRY_HOSTS"] = "evil";
  ASSERT_FALSE(loader.add_env(fake_getenv));
  Config c = finish();
  EXPECT_FALSE(c.is_set("hosts.list"));
  EXPECT_EQ(c.notices().size(), 1u);
}

TEST_F(ConfigTest, OnlySiteFilesEnforce) {
  EXPECT_EQ(add_error("enforce = [\"client.fallback\"]\n", "u.toml", Layer::User),
            "u.toml:1:1: enforce: only a site file may enforce keys");
  EXPECT_EQ(add_error("enforce = [\"client.falback\"]\n", "s.toml", Layer::Site),
            "s.toml:1:12: enforce: expected a configuration key (did you mean "
            "'client.fallback'?), found 'client.falback'");
}

TEST_F(ConfigTest, UnknownKeyNamesFileLineColumnAndTheNearestKey) {
  EXPECT_EQ(add_error("[client]\n\nfallbak = true\n", "f.toml", Layer::User),
            "f.toml:3:1: unknown key 'client.fallbak' (expected a known key; did you mean "
            "'client.fallback'?)");
  EXPECT_EQ(add_error("[nonsense]\nx = 1\n", "f.toml", Layer::User),
            "f.toml:1:2: unknown key 'nonsense'");
}

TEST_F(ConfigTest, WrongTypeSaysWhatWasExpected) {
  EXPECT_EQ(add_error("[client]\nfallback = \"yes\"\n", "f.toml", Layer::User),
            "f.toml:2:12: client.fallback: expected a boolean (true or false), found 'yes'");
  EXPECT_EQ(add_error("local.sources = \"*.S\"\n", "f.toml", Layer::User),
            "f.toml:1:17: local.sources: expected an array of strings, found '*.S'");
  EXPECT_EQ(add_error("local.sources = [\"a\", 3]\n", "f.toml", Layer::User),
            "f.toml:1:23: local.sources: expected a string in the array, found 3");
}

TEST_F(ConfigTest, ImpossibleValuesAreRefused) {
  EXPECT_EQ(add_error("[daemon]\njobs = 5000\n", "d.toml", Layer::Site),
            "d.toml:2:8: daemon.jobs: expected an integer in 0..1000, found 5000");
  EXPECT_EQ(add_error("client.io_timeout = -1\n", "f", Layer::User),
            "f:1:21: client.io_timeout: expected a number of seconds in 0.001..86400, found -1");
  EXPECT_EQ(add_error("daemon.allow = [\"10.0.0.0/33\"]\n", "d", Layer::Site).substr(0, 45),
            "d:1:17: daemon.allow: expected a network IP[/");
  EXPECT_NE(add_error("hosts.groups.a = \"red/0\"\n", "f", Layer::User)
                .find("f:1:18: hosts.groups: expected a host list in distcc's syntax"),
            std::string::npos);
  EXPECT_EQ(add_error("daemon.tmpdir = \"tmp\"\n", "d", Layer::Site),
            "d:1:17: daemon.tmpdir: expected an absolute path, found 'tmp'");
}

TEST_F(ConfigTest, MalformedTomlGivesPosition) {
  std::string e = add_error("[client\nfallback = true\n", "bad.toml", Layer::User);
  EXPECT_EQ(e.rfind("bad.toml:1:", 0), 0u) << e;
  EXPECT_EQ(e.find('\n'), std::string::npos) << "one line";
}

TEST_F(ConfigTest, LayersMayOnlySetWhatTheyOwn) {
  EXPECT_EQ(add_error("[daemon]\njobs = 4\n", "u.toml", Layer::User),
            "u.toml:2:1: daemon.jobs: cannot be set in a user file (only: site, command line)");
  EXPECT_EQ(add_error("hosts.list = \"evil.example.com\"\n", "p/.ferry.toml", Layer::Project),
            "p/.ferry.toml:1:1: hosts.list: cannot be set in a project file (only: site, "
            "user, environment, command line)");
}

TEST_F(ConfigTest, ForceLocalRulesAccumulateAcrossLayers) {
  add("local.sources = [\"third_party/*\"]\n", "site", Layer::Site);
  add("local.sources = [\"*.S\"]\n", "user", Layer::User);
  Config c = finish();
  ASSERT_EQ(c.get_items("local.sources").size(), 2u);
  EXPECT_EQ(c.get_items("local.sources")[1].origin.where(), "user:1:18");
}

TEST_F(ConfigTest, PlainListsAreReplaced) {
  add("daemon.allow = [\"10.0.0.0/8\", \"::1\"]\n", "site", Layer::Site);
  add("daemon.allow = [\"192.168.0.0/16\"]\n", "ferryd.toml", Layer::Site);
  Config c = finish();
  ASSERT_EQ(c.get_items("daemon.allow").size(), 1u);
}

TEST_F(ConfigTest, MapsMergeEntryByEntry) {
  add("[compilers]\ncc = \"suncc\"\n\"i686-linux-gcc-3.2\" = \"gcc\"\n", "site", Layer::Site);
  add("[compilers]\ncc = \"gcc\"\nmycc = \"clang\"\n", "user", Layer::User);
  Config c = finish();
  ASSERT_EQ(c.get_items("compilers").size(), 3u);
  EXPECT_EQ(c.map_find("compilers", "cc")->value, "gcc");
  EXPECT_EQ(c.map_find("compilers", "cc")->origin.where(), "user:2:6");
  EXPECT_EQ(c.map_find("compilers", "i686-linux-gcc-3.2")->value, "gcc");
}

TEST_F(ConfigTest, CompilerMapFromTheEnvironment) {
  fake_env()["FERRY_COMPILER_MAP"] = "cc=suncc, foo-cc = gcc";
  ASSERT_FALSE(loader.add_env(fake_getenv));
  Config c = finish();
  ASSERT_NE(c.map_find("compilers", "foo-cc"), nullptr);
  EXPECT_EQ(c.map_find("compilers", "cc")->value, "suncc");
  EXPECT_EQ(c.map_find("compilers", "cc")->origin.where(), "FERRY_COMPILER_MAP");
}

TEST_F(ConfigTest, BadEnvironmentValueNamesTheVariable) {
  fake_env()["FERRY_IO_TIMEOUT"] = "soon";
  EXPECT_EQ(error_text(loader.add_env(fake_getenv)),
            "FERRY_IO_TIMEOUT: client.io_timeout: expected a number of seconds in "
            "0.001..86400, found 'soon'");
  fake_env().clear();
  fake_env()["FERRY_COMPILER_MAP"] = "cc";
  EXPECT_NE(error_text(loader.add_env(fake_getenv)).find("expected NAME=VALUE"),
            std::string::npos);
}

TEST_F(ConfigTest, EnvironmentBooleansAreDistccs) {
  fake_env()["FERRY_FALLBACK"] = "0";
  fake_env()["FERRY_VERBOSE"] = "1";
  ASSERT_FALSE(loader.add_env(fake_getenv));
  Config c = finish();
  EXPECT_FALSE(c.get_bool("client.fallback"));
  EXPECT_TRUE(c.get_bool("log.verbose"));
}

TEST_F(ConfigTest, CommandLineAssignments) {
  ASSERT_FALSE(loader.add_cli("hosts.list=red green/2"));
  ASSERT_FALSE(loader.add_cli("local.flags=[\"-pg\"]"));
  ASSERT_FALSE(loader.add_cli("daemon.max_request_size=\"64M\""));
  Config c = finish();
  EXPECT_EQ(c.get_string("hosts.list"), "red green/2");
  EXPECT_EQ(c.get_items("local.flags")[0].value, "-pg");
  EXPECT_EQ(c.get_int("daemon.max_request_size"), 64 << 20);
  EXPECT_EQ(c.setting("hosts.list").origin.where(), "--set hosts.list");
  Loader other;
  EXPECT_EQ(error_text(other.add_cli("client.fallbak=false")),
            "--set: expected KEY=VALUE with a known key, found 'client.fallbak=false' (did you "
            "mean 'client.fallback'?)");
  EXPECT_EQ(error_text(other.add_cli("client.fallback=maybe")),
            "--set client.fallback: client.fallback: expected a boolean (true or false), "
            "found 'maybe'");
}

TEST_F(ConfigTest, UnknownHostGroupIsAnErrorAtTheChoice) {
  add("[hosts.groups]\na = \"red\"\nb = \"blue\"\n", "site", Layer::Site);
  add("hosts.group = \"c\"\n", "user", Layer::User);
  auto c = std::move(loader).finish();
  ASSERT_FALSE(static_cast<bool>(c));
  EXPECT_EQ(error_text(c.takeError()),
            "user:1:1: hosts.group: expected a group defined in hosts.groups (a, b), found 'c'");
}

TEST_F(ConfigTest, SizesAcceptSuffixes) {
  add("daemon.max_request_size = \"1G\"\n", "s", Layer::Site);
  EXPECT_EQ(finish().get_int("daemon.max_request_size"), 1LL << 30);
  Loader l;
  EXPECT_EQ(error_text(l.add_toml("daemon.max_request_size = \"lots\"\n", "s", Layer::Site))
                .substr(0, 60),
            "s:1:27: daemon.max_request_size: expected a size in bytes (o");
}

TEST_F(ConfigTest, ShowConfigPrintsEveryKeyWithItsOrigin) {
  add("enforce = [\"client.fallback\"]\nclient.fallback = false\n"
      "compilers.cc = \"suncc\"\nlocal.sources = [\"gen/*\"]\n",
      "/etc/ferry/policy.toml", Layer::Site);
  std::string text = format_config(finish());
  for (const KeySpec& k : all_keys()) {
    EXPECT_NE(text.find(std::string("\n") + k.name), std::string::npos) << k.name;
  }
  EXPECT_NE(text.find("\nclient.fallback = false                     # /etc/ferry/policy.toml:2:1 "
                      "(enforced by /etc/ferry/policy.toml:1:12)\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("\ncompilers.cc = \"suncc\"                      # /etc/ferry/policy.toml:3:"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("\nlocal.sources = [                           # /etc/ferry/policy.toml:4:1"
                      "\n  \"gen/*\",                                  # /etc/ferry/policy.toml:4:18\n]\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("client.connect_timeout = 4                  # default"), std::string::npos);
}

}  // namespace
}  // namespace ferry::config
