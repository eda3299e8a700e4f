#include "daemon/job_dir.h"

#include <gtest/gtest.h>

#include <sys/stat.h>
#include <unistd.h>

#include "daemon_test_util.h"

namespace ferry::daemon {
namespace {

using test::list_dir;
using test::TempTree;
using test::write_text;

TEST(JobDir, IsPrivateAndNamedFerrydXXXXXX) {
  TempTree tree;
  auto dir = JobDir::create(tree.path());
  ASSERT_TRUE(static_cast<bool>(dir)) << summarize(dir.takeError()).message;
  const std::string& p = dir->path();
  EXPECT_EQ(p.rfind(tree.path() + "/ferryd_", 0), 0u) << p;
  EXPECT_EQ(p.size(), tree.path().size() + 1 + 13);
  struct stat st{};
  ASSERT_EQ(::stat(p.c_str(), &st), 0);
  EXPECT_TRUE(S_ISDIR(st.st_mode));
  EXPECT_EQ(st.st_mode & 07777, 0700u);
}

TEST(JobDir, RemovesEverythingButFollowsNoSymlink) {
  TempTree tree;
  std::string outside = tree.sub("outside");
  write_text(outside + "/keep", "precious");
  std::string path;
  {
    auto dir = JobDir::create(tree.path());
    ASSERT_TRUE(static_cast<bool>(dir));
    path = dir->path();
    write_text(path + "/in.i", "x");
    ::mkdir((path + "/sub").c_str(), 0755);
    ::mkdir((path + "/sub/deeper").c_str(), 0755);
    write_text(path + "/sub/deeper/f", "y", 0400);
    ::chmod((path + "/sub/deeper").c_str(), 0500);  // read-only leftovers
    ASSERT_EQ(::symlink(outside.c_str(), (path + "/link").c_str()), 0);
  }
  EXPECT_NE(::access(path.c_str(), F_OK), 0) << path << " still exists";
  EXPECT_EQ(test::read_text(outside + "/keep"), "precious");
  EXPECT_EQ(list_dir(tree.path()), std::vector<std::string>{"outside"});
}

TEST(JobDir, MovedFromDirsAreRemovedOnce) {
  TempTree tree;
  auto dir = JobDir::create(tree.path());
  ASSERT_TRUE(static_cast<bool>(dir));
  JobDir moved = std::move(*dir);
  EXPECT_EQ(list_dir(tree.path()).size(), 1u);
  moved.remove();
  EXPECT_TRUE(list_dir(tree.path()).empty());
}

TEST(JobDir, ContainsOnlyPathsStrictlyInside) {
  TempTree tree;
  auto dir = JobDir::create(tree.path());
  ASSERT_TRUE(static_cast<bool>(dir));
  const std::string& p = dir->path();
  EXPECT_TRUE(dir->contains(p + "/in.i"));
  EXPECT_TRUE(dir->contains(p + "/sub/out.o"));
  EXPECT_FALSE(dir->contains(p));
  EXPECT_FALSE(dir->contains(p + "/"));
  EXPECT_FALSE(dir->contains(p + "x/in.i"));
  EXPECT_FALSE(dir->contains(p + "/../escape.o"));
  EXPECT_FALSE(dir->contains(p + "/./in.i"));
  EXPECT_FALSE(dir->contains("/tmp/in.i"));
  EXPECT_FALSE(dir->contains("in.i"));
}

TEST(JobDir, FailsCleanlyInAMissingDirectory) {
  auto dir = JobDir::create("/nonexistent/ferry-test");
  ASSERT_FALSE(static_cast<bool>(dir));
  ErrorSummary s = summarize(dir.takeError());
  EXPECT_EQ(s.code, ExitCode::IoError);
  EXPECT_NE(s.message.find("/nonexistent/ferry-test"), std::string::npos);
}

}  // namespace
}  // namespace ferry::daemon
