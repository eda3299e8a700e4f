#include "state/backoff.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <utime.h>

#include <ctime>

#include "test_dir.h"

namespace ferry::state {
namespace {

using std::chrono::seconds;

TEST(Backoff, MarkedHostIsSkippedForThePeriod) {
  TestDir d;
  EXPECT_EQ(backoff_left(d.path(), "tcp_h_1", seconds(60)), 0);
  mark_backoff(d.path(), "tcp_h_1");
  long left = backoff_left(d.path(), "tcp_h_1", seconds(60));
  EXPECT_GE(left, 59);
  EXPECT_LE(left, 60);
  EXPECT_EQ(backoff_left(d.path(), "tcp_other_1", seconds(60)), 0);
  // 0 disables backoff entirely.
  EXPECT_EQ(backoff_left(d.path(), "tcp_h_1", seconds(0)), 0);
  EXPECT_EQ(backoff_path(d.path(), "tcp_h_1"), d.path() + "/backoff_tcp_h_1");
}

TEST(Backoff, ExpiresAndIsRefreshed) {
  TestDir d;
  mark_backoff(d.path(), "ssh_box");
  std::string p = backoff_path(d.path(), "ssh_box");
  utimbuf old{std::time(nullptr) - 100, std::time(nullptr) - 100};
  ASSERT_EQ(::utime(p.c_str(), &old), 0);
  EXPECT_EQ(backoff_left(d.path(), "ssh_box", seconds(60)), 0);
  EXPECT_GT(backoff_left(d.path(), "ssh_box", seconds(200)), 0);
  mark_backoff(d.path(), "ssh_box");  // a new failure starts a new period
  EXPECT_GE(backoff_left(d.path(), "ssh_box", seconds(60)), 59);
  // A mark from the future (clock step) counts at most one period.
  utimbuf future{std::time(nullptr) + 10000, std::time(nullptr) + 10000};
  ASSERT_EQ(::utime(p.c_str(), &future), 0);
  EXPECT_EQ(backoff_left(d.path(), "ssh_box", seconds(60)), 60);
}

}  // namespace
}  // namespace ferry::state
