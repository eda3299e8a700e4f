// ferryd's check of a received Sun C argv.
#include <gtest/gtest.h>

#include "server_check.h"

namespace ferry::suncc {
namespace {

ServerJob check(std::vector<std::string> argv) { return check_server_job({argv, "/job"}); }

TEST(SunccServerCheck, AcceptsThePlansRemoteArgv) {
  ServerJob j = check({"suncc", "-xO3", "-g", "-c", "src/a.i", "-o", "build/a.o"});
  ASSERT_TRUE(j.accepted) << j.reason_text;
  EXPECT_EQ(j.input_path, "/job/input.i");
  EXPECT_EQ(j.object_path, "/job/output.o");
  EXPECT_EQ(j.exec_argv, (std::vector<std::string>{"suncc", "-xO3", "-g", "-c", "/job/input.i",
                                                   "-o", "/job/output.o"}));
}

TEST(SunccServerCheck, AcceptsDistccsOriginalSourceNameAndAddsTheOutput) {
  ServerJob j = check({"suncc", "-I/x", "-DX=1", "-c", "a.c"});
  ASSERT_TRUE(j.accepted) << j.reason_text;
  EXPECT_EQ(j.exec_argv, (std::vector<std::string>{"suncc", "-I/x", "-DX=1", "-c",
                                                   "/job/input.i", "-o", "/job/output.o"}));
}

struct Refused {
  std::vector<std::string> argv;
  ferry_reason reason;
};

TEST(SunccServerCheck, RefusesBeforeAnythingRuns) {
  const Refused cases[] = {
      {{"suncc", "-c", "a.i", "-xMD"}, FERRY_REASON_UNSAFE_OPTION},
      {{"suncc", "-c", "a.i", "-xMF", "/etc/x"}, FERRY_REASON_UNSAFE_OPTION},
      {{"suncc", "-E", "a.c"}, FERRY_REASON_PREPROCESS_ONLY},
      {{"suncc", "-xM", "a.c"}, FERRY_REASON_PREPROCESS_ONLY},
      {{"suncc", "-c", "a.i", "-Qoption", "acomp", "-foo"}, FERRY_REASON_UNSAFE_OPTION},
      {{"suncc", "-c", "a.i", "-Yp,/tmp"}, FERRY_REASON_UNSAFE_OPTION},
      {{"suncc", "-c", "a.i", "-W0,-xfoo"}, FERRY_REASON_UNSAFE_OPTION},
      {{"suncc", "-c", "a.i", "@args"}, FERRY_REASON_UNSAFE_OPTION},
      {{"suncc", "-c", "a.i", "-include", "/etc/passwd"}, FERRY_REASON_UNSAFE_OPTION},
      {{"suncc", "-c", "a.i", "-xprofile=use:/p"}, FERRY_REASON_UNSAFE_OPTION},
      {{"suncc", "-c", "a.i", "-xpch=use:/p"}, FERRY_REASON_UNSAFE_OPTION},
      {{"suncc", "-c", "a.i", "-keeptmp"}, FERRY_REASON_UNSAFE_OPTION},
      {{"suncc", "-c", "a.i", "-lm"}, FERRY_REASON_UNSAFE_OPTION},
      {{"suncc", "-c", "a.i", "-xtarget=native"}, FERRY_REASON_HOST_SPECIFIC},
      {{"suncc", "-c", "a.i", "-fast"}, FERRY_REASON_HOST_SPECIFIC},
      {{"suncc", "-V", "-c", "a.i"}, FERRY_REASON_NOT_COMPILE},
      {{"suncc", "a.i", "-o", "a"}, FERRY_REASON_NOT_COMPILE},
      {{"suncc", "-c", "a.i", "b.i"}, FERRY_REASON_MULTIPLE_INPUTS},
      {{"suncc", "-c"}, FERRY_REASON_NO_INPUT},
      {{"suncc", "-c", "a.s"}, FERRY_REASON_LANGUAGE},
      {{"suncc", "-c", "a.i", "-o", "x.o", "-o", "y.o"}, FERRY_REASON_MULTIPLE_OUTPUTS},
      {{"suncc", "-c", "a.i", "-o", "-"}, FERRY_REASON_OUTPUT_TO_STDOUT},
      {{"suncc", "-c", "a.i", "-o"}, FERRY_REASON_BAD_ARGUMENTS},
      {{}, FERRY_REASON_BAD_ARGUMENTS},
  };
  for (const Refused& c : cases) {
    ServerJob j = check(c.argv);
    std::string shown;
    for (const auto& a : c.argv) {
      shown += a + " ";
    }
    EXPECT_FALSE(j.accepted) << shown;
    EXPECT_EQ(j.reason, c.reason) << shown << ": " << j.reason_text;
    EXPECT_FALSE(j.reason_text.empty()) << shown;
  }
}

}  // namespace
}  // namespace ferry::suncc
