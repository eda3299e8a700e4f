#include "client/monitor.h"

#include <gtest/gtest.h>

namespace ferry::client {
namespace {

TEST(Monitor, TableOldestFirst) {
  std::vector<state::JobInfo> jobs{{42, 9000, "10.0.0.2:3632", "compile", "src/b.c"},
                                   {7, 8000, "localhost", "local", "src/a.c"}};
  std::string t = format_jobs(jobs, 10000);
  EXPECT_EQ(t,
            "PID     HOST           PHASE       TIME    INPUT\n"
            "7       localhost      local       2.0s    src/a.c\n"
            "42      10.0.0.2:3632  compile     1.0s    src/b.c\n");
}

}  // namespace
}  // namespace ferry::client
