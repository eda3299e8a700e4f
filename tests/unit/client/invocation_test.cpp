#include "client/invocation.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "util/error.h"

namespace fs = std::filesystem;

namespace ferry::client {
namespace {

// A scratch tree: bin/ferry (a stand-in executable for "ferry itself"),
// masq/gcc -> ../bin/ferry, real/gcc (another file).
class InvocationTest : public ::testing::Test {
 protected:
  void SetUp() override {
    m_root = fs::temp_directory_path() / ("ferry-inv-" + std::to_string(::getpid()));
    fs::create_directories(m_root / "bin");
    fs::create_directories(m_root / "masq");
    fs::create_directories(m_root / "real");
    std::ofstream(m_root / "bin/ferry") << "#!/bin/sh\n";
    std::ofstream(m_root / "real/gcc") << "#!/bin/sh\n";
    fs::permissions(m_root / "bin/ferry", fs::perms::owner_all);
    fs::permissions(m_root / "real/gcc", fs::perms::owner_all);
    fs::create_symlink("../bin/ferry", m_root / "masq/gcc");
    m_self = (m_root / "bin/ferry").string();
  }
  void TearDown() override { fs::remove_all(m_root); }

  std::string dir(const char* d) const { return (m_root / d).string(); }

  fs::path m_root;
  std::string m_self;
};

TEST_F(InvocationTest, ExplicitCompilerAndArgs) {
  auto inv = resolve_invocation({{"ferry", "gcc", "-c", "x.c"}, m_self, "/usr/bin", 0});
  ASSERT_TRUE(static_cast<bool>(inv));
  EXPECT_FALSE(inv->masquerade);
  EXPECT_EQ(inv->compiler, "gcc");
  EXPECT_EQ(inv->compiler_basename, "gcc");
  EXPECT_EQ(inv->args, (std::vector<std::string>{"-c", "x.c"}));
  EXPECT_FALSE(inv->new_path.has_value());
}

TEST_F(InvocationTest, ExplicitWithoutCompilerMeansCc) {
  auto inv = resolve_invocation({{"ferry", "-c", "x.c"}, m_self, "/usr/bin", 0});
  ASSERT_TRUE(static_cast<bool>(inv));
  EXPECT_EQ(inv->compiler, "cc");
  EXPECT_EQ(inv->args, (std::vector<std::string>{"-c", "x.c"}));
}

TEST_F(InvocationTest, CompilerGivenAsPathKeepsThePath) {
  auto inv = resolve_invocation({{"/opt/bin/ferry", "/usr/bin/x86_64-linux-gnu-g++-12", "-c",
                                  "a.cc"},
                                 m_self, "/usr/bin", 0});
  ASSERT_TRUE(static_cast<bool>(inv));
  EXPECT_EQ(inv->compiler, "/usr/bin/x86_64-linux-gnu-g++-12");
  EXPECT_EQ(inv->compiler_basename, "x86_64-linux-gnu-g++-12");
}

TEST_F(InvocationTest, MasqueradeTrimsPathUpToOurOwnDirectory) {
  std::string path = dir("real") + ":" + dir("masq") + ":" + dir("real") + ":/usr/bin";
  auto inv = resolve_invocation({{"gcc", "-c", "x.c"}, m_self, dir("masq") + ":" + path, 0});
  ASSERT_TRUE(static_cast<bool>(inv));
  EXPECT_TRUE(inv->masquerade);
  EXPECT_EQ(inv->compiler, "gcc");
  ASSERT_TRUE(inv->new_path.has_value());
  // Everything up to and including the first masq/ entry is gone.
  EXPECT_EQ(*inv->new_path, path);
}

TEST_F(InvocationTest, ExplicitModeSkipsAMasqueradeLinkOnPath) {
  std::string path = dir("masq") + ":" + dir("real");
  auto inv = resolve_invocation({{"ferry", "gcc", "-c", "x.c"}, m_self, path, 0});
  ASSERT_TRUE(static_cast<bool>(inv));
  ASSERT_TRUE(inv->new_path.has_value());
  EXPECT_EQ(*inv->new_path, dir("real"));
}

TEST_F(InvocationTest, RefusesToRunItselfAsACompiler) {
  auto inv = resolve_invocation({{"ferry", m_self, "-c", "x.c"}, m_self, "/usr/bin", 0});
  ASSERT_FALSE(static_cast<bool>(inv));
  EXPECT_EQ(summarize(inv.takeError()).code, ExitCode::Recursion);
  auto inv2 = resolve_invocation({{"ferry", "ferry", "-c", "x.c"}, m_self, "/usr/bin", 0});
  ASSERT_FALSE(static_cast<bool>(inv2));
  EXPECT_EQ(summarize(inv2.takeError()).code, ExitCode::Recursion);
}

TEST_F(InvocationTest, NoCompilerIsABadArgument) {
  auto inv = resolve_invocation({{"ferry"}, m_self, "/usr/bin", 0});
  ASSERT_FALSE(static_cast<bool>(inv));
  ErrorSummary s = summarize(inv.takeError());
  EXPECT_EQ(s.code, ExitCode::BadArguments);
  EXPECT_NE(s.message.find("no compiler given"), std::string::npos);
}

TEST_F(InvocationTest, SafeguardLevelIsCarried) {
  auto inv = resolve_invocation({{"gcc", "-c", "x.c"}, m_self, dir("masq"), 2});
  ASSERT_TRUE(static_cast<bool>(inv));
  EXPECT_EQ(inv->safeguard_level, 2);
}

}  // namespace
}  // namespace ferry::client
