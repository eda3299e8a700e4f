#include "exec/temp_file.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <string>

#include "util/error.h"

namespace ferry::exec {
namespace {

TEST(TempFile, PrivateUniqueAndRemovedAtEnd) {
  std::string path;
  {
    auto a = TempFile::create(temp_dir(), "tf_test_", ".i");
    auto b = TempFile::create(temp_dir(), "tf_test_", ".i");
    ASSERT_TRUE(static_cast<bool>(a));
    ASSERT_TRUE(static_cast<bool>(b));
    EXPECT_NE(a->path(), b->path());
    EXPECT_TRUE(a->path().ends_with(".i"));
    struct stat st {};
    ASSERT_EQ(::stat(a->path().c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0600u);  // sources are not for other users
    ASSERT_EQ(::write(a->fd(), "abc", 3), 3);
    auto text = a->read_all();
    ASSERT_TRUE(static_cast<bool>(text));
    EXPECT_EQ(*text, "abc");
    path = a->path();
  }
  EXPECT_NE(::access(path.c_str(), F_OK), 0);
}

TEST(TempFile, AnUnusableDirectoryIsAnIoErrorNamingIt) {
  auto t = TempFile::create("/nonexistent-ferry-dir", "x", "");
  ASSERT_FALSE(static_cast<bool>(t));
  ErrorSummary s = summarize(t.takeError());
  EXPECT_EQ(s.code, ExitCode::IoError);
  EXPECT_NE(s.message.find("/nonexistent-ferry-dir"), std::string::npos);
}

}  // namespace
}  // namespace ferry::exec
