#include "ferry/sdk/verdicts.h"

#include <gtest/gtest.h>

namespace ferry::sdk {
namespace {

TEST(SdkVerdicts, LocalPlanIsOneLineAndKeepsTheAnalysis) {
  abi::Plan p;
  p.distribute = true;
  p.local_argv = {"cc", "-c", "a\nb.c"};
  p.args = {"-c", "a\nb.c"};
  p.tags = {FERRY_ARG_REMOTE, FERRY_ARG_CPP | FERRY_ARG_REMOTE};
  abi::Plan l = local_plan(p, {FERRY_REASON_BAD_ARGUMENTS, "a\nb.c\r: odd"});
  EXPECT_FALSE(l.distribute);
  EXPECT_EQ(l.reason, FERRY_REASON_BAD_ARGUMENTS);
  EXPECT_EQ(l.reason_text, "a b.c : odd");
  EXPECT_EQ(l.local_argv, p.local_argv);
  EXPECT_EQ(l.tags, p.tags);
}

TEST(SdkVerdicts, RefusedJobIsOneLine) {
  abi::ServerJob j = refused({FERRY_REASON_UNSAFE_OPTION, "-fplugin=x\n.so: loads code"});
  EXPECT_FALSE(j.accepted);
  EXPECT_EQ(j.reason, FERRY_REASON_UNSAFE_OPTION);
  EXPECT_EQ(j.reason_text, "-fplugin=x .so: loads code");
  EXPECT_TRUE(j.exec_argv.empty());
}

TEST(SdkVerdicts, InDir) {
  EXPECT_EQ(in_dir("/jobs/1", "input.i"), "/jobs/1/input.i");
  EXPECT_EQ(in_dir("/jobs/1/", "input.i"), "/jobs/1/input.i");
}

}  // namespace
}  // namespace ferry::sdk
