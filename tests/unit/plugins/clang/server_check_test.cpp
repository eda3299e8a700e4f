// What ferryd accepts for clang: the family's checks plus clang's own.
#include <gtest/gtest.h>

#include "clang_test_util.h"

namespace ferry::clang::test {
namespace {

void expect_refused(const Args& argv, ferry_reason reason) {
  JobOut j = check(argv);
  ASSERT_TRUE(j.ok);
  EXPECT_FALSE(j.accepted) << testing::PrintToString(argv);
  EXPECT_EQ(j.reason, reason) << testing::PrintToString(argv) << ": " << j.reason_text;
}

TEST(ClangServer, AcceptsWhatThePlannerSends) {
  for (const char* strategy : {"plain", "rewrite-includes"}) {
    for (const Args& args :
         {Args{"-O2", "-target", "x86_64-linux-gnu", "-fcolor-diagnostics", "-DX", "-c",
               "src/a.c", "-o", "build/a.o"},
          Args{"-g", "-MD", "-c", "b.cpp"}}) {
      PlanOut p = plan(args, "clang++-14", strategy);
      ASSERT_TRUE(p.distributed()) << p.reason_text;
      JobOut j = check(p.remote_argv);
      EXPECT_TRUE(j.accepted) << testing::PrintToString(p.remote_argv) << ": " << j.reason_text;
      EXPECT_EQ(j.exec_argv.front(), "clang++-14");
    }
  }
}

TEST(ClangServer, RewrittenTextIsCompiledAsSource) {
  JobOut j = check({"clang", "-x", "c", "-DX=1", "-c", "a.i", "-o", "a.o"});
  ASSERT_TRUE(j.accepted) << j.reason_text;
  EXPECT_EQ(j.exec_argv, (Args{"clang", "-x", "c", "-DX=1", "-c", "/jobs/1/input.i", "-o",
                               "/jobs/1/output.o"}));
}

TEST(ClangServer, RefusesClangsOwnUnsafeOptions) {
  expect_refused({"clang", "-Xclang", "-load", "-Xclang", "/tmp/p.so", "-c", "a.i", "-o", "a.o"},
                 FERRY_REASON_UNSAFE_OPTION);
  expect_refused({"clang", "-mllvm", "-info-output-file=/etc/x", "-c", "a.i", "-o", "a.o"},
                 FERRY_REASON_UNSAFE_OPTION);
  expect_refused({"clang", "-fmodules", "-c", "a.i", "-o", "a.o"}, FERRY_REASON_UNSAFE_OPTION);
  expect_refused({"clang", "-fpass-plugin=/tmp/p.so", "-c", "a.i", "-o", "a.o"},
                 FERRY_REASON_UNSAFE_OPTION);
  expect_refused({"clang", "-ivfsoverlay", "/etc/o.yaml", "-c", "a.i", "-o", "a.o"},
                 FERRY_REASON_UNSAFE_OPTION);
  expect_refused({"clang", "-include-pch", "/etc/p.pch", "-c", "a.i", "-o", "a.o"},
                 FERRY_REASON_UNSAFE_OPTION);
  expect_refused({"clang", "-MJ", "/tmp/cdb.json", "-c", "a.i", "-o", "a.o"},
                 FERRY_REASON_UNSAFE_OPTION);
  expect_refused({"clang", "-serialize-diagnostics", "/tmp/d", "-c", "a.i", "-o", "a.o"},
                 FERRY_REASON_UNSAFE_OPTION);
}

}  // namespace
}  // namespace ferry::clang::test
