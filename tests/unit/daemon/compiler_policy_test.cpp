#include "daemon/compiler_policy.h"

#include <gtest/gtest.h>

#include <sys/stat.h>
#include <unistd.h>

#include "daemon_test_util.h"

namespace ferry::daemon {
namespace {

using test::TempTree;
using test::write_text;

std::string refusal(llvm::Expected<CompilerChoice> c) {
  if (c) {
    ADD_FAILURE() << "accepted '" << c->name << "' at " << c->path;
    return {};
  }
  ErrorSummary s = summarize(c.takeError());
  EXPECT_EQ(s.code, ExitCode::AccessDenied);
  return s.message;
}

// The fake plugin (claims fakecc*) and a PATH directory holding fakecc.
class FakePolicy : public ::testing::Test {
 protected:
  void SetUp() override {
    m_plugins = PluginSet::load({DAEMON_FIXTURE_DIR}, m_log);
    ASSERT_EQ(m_plugins.size(), 1u);
    m_bin = m_tree.sub("bin");
    write_text(m_bin + "/fakecc", test::kFakeCompiler, 0755);
  }
  TempTree m_tree;
  DaemonLog m_log;
  PluginSet m_plugins;
  std::string m_bin;
};

TEST_F(FakePolicy, ABareClaimedNameResolvesOnTheDaemonsPath) {
  auto c = choose_compiler("fakecc", m_plugins, "/nonexistent:" + m_bin);
  ASSERT_TRUE(static_cast<bool>(c)) << summarize(c.takeError()).message;
  EXPECT_EQ(c->name, "fakecc");
  EXPECT_EQ(c->path, m_bin + "/fakecc");
  ASSERT_NE(c->plugin, nullptr);
  EXPECT_STREQ(c->plugin->table().name, "fake");
}

TEST_F(FakePolicy, UsrBinAndBinPrefixesAreStrippedNotFollowed) {
  // The client's /usr/bin/fakecc does not exist here; the daemon's does.
  for (const char* sent : {"/usr/bin/fakecc", "/bin/fakecc", "/USR/BIN/fakecc"}) {
    auto c = choose_compiler(sent, m_plugins, m_bin);
    ASSERT_TRUE(static_cast<bool>(c)) << sent << ": " << summarize(c.takeError()).message;
    EXPECT_EQ(c->name, "fakecc");
    EXPECT_EQ(c->path, m_bin + "/fakecc");
  }
}

TEST_F(FakePolicy, AnyOtherPathIsRefused) {
  for (const char* sent : {"/tmp/fakecc", "./fakecc", "bin/fakecc", "/usr/bin/x/fakecc",
                           "/usr/local/bin/fakecc"}) {
    std::string why = refusal(choose_compiler(sent, m_plugins, m_bin));
    EXPECT_NE(why.find("must be a bare name"), std::string::npos) << why;
    EXPECT_NE(why.find(sent), std::string::npos) << why;
  }
  EXPECT_NE(refusal(choose_compiler("", m_plugins, m_bin)).find("not a program name"),
            std::string::npos);
  EXPECT_NE(refusal(choose_compiler("..", m_plugins, m_bin)).find("not a program name"),
            std::string::npos);
}

TEST_F(FakePolicy, AnUnclaimedNameIsRefusedEvenWhenItExists) {
  EXPECT_EQ(refusal(choose_compiler("sh", m_plugins, "/bin:/usr/bin")),
            "compiler 'sh' is not claimed by any plugin");
  EXPECT_EQ(refusal(choose_compiler("/bin/sh", m_plugins, "/bin:/usr/bin")),
            "compiler 'sh' is not claimed by any plugin");
}

TEST_F(FakePolicy, AClaimedNameMissingFromPathIsRefused) {
  EXPECT_EQ(refusal(choose_compiler("fakecc-missing", m_plugins, m_bin)),
            "compiler 'fakecc-missing' is not on the daemon's PATH");
  EXPECT_EQ(refusal(choose_compiler("fakecc", m_plugins, "/nonexistent")),
            "compiler 'fakecc' is not on the daemon's PATH");
  // Present but not executable.
  write_text(m_bin + "/fakecc-plain", "#!/bin/sh\n", 0644);
  refusal(choose_compiler("fakecc-plain", m_plugins, m_bin));
}

TEST_F(FakePolicy, ARelativePathEntryIsNeverUsed) {
  char* old = ::getcwd(nullptr, 0);
  ASSERT_EQ(::chdir(m_bin.c_str()), 0);
  std::string why = refusal(choose_compiler("fakecc", m_plugins, ".:"));
  EXPECT_NE(why.find("not an absolute executable"), std::string::npos) << why;
  ASSERT_EQ(::chdir(old), 0);
  std::free(old);
}

TEST_F(FakePolicy, AMasqueradeLinkToFerryIsRefused) {
  std::string masq = m_tree.sub("masq");
  write_text(m_tree.path() + "/ferry", "#!/bin/sh\n", 0755);
  ASSERT_EQ(::symlink((m_tree.path() + "/ferry").c_str(), (masq + "/fakecc").c_str()), 0);
  std::string why = refusal(choose_compiler("fakecc", m_plugins, masq + ":" + m_bin));
  EXPECT_NE(why.find("ferry or distcc"), std::string::npos) << why;
}

TEST(CompilerPolicy, SearchPathPrefersDistccdPath) {
  ::setenv("DISTCCD_PATH", "/opt/cc/bin", 1);
  EXPECT_EQ(compiler_search_path(), "/opt/cc/bin");
  ::unsetenv("DISTCCD_PATH");
  EXPECT_EQ(compiler_search_path(), std::string(std::getenv("PATH")));
  EXPECT_EQ(strip_compat_prefix("/usr/bin/gcc"), "gcc");
  EXPECT_EQ(strip_compat_prefix("/bin/cc"), "cc");
  EXPECT_EQ(strip_compat_prefix("/usr/local/bin/gcc"), "/usr/local/bin/gcc");
  EXPECT_EQ(strip_compat_prefix("gcc"), "gcc");
}

// The same rules with the real gcc plugin and the system's gcc.
class GccPolicy : public ::testing::Test {
 protected:
  void SetUp() override {
    if (::access(FERRY_BUILD_PLUGIN_DIR "/gcc.plugin", R_OK) != 0) {
      GTEST_SKIP() << "the gcc plugin is not built";
    }
    m_plugins = PluginSet::load({FERRY_BUILD_PLUGIN_DIR}, m_log);
    if (m_plugins.claimant("gcc") == nullptr) {
      GTEST_SKIP() << "no built plugin claims gcc";
    }
  }
  DaemonLog m_log;
  PluginSet m_plugins;
};

TEST_F(GccPolicy, GccResolvesAndPathsAreRefused) {
  auto c = choose_compiler("gcc", m_plugins, "/usr/bin:/bin");
  ASSERT_TRUE(static_cast<bool>(c)) << summarize(c.takeError()).message;
  EXPECT_EQ(c->path, "/usr/bin/gcc");
  auto stripped = choose_compiler("/usr/bin/gcc", m_plugins, "/usr/bin:/bin");
  ASSERT_TRUE(static_cast<bool>(stripped));
  EXPECT_EQ(stripped->name, "gcc");
  EXPECT_NE(refusal(choose_compiler("/tmp/gcc", m_plugins, "/usr/bin")).find("bare name"),
            std::string::npos);
  EXPECT_EQ(refusal(choose_compiler("sh", m_plugins, "/usr/bin:/bin")),
            "compiler 'sh' is not claimed by any plugin");
  EXPECT_EQ(refusal(choose_compiler("gcc", m_plugins, "/nonexistent")),
            "compiler 'gcc' is not on the daemon's PATH");
}

}  // namespace
}  // namespace ferry::daemon
