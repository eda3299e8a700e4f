// Dependency flags: the exact preprocessor command and .d path for each case.
// Every expectation here encodes what gcc 12's driver passes to cc1
// (`gcc -### ...`); real_gcc_test.cpp compares the resulting .d bytes.
#include <gtest/gtest.h>

#include "gcc_test_util.h"

namespace ferry::gcc::test {
namespace {

struct DepCase {
  Args args;
  Args cpp;
  std::optional<std::string> dep_file;
};

void expect_deps(const DepCase& c) {
  PlanOut p = plan(c.args);
  ASSERT_TRUE(p.distributed()) << testing::PrintToString(c.args) << ": " << p.reason_text;
  EXPECT_EQ(p.cpp_argv, c.cpp) << testing::PrintToString(c.args);
  EXPECT_EQ(p.dep_file, c.dep_file) << testing::PrintToString(c.args);
  // Dependency options never reach the remote compile.
  for (const std::string& a : p.remote_argv) {
    EXPECT_NE(a.rfind("-M", 0), 0u) << a;
    EXPECT_NE(a.rfind("-Wp,", 0), 0u) << a;
  }
}

TEST(GccDeps, MDWithObjectInAnotherDirectory) {
  // gcc -MD -c src/a.c -o build/a.o writes build/a.d: "build/a.o: src/a.c ..."
  expect_deps({{"-MD", "-c", "src/a.c", "-o", "build/a.o"},
               {"gcc", "-MD", "-MF", "build/a.d", "-MQ", "build/a.o", "src/a.c", "-E",
                "-fdirectives-only"},
               "build/a.d"});
}

TEST(GccDeps, MMD) {
  expect_deps({{"-MMD", "-c", "src/a.c", "-o", "build/a.o"},
               {"gcc", "-MMD", "-MF", "build/a.d", "-MQ", "build/a.o", "src/a.c", "-E",
                "-fdirectives-only"},
               "build/a.d"});
}

TEST(GccDeps, OnlyTheLastSuffixIsReplaced) {
  expect_deps({{"-MD", "-c", "src/a.c", "-o", "build/a.x.o"},
               {"gcc", "-MD", "-MF", "build/a.x.d", "-MQ", "build/a.x.o", "src/a.c", "-E",
                "-fdirectives-only"},
               "build/a.x.d"});
}

TEST(GccDeps, ObjectWithoutSuffixGetsDotDAppended) {
  expect_deps({{"-MD", "-c", "src/a.c", "-o", "build/a"},
               {"gcc", "-MD", "-MF", "build/a.d", "-MQ", "build/a", "src/a.c", "-E",
                "-fdirectives-only"},
               "build/a.d"});
  // A dot in the directory is not a suffix: build.x/a -> build.x/a.d.
  expect_deps({{"-MD", "-c", "src/a.c", "-o", "build.x/a"},
               {"gcc", "-MD", "-MF", "build.x/a.d", "-MQ", "build.x/a", "src/a.c", "-E",
                "-fdirectives-only"},
               "build.x/a.d"});
}

TEST(GccDeps, LeadingDotCountsAsSuffix) {
  // gcc -### -MD -c a.c -o .hidden: cc1 gets "-MD .d -MQ .hidden".
  expect_deps({{"-MD", "-c", "a.c", "-o", ".hidden"},
               {"gcc", "-MD", "-MF", ".d", "-MQ", ".hidden", "a.c", "-E", "-fdirectives-only"},
               ".d"});
}

TEST(GccDeps, NoOutputMeansBasenameInTheCurrentDirectory) {
  // gcc -MD -c src/a.c writes ./a.d with target a.o: cpp's own default.
  expect_deps({{"-MD", "-c", "src/a.c"},
               {"gcc", "-MD", "-MF", "a.d", "src/a.c", "-E", "-fdirectives-only"},
               "a.d"});
}

TEST(GccDeps, AssemblerOutputWithO) {
  // gcc -MD -S src/a.c -o build/a.s: "-MD build/a.d -MQ build/a.s".
  expect_deps({{"-MD", "-S", "src/a.c", "-o", "build/a.s"},
               {"gcc", "-MD", "-MF", "build/a.d", "-MQ", "build/a.s", "src/a.c", "-E",
                "-fdirectives-only"},
               "build/a.d"});
}

TEST(GccDeps, AssemblerOutputWithoutO) {
  // gcc -MD -S src/a.c writes ./a.d whose target is a.o, not a.s: no -MQ.
  expect_deps({{"-MD", "-S", "src/a.c"},
               {"gcc", "-MD", "-MF", "a.d", "src/a.c", "-E", "-fdirectives-only"},
               "a.d"});
}

TEST(GccDeps, GivenMFStillGetsTheDriversTarget) {
  // gcc -### -MD -MF x.d -c src/a.c -o b.o: "-MD b.d -MF x.d -MQ b.o".
  expect_deps({{"-MD", "-MF", "x.d", "-c", "src/a.c", "-o", "b.o"},
               {"gcc", "-MD", "-MQ", "b.o", "-MF", "x.d", "src/a.c", "-E", "-fdirectives-only"},
               "x.d"});
  expect_deps({{"-MD", "-MFx.d", "-c", "src/a.c", "-o", "b.o"},
               {"gcc", "-MD", "-MQ", "b.o", "-MFx.d", "src/a.c", "-E", "-fdirectives-only"},
               "x.d"});
}

TEST(GccDeps, LastMFWins) {
  expect_deps({{"-MD", "-MF", "x.d", "-MF", "y.d", "-c", "a.c", "-o", "b.o"},
               {"gcc", "-MD", "-MQ", "b.o", "-MF", "x.d", "-MF", "y.d", "a.c", "-E",
                "-fdirectives-only"},
               "y.d"});
}

TEST(GccDeps, GivenTargetSuppressesMQ) {
  expect_deps({{"-MMD", "-MT", "foo", "-c", "src/a.c", "-o", "b.o"},
               {"gcc", "-MMD", "-MF", "b.d", "-MT", "foo", "src/a.c", "-E", "-fdirectives-only"},
               "b.d"});
  expect_deps({{"-MD", "-MQfoo", "-c", "src/a.c", "-o", "b.o"},
               {"gcc", "-MD", "-MF", "b.d", "-MQfoo", "src/a.c", "-E", "-fdirectives-only"},
               "b.d"});
  expect_deps({{"-MD", "-MF", "d.d", "-MT", "t", "-c", "a.c", "-o", "b.o"},
               {"gcc", "-MD", "-MF", "d.d", "-MT", "t", "a.c", "-E", "-fdirectives-only"},
               "d.d"});
}

TEST(GccDeps, MPAndMGGoToCpp) {
  expect_deps({{"-MD", "-MP", "-c", "a.c", "-o", "o/a.o"},
               {"gcc", "-MD", "-MF", "o/a.d", "-MQ", "o/a.o", "-MP", "a.c", "-E",
                "-fdirectives-only"},
               "o/a.d"});
}

TEST(GccDeps, TargetNeedingQuotesIsPassedAsIs) {
  // The driver passes -MQ with the raw name; cpp quotes it: build/a$$\ b.o.
  expect_deps({{"-MD", "-c", "a.c", "-o", "build/a$ b.o"},
               {"gcc", "-MD", "-MF", "build/a$ b.d", "-MQ", "build/a$ b.o", "a.c", "-E",
                "-fdirectives-only"},
               "build/a$ b.d"});
}

TEST(GccDeps, LongAliases) {
  expect_deps({{"--write-dependencies", "-c", "a.c", "-o", "b.o"},
               {"gcc", "--write-dependencies", "-MF", "b.d", "-MQ", "b.o", "a.c", "-E",
                "-fdirectives-only"},
               "b.d"});
}

TEST(GccDeps, WpMDPassesThrough) {
  // The kernel's style: cc1 gets "-MD dep.d" and uses its default target
  // (a.o) for -c and -E alike.
  expect_deps({{"-Wp,-MD,dep.d", "-c", "src/a.c", "-o", "build/a.o"},
               {"gcc", "-Wp,-MD,dep.d", "src/a.c", "-E", "-fdirectives-only"},
               "dep.d"});
  expect_deps({{"-Wp,-MMD,sub/.a.o.d", "-c", "a.c", "-o", "a.o"},
               {"gcc", "-Wp,-MMD,sub/.a.o.d", "a.c", "-E", "-fdirectives-only"},
               "sub/.a.o.d"});
  expect_deps({{"-Wp,-MD,x.d,-MF,y.d", "-c", "a.c", "-o", "a.o"},
               {"gcc", "-Wp,-MD,x.d,-MF,y.d", "a.c", "-E", "-fdirectives-only"},
               "y.d"});
}

TEST(GccDeps, XpreprocessorMD) {
  expect_deps({{"-Xpreprocessor", "-MD", "-Xpreprocessor", "dep.d", "-c", "a.c", "-o", "b.o"},
               {"gcc", "-Xpreprocessor", "-MD", "-Xpreprocessor", "dep.d", "a.c", "-E",
                "-fdirectives-only"},
               "dep.d"});
}

TEST(GccDeps, MFWithoutMDWritesNothing) {
  expect_deps({{"-MF", "x.d", "-c", "a.c", "-o", "b.o"},
               {"gcc", "-MF", "x.d", "a.c", "-E", "-fdirectives-only"},
               std::nullopt});
  expect_deps({{"-Wp,-MF,x.d", "-c", "a.c", "-o", "b.o"},
               {"gcc", "-Wp,-MF,x.d", "a.c", "-E", "-fdirectives-only"},
               std::nullopt});
}

TEST(GccDeps, PlainStrategySameDependencyFlags) {
  PlanOut p = plan({"-MD", "-c", "src/a.c", "-o", "build/a.o"}, "gcc", "plain");
  ASSERT_TRUE(p.distributed());
  EXPECT_EQ(p.cpp_argv,
            (Args{"gcc", "-MD", "-MF", "build/a.d", "-MQ", "build/a.o", "src/a.c", "-E"}));
  EXPECT_EQ(p.dep_file, "build/a.d");
}

TEST(GccDeps, LocalCases) {
  PlanOut a = plan({"-MD", "-Wp,-MD,x.d", "-c", "a.c", "-o", "b.o"});
  EXPECT_FALSE(a.distribute);
  EXPECT_EQ(a.reason, FERRY_REASON_UNSUPPORTED);
  PlanOut b = plan({"-MD", "-MF", "-", "-c", "a.c", "-o", "b.o"});
  EXPECT_FALSE(b.distribute);
  EXPECT_EQ(b.reason, FERRY_REASON_OUTPUT_TO_STDOUT);
  EXPECT_TRUE(b.cpp_argv.empty());
  PlanOut c = plan({"-Wp,-MD", "-c", "a.c", "-o", "b.o"});
  EXPECT_EQ(c.reason, FERRY_REASON_BAD_ARGUMENTS);
  PlanOut d = plan({"-Wp,-MD,-", "-c", "a.c", "-o", "b.o"});
  EXPECT_EQ(d.reason, FERRY_REASON_OUTPUT_TO_STDOUT);
}

}  // namespace
}  // namespace ferry::gcc::test
