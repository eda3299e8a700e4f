// argv in, plan out: the suncc planner with no compiler at all.
#include <gtest/gtest.h>

#include "planner.h"

namespace ferry::suncc {
namespace {

using Args = std::vector<std::string>;

Plan plan(const std::string& compiler, Args args) { return make_plan({compiler, std::move(args), "", {}}); }

std::string reason_of(const Plan& p) { return p.reason_text; }

TEST(SunccPlan, DistributesACompileWithEToStdoutAndSunccRemotely) {
  Plan p = plan("cc", {"-xO3", "-Iinclude", "-DX=1", "-c", "src/a.c", "-o", "build/a.o"});
  ASSERT_TRUE(p.distribute) << reason_of(p);
  EXPECT_EQ(p.language, "c");
  EXPECT_EQ(p.input, "src/a.c");
  EXPECT_EQ(p.object, "build/a.o");
  EXPECT_EQ(p.preprocessed_ext, ".i");
  EXPECT_FALSE(p.dep_file);
  // Sun's -E writes to stdout and never takes -o.
  EXPECT_EQ(p.cpp_argv, (Args{"cc", "-xO3", "-Iinclude", "-DX=1", "src/a.c", "-E"}));
  EXPECT_EQ(p.remote_argv, (Args{"suncc", "-xO3", "-c", "src/a.i", "-o", "build/a.o"}));
  EXPECT_EQ(p.local_argv,
            (Args{"cc", "-xO3", "-Iinclude", "-DX=1", "-c", "src/a.c", "-o", "build/a.o"}));
  EXPECT_EQ(p.tags, (std::vector<uint8_t>{3, 1, 1, 2, 3, 2, 2}));
}

TEST(SunccPlan, NeverPassesOToThePreprocessor) {
  for (const Args& args : {Args{"-c", "a.c", "-o", "x.o"}, Args{"-o", "x.o", "-c", "a.c"},
                           Args{"-xMD", "-c", "a.c", "-o", "d/x.o"}}) {
    Plan p = plan("suncc", args);
    ASSERT_TRUE(p.distribute) << reason_of(p);
    for (const auto& a : p.cpp_argv) {
      EXPECT_NE(a, "-o");
    }
    EXPECT_EQ(p.cpp_argv.back(), "-E");
  }
}

TEST(SunccPlan, ImpliedObjectIsMadeExplicitRemotely) {
  Plan p = plan("cc", {"-c", "src/io/b.c"});
  ASSERT_TRUE(p.distribute) << reason_of(p);
  EXPECT_EQ(p.object, "b.o");
  EXPECT_EQ(p.remote_argv, (Args{"suncc", "-c", "src/io/b.i", "-o", "b.o"}));
}

TEST(SunccPlan, XmdGetsAnExplicitXmfNamedAfterTheObject) {
  Plan p = plan("cc", {"-xMD", "-c", "src/a.c", "-o", "build/a.x.o"});
  ASSERT_TRUE(p.distribute) << reason_of(p);
  ASSERT_TRUE(p.dep_file);
  EXPECT_EQ(*p.dep_file, "build/a.x.d");
  EXPECT_EQ(p.cpp_argv, (Args{"cc", "-xMD", "-xMF", "build/a.x.d", "src/a.c", "-E"}));
  EXPECT_EQ(p.remote_argv, (Args{"suncc", "-c", "src/a.i", "-o", "build/a.x.o"}));
}

TEST(SunccPlan, XmmdWithoutOIsNamedAfterTheSourceInTheCurrentDirectory) {
  Plan p = plan("cc", {"-xMMD", "-c", "src/a.c"});
  ASSERT_TRUE(p.distribute) << reason_of(p);
  EXPECT_EQ(*p.dep_file, "a.d");
  EXPECT_EQ(p.cpp_argv, (Args{"cc", "-xMMD", "-xMF", "a.d", "src/a.c", "-E"}));
}

TEST(SunccPlan, AGivenXmfIsKeptAndNothingAdded) {
  Plan p = plan("cc", {"-xMD", "-xMF", "deps/a.dep", "-c", "a.c", "-o", "b/a.o"});
  ASSERT_TRUE(p.distribute) << reason_of(p);
  EXPECT_EQ(*p.dep_file, "deps/a.dep");
  EXPECT_EQ(p.cpp_argv, (Args{"cc", "-xMD", "-xMF", "deps/a.dep", "a.c", "-E"}));
  EXPECT_EQ(p.remote_argv, (Args{"suncc", "-c", "a.i", "-o", "b/a.o"}));
}

TEST(SunccPlan, XmfAloneWritesNothing) {
  Plan p = plan("cc", {"-xMF", "a.d", "-c", "a.c"});
  ASSERT_TRUE(p.distribute) << reason_of(p);
  EXPECT_FALSE(p.dep_file);
}

TEST(SunccPlan, PreprocessedInputIsSentAsIs) {
  Plan p = plan("cc", {"-xMD", "-c", "a.i"});
  ASSERT_TRUE(p.distribute) << reason_of(p);
  EXPECT_TRUE(p.input_is_preprocessed);
  EXPECT_TRUE(p.cpp_argv.empty());
  EXPECT_FALSE(p.dep_file);
}

TEST(SunccPlan, LastXtargetWins) {
  EXPECT_TRUE(plan("cc", {"-xtarget=native", "-xtarget=generic", "-c", "a.c"}).distribute);
  EXPECT_EQ(plan("cc", {"-xtarget=generic", "-xtarget=native", "-c", "a.c"}).reason,
            FERRY_REASON_HOST_SPECIFIC);
  // -xarch= is another key: -xtarget=generic does not undo it.
  EXPECT_EQ(plan("cc", {"-xarch=native", "-xtarget=generic", "-c", "a.c"}).reason,
            FERRY_REASON_HOST_SPECIFIC);
}

struct LocalCase {
  std::string compiler;
  Args args;
  ferry_reason reason;
};

TEST(SunccPlan, EveryLocalReason) {
  const LocalCase cases[] = {
      {"CC", {"-c", "a.cc"}, FERRY_REASON_LANGUAGE},
      {"sunCC", {"-c", "a.c"}, FERRY_REASON_LANGUAGE},
      {"/opt/studio/bin/CC", {"-c", "a.cc"}, FERRY_REASON_LANGUAGE},
      {"cc", {"-c", "a.c", "-o"}, FERRY_REASON_BAD_ARGUMENTS},
      {"cc", {"-c", "a.c", "-xMF"}, FERRY_REASON_BAD_ARGUMENTS},
      {"cc", {"-V", "-c", "a.c"}, FERRY_REASON_NOT_COMPILE},
      {"cc", {"-###", "-c", "a.c"}, FERRY_REASON_NOT_COMPILE},
      {"cc", {"-xhelp=flags"}, FERRY_REASON_NOT_COMPILE},
      {"cc", {"-E", "a.c"}, FERRY_REASON_PREPROCESS_ONLY},
      {"cc", {"-P", "a.c"}, FERRY_REASON_PREPROCESS_ONLY},
      {"cc", {"-xM", "a.c"}, FERRY_REASON_PREPROCESS_ONLY},
      {"cc", {"-xM1", "-c", "a.c"}, FERRY_REASON_PREPROCESS_ONLY},
      {"cc", {"a.c", "-o", "prog"}, FERRY_REASON_NOT_COMPILE},
      {"cc", {"-c", "conftest.c"}, FERRY_REASON_AUTOCONF},
      {"cc", {"-c", "a.c", "-Qoption", "acomp", "-xfoo"}, FERRY_REASON_UNSAFE_OPTION},
      {"cc", {"-c", "a.c", "-Yp,/opt/cpp"}, FERRY_REASON_UNSAFE_OPTION},
      {"cc", {"-c", "a.c", "-W0,-xdebug"}, FERRY_REASON_UNSAFE_OPTION},
      {"cc", {"-c", "a.c", "-xprofile=collect:/tmp/p"}, FERRY_REASON_PROFILING},
      {"cc", {"-c", "a.c", "-xprofile_ircache=/tmp"}, FERRY_REASON_PROFILING},
      {"cc", {"-c", "a.c", "-xpch=auto"}, FERRY_REASON_UNSUPPORTED},
      {"cc", {"-c", "a.c", "-xpchstop=x.h"}, FERRY_REASON_UNSUPPORTED},
      {"cc", {"-c", "a.c", "-keeptmp"}, FERRY_REASON_EXTRA_OUTPUT},
      {"cc", {"-c", "a.c", "-xsb"}, FERRY_REASON_EXTRA_OUTPUT},
      {"cc", {"-c", "a.c", "-xe"}, FERRY_REASON_UNSUPPORTED},
      {"cc", {"-c", "a.c", "-xipo"}, FERRY_REASON_UNSUPPORTED},
      {"cc", {"-c", "a.c", "-xipo=2"}, FERRY_REASON_UNSUPPORTED},
      {"cc", {"-c", "a.c", "-fast"}, FERRY_REASON_HOST_SPECIFIC},
      {"cc", {"-c", "a.c", "-native"}, FERRY_REASON_HOST_SPECIFIC},
      {"cc", {"-c", "a.c", "-xchip=native"}, FERRY_REASON_HOST_SPECIFIC},
      {"cc", {"-S", "a.c"}, FERRY_REASON_UNSUPPORTED},
      {"cc", {"-c", "a.c", "-o", "x.o", "-o", "y.o"}, FERRY_REASON_MULTIPLE_OUTPUTS},
      {"cc", {"-c", "a.c", "-o", "-"}, FERRY_REASON_OUTPUT_TO_STDOUT},
      {"cc", {"-c"}, FERRY_REASON_NO_INPUT},
      {"cc", {"-c", "-"}, FERRY_REASON_NO_INPUT},
      {"cc", {"-c", "a.c", "b.c"}, FERRY_REASON_MULTIPLE_INPUTS},
      {"cc", {"-c", "a.c", "x.o"}, FERRY_REASON_MULTIPLE_INPUTS},
      {"cc", {"-c", "a.s"}, FERRY_REASON_LANGUAGE},
      {"cc", {"-c", "a.il"}, FERRY_REASON_LANGUAGE},
      {"cc", {"-c", "a.cpp"}, FERRY_REASON_LANGUAGE},
      {"cc", {"-c", "a.h"}, FERRY_REASON_NO_INPUT},
      {"cc", {"-c", ""}, FERRY_REASON_BAD_ARGUMENTS},
      {"cc", {"-xMD", "-xMF", "-", "-c", "a.c"}, FERRY_REASON_OUTPUT_TO_STDOUT},
  };
  for (const LocalCase& c : cases) {
    Plan p = plan(c.compiler, c.args);
    std::string shown = c.compiler;
    for (const auto& a : c.args) {
      shown += " " + a;
    }
    EXPECT_FALSE(p.distribute) << shown;
    EXPECT_EQ(p.reason, c.reason) << shown << ": " << p.reason_text;
    EXPECT_FALSE(p.reason_text.empty()) << shown;
    EXPECT_EQ(p.local_argv.front(), c.compiler) << shown;
  }
}

TEST(SunccPlan, CxxReasonSaysWhy) {
  Plan p = plan("CC", {"-c", "a.cc"});
  EXPECT_NE(p.reason_text.find("template"), std::string::npos) << p.reason_text;
}

TEST(SunccPlan, UnknownStrategyIsLocal) {
  Plan p = make_plan({"cc", {"-c", "a.c"}, "", std::string("rewrite-includes")});
  EXPECT_EQ(p.reason, FERRY_REASON_UNSUPPORTED);
  EXPECT_TRUE(make_plan({"cc", {"-c", "a.c"}, "", std::string("plain")}).distribute);
}

TEST(SunccPlan, EveryArgumentIsAccountedFor) {
  Args args = {"-xO2", "-I", "inc", "-lm", "-Qoption", "acomp", "x", "-c", "a.c"};
  Plan p = plan("cc", args);
  ASSERT_EQ(p.tags.size(), args.size());
  for (uint8_t t : p.tags) {
    EXPECT_NE(t, 0);
  }
  EXPECT_EQ(p.tags[1], FERRY_ARG_CPP);
  EXPECT_EQ(p.tags[2], FERRY_ARG_CPP);  // the value of -I
  EXPECT_EQ(p.tags[3], FERRY_ARG_CPP);  // link-only: never sent
}

}  // namespace
}  // namespace ferry::suncc
