#include "config/client_policy.h"

#include <gtest/gtest.h>

#include "test_env.h"

namespace ferry::config {
namespace {

using testing::error_text;

Config load(const std::string& site, const std::string& user = "") {
  Loader l;
  EXPECT_FALSE(l.add_toml(site, "site.toml", Layer::Site));
  EXPECT_FALSE(l.add_toml(user, "user.toml", Layer::User));
  auto c = std::move(l).finish();
  EXPECT_TRUE(static_cast<bool>(c)) << error_text(c.takeError());
  return c ? std::move(*c) : Config();
}

TEST(ClientPolicy, NoHostListWhenNothingSetsOne) {
  EXPECT_EQ(chosen_host_list(Config()), std::nullopt);
}

TEST(ClientPolicy, GroupSelectsItsList) {
  Config c = load("[hosts.groups]\nteam-a = \"red/4 green/4\"\nteam-b = \"blue\"\n",
                  "hosts.group = \"team-a\"\n");
  auto h = chosen_host_list(c);
  ASSERT_TRUE(h.has_value());
  EXPECT_EQ(h->text, "red/4 green/4");
  EXPECT_EQ(h->origin, "hosts.groups.team-a (site.toml:2:10, chosen by user.toml:1:1)");
}

TEST(ClientPolicy, TheHigherLayerOfListAndGroupWins) {
  Config c = load("[hosts]\ngroup = \"a\"\ngroups.a = \"red\"\n", "hosts.list = \"mine\"\n");
  EXPECT_EQ(chosen_host_list(c)->text, "mine");
  Config d = load("[hosts]\nlist = \"site\"\n", "[hosts]\ngroups.a = \"red\"\ngroup = \"a\"\n");
  EXPECT_EQ(chosen_host_list(d)->text, "red");
}

TEST(ClientPolicy, CompilerAndRemoteNameMaps) {
  Config c = load("[compilers]\ncc = \"suncc\"\n\"i686-linux-gcc-3.2\" = \"gcc\"\n"
                  "[remote.names]\ngcc = \"x86_64-linux-gnu-gcc-12\"\n");
  EXPECT_EQ(plugin_for(c, "cc")->value, "suncc");
  EXPECT_EQ(plugin_for(c, "i686-linux-gcc-3.2")->value, "gcc");
  EXPECT_EQ(plugin_for(c, "gcc"), nullptr);
  EXPECT_EQ(remote_name_for(c, "gcc")->value, "x86_64-linux-gnu-gcc-12");
  EXPECT_EQ(remote_name_for(c, "cc"), nullptr);
}

TEST(ClientPolicy, ForceLocalByCompilerFlagAndSource) {
  Config c = load("[local]\ncompilers = [\"CC\", \"*-gcc-3.*\"]\nflags = [\"-march=native\", "
                  "\"-fprofile-*\"]\nsources = [\"third_party/*\", \"*.S\", \"/abs/gen/*.c\"]\n");
  std::string cwd = "/src/proj";
  auto reason = [&](const std::string& cc, std::vector<std::string> args,
                    const std::string& src) {
    return force_local_reason(c, cc, args, src, cwd).value_or("");
  };
  EXPECT_EQ(reason("gcc", {"-c", "x.c", "-O2"}, "x.c"), "");
  EXPECT_EQ(reason("CC", {"-c", "x.cc"}, "x.cc"),
            "local.compilers 'CC' matches 'CC' (site.toml:2:14)");
  EXPECT_EQ(reason("i686-linux-gcc-3.2", {}, ""),
            "local.compilers '*-gcc-3.*' matches 'i686-linux-gcc-3.2' (site.toml:2:20)");
  EXPECT_EQ(reason("gcc", {"-c", "-march=native", "x.c"}, "x.c"),
            "local.flags '-march=native' matches '-march=native' (site.toml:3:10)");
  EXPECT_EQ(reason("gcc", {"-fprofile-use=a.gcda"}, ""),
            "local.flags '-fprofile-*' matches '-fprofile-use=a.gcda' (site.toml:3:27)");
  EXPECT_EQ(reason("gcc", {"-c"}, "third_party/zlib/deflate.c"),
            "local.sources 'third_party/*' matches 'third_party/zlib/deflate.c' (site.toml:4:12)");
  EXPECT_EQ(reason("gcc", {"-c"}, "/src/proj/third_party/a.c").substr(0, 29),
            "local.sources 'third_party/*'");
  EXPECT_EQ(reason("gcc", {"-c"}, "lib/start.S").substr(0, 19), "local.sources '*.S'");
  EXPECT_EQ(reason("gcc", {"-c"}, "/abs/gen/x.c").substr(0, 28), "local.sources '/abs/gen/*.c'");
  EXPECT_EQ(reason("gcc", {"-c"}, "src/not_third_party.c"), "");
  // A flag-shaped word is only a string: matching a source glob against an
  // argument would be flag knowledge, so it does not happen.
  EXPECT_EQ(reason("gcc", {"-c", "x.S"}, ""), "");
}

}  // namespace
}  // namespace ferry::config
