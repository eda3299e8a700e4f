// The daemon side: what ferryd accepts, how it rewrites argv, what it refuses.
#include <gtest/gtest.h>

#include "gcc_test_util.h"

namespace ferry::gcc::test {
namespace {

void expect_refused(const Args& argv, ferry_reason reason) {
  JobOut j = check(argv);
  ASSERT_TRUE(j.ok) << testing::PrintToString(argv);
  EXPECT_FALSE(j.accepted) << testing::PrintToString(argv);
  EXPECT_EQ(j.reason, reason) << testing::PrintToString(argv) << ": " << j.reason_text;
  EXPECT_FALSE(j.reason_text.empty());
  EXPECT_EQ(j.reason_text.find('\n'), std::string::npos);
  EXPECT_TRUE(j.exec_argv.empty());
}

TEST(GccServer, AcceptsFerrysRemoteArgv) {
  JobOut j = check({"gcc", "-O2", "-g", "-c", "src/a.i", "-o", "build/a.o", "-fpreprocessed",
                    "-fdirectives-only"});
  ASSERT_TRUE(j.accepted) << j.reason_text;
  EXPECT_EQ(j.input_path, "/jobs/1/input.i");
  EXPECT_EQ(j.object_path, "/jobs/1/output.o");
  EXPECT_EQ(j.exec_argv, (Args{"gcc", "-O2", "-g", "-c", "/jobs/1/input.i", "-o",
                               "/jobs/1/output.o", "-fpreprocessed", "-fdirectives-only"}));
}

TEST(GccServer, AcceptsDistccsArgv) {
  // distcc 3.4 sends the original source name; the body is preprocessed.
  JobOut j = check({"x86_64-linux-gnu-gcc", "-c", "x.c", "-o", "x.o"});
  ASSERT_TRUE(j.accepted) << j.reason_text;
  EXPECT_EQ(j.exec_argv, (Args{"x86_64-linux-gnu-gcc", "-c", "/jobs/1/input.i", "-o",
                               "/jobs/1/output.o"}));
  JobOut k = check({"gcc", "-O2", "-g", "-c", "x.c", "-o", "x.o"});
  ASSERT_TRUE(k.accepted) << k.reason_text;
  EXPECT_EQ(k.exec_argv, (Args{"gcc", "-O2", "-g", "-c", "/jobs/1/input.i", "-o",
                               "/jobs/1/output.o"}));
}

TEST(GccServer, ArgvZeroIsNotResolved) {
  JobOut j = check({"/usr/bin/gcc-12", "-c", "x.c", "-o", "x.o"});
  ASSERT_TRUE(j.accepted);
  EXPECT_EQ(j.exec_argv.front(), "/usr/bin/gcc-12");
}

TEST(GccServer, InputExtensionFollowsDistcc) {
  struct Case {
    const char* name;
    const char* input;
  };
  for (const Case& c :
       {Case{"x.c", "input.i"}, Case{"x.i", "input.i"}, Case{"x.cc", "input.ii"},
        Case{"x.cpp", "input.ii"}, Case{"x.cxx", "input.ii"}, Case{"x.cp", "input.ii"},
        Case{"x.c++", "input.ii"}, Case{"x.C", "input.ii"}, Case{"x.CPP", "input.ii"},
        Case{"x.ii", "input.ii"}, Case{"x.m", "input.mi"}, Case{"x.mi", "input.mi"},
        Case{"x.mm", "input.mii"}, Case{"x.M", "input.mii"}, Case{"x.mii", "input.mii"}}) {
    JobOut j = check({"g++", "-c", c.name, "-o", "x.o"});
    ASSERT_TRUE(j.accepted) << c.name << ": " << j.reason_text;
    EXPECT_EQ(j.input_path, std::string("/jobs/1/") + c.input) << c.name;
  }
}

TEST(GccServer, KeepsDashX) {
  JobOut j = check({"gcc", "-x", "c", "-c", "x.c", "-o", "x.o"});
  ASSERT_TRUE(j.accepted);
  EXPECT_EQ(j.exec_argv, (Args{"gcc", "-x", "c", "-c", "/jobs/1/input.i", "-o",
                               "/jobs/1/output.o"}));
}

TEST(GccServer, OutputSpellings) {
  EXPECT_EQ(check({"gcc", "-c", "x.c", "-ox.o"}).exec_argv,
            (Args{"gcc", "-c", "/jobs/1/input.i", "-o/jobs/1/output.o"}));
  EXPECT_EQ(check({"gcc", "-c", "x.c", "--output=x.o"}).exec_argv,
            (Args{"gcc", "-c", "/jobs/1/input.i", "--output=/jobs/1/output.o"}));
  EXPECT_EQ(check({"gcc", "-c", "x.c", "--output", "x.o"}).exec_argv,
            (Args{"gcc", "-c", "/jobs/1/input.i", "--output", "/jobs/1/output.o"}));
  // No -o at all: gcc would write into the daemon's directory.
  EXPECT_EQ(check({"gcc", "-c", "x.c"}).exec_argv,
            (Args{"gcc", "-c", "/jobs/1/input.i", "-o", "/jobs/1/output.o"}));
  // An -o pointing anywhere is replaced.
  EXPECT_EQ(check({"gcc", "-c", "x.c", "-o", "/etc/passwd"}).object_path, "/jobs/1/output.o");
}

TEST(GccServer, AssemblerOutput) {
  JobOut j = check({"gcc", "-S", "x.c", "-o", "x.s"});
  ASSERT_TRUE(j.accepted);
  EXPECT_EQ(j.object_path, "/jobs/1/output.s");
  EXPECT_EQ(check({"gcc", "-c", "-S", "x.c", "-o", "x.s"}).object_path, "/jobs/1/output.s");
}

TEST(GccServer, JobDirWithTrailingSlash) {
  JobOut j = check({"gcc", "-c", "x.c", "-o", "x.o"}, "/jobs/2/");
  EXPECT_EQ(j.input_path, "/jobs/2/input.i");
}

TEST(GccServer, AcceptsHarmlessOptions) {
  for (const Args& extra :
       {Args{"--sysroot=/opt/sr"}, Args{"--sysroot", "/opt/sr"}, Args{"-isysroot", "/opt/sr"},
        Args{"-iquote", "inc"}, Args{"-I", "inc"}, Args{"-DX=1"}, Args{"-gsplit-dwarf"},
        Args{"-flto"}, Args{"-fprofile-arcs"}, Args{"-Wa,--noexecstack"}, Args{"-lm"},
        Args{"-fstack-usage"}, Args{"-march=x86-64-v3"}, Args{"-std=c++20"},
        Args{"--param", "max-inline-insns-auto=10"}, Args{"-da"}, Args{"-fpch-preprocess"}}) {
    Args argv = {"gcc"};
    argv.insert(argv.end(), extra.begin(), extra.end());
    argv.insert(argv.end(), {"-c", "x.c", "-o", "x.o"});
    JobOut j = check(argv);
    EXPECT_TRUE(j.accepted) << testing::PrintToString(extra) << ": " << j.reason_text;
  }
}

TEST(GccServer, RefusesCodeLoading) {
  expect_refused({"gcc", "-fplugin=/tmp/x.so", "-c", "x.c", "-o", "x.o"},
                 FERRY_REASON_UNSAFE_OPTION);
  expect_refused({"gcc", "-fplugin-arg-x-y=z", "-c", "x.c", "-o", "x.o"},
                 FERRY_REASON_UNSAFE_OPTION);
  expect_refused({"gcc", "-iplugindir=/tmp", "-c", "x.c", "-o", "x.o"},
                 FERRY_REASON_UNSAFE_OPTION);
  expect_refused({"gcc", "-specs=x", "-c", "x.c", "-o", "x.o"}, FERRY_REASON_UNSAFE_OPTION);
  expect_refused({"gcc", "-specs", "x", "-c", "x.c", "-o", "x.o"}, FERRY_REASON_UNSAFE_OPTION);
  expect_refused({"gcc", "--specs=x", "-c", "x.c", "-o", "x.o"}, FERRY_REASON_UNSAFE_OPTION);
  expect_refused({"gcc", "-B/tmp", "-c", "x.c", "-o", "x.o"}, FERRY_REASON_UNSAFE_OPTION);
  expect_refused({"gcc", "-B", "/tmp", "-c", "x.c", "-o", "x.o"}, FERRY_REASON_UNSAFE_OPTION);
  expect_refused({"gcc", "--prefix=/tmp", "-c", "x.c", "-o", "x.o"}, FERRY_REASON_UNSAFE_OPTION);
  expect_refused({"gcc", "-wrapper", "sh", "-c", "x.c", "-o", "x.o"}, FERRY_REASON_UNSAFE_OPTION);
  expect_refused({"g++", "-fmodules-ts", "-c", "x.cc", "-o", "x.o"}, FERRY_REASON_UNSAFE_OPTION);
  expect_refused({"g++", "-fmodule-mapper=|sh -c id", "-c", "x.cc", "-o", "x.o"},
                 FERRY_REASON_UNSAFE_OPTION);
}

TEST(GccServer, RefusesReadingHostFiles) {
  expect_refused({"gcc", "@/etc/passwd"}, FERRY_REASON_UNSAFE_OPTION);
  expect_refused({"gcc", "-c", "x.c", "-o", "@x.o"}, FERRY_REASON_UNSAFE_OPTION);
  expect_refused({"gcc", "-include", "/etc/passwd", "-c", "x.c", "-o", "x.o"},
                 FERRY_REASON_UNSAFE_OPTION);
  expect_refused({"gcc", "-imacros", "/etc/passwd", "-c", "x.c", "-o", "x.o"},
                 FERRY_REASON_UNSAFE_OPTION);
  expect_refused({"gcc", "-fprofile-use=/etc/x", "-c", "x.c", "-o", "x.o"},
                 FERRY_REASON_UNSAFE_OPTION);
  expect_refused({"gcc", "-fauto-profile=/etc/x", "-c", "x.c", "-o", "x.o"},
                 FERRY_REASON_UNSAFE_OPTION);
  expect_refused({"gcc", "-Wa,@/etc/x", "-c", "x.c", "-o", "x.o"}, FERRY_REASON_UNSAFE_OPTION);
  expect_refused({"gcc", "-Wa,-I/etc", "-c", "x.c", "-o", "x.o"}, FERRY_REASON_UNSAFE_OPTION);
}

TEST(GccServer, RefusesWritingOutsideTheJob) {
  for (const Args& bad :
       {Args{"-Wa,-a=/etc/x"}, Args{"-Wa,-adhln=x.lst"}, Args{"-Wa,--MD,/tmp/x"},
        Args{"-Xassembler", "-a=/etc/x"}, Args{"-Wa,-o,/etc/x"}, Args{"-MD"}, Args{"-MMD"},
        Args{"-MF", "/etc/x"}, Args{"-MT", "x"}, Args{"-MQ", "x"}, Args{"-MP"}, Args{"-MG"},
        Args{"-Wp,-MD,/etc/x"}, Args{"-Xpreprocessor", "-MD"}, Args{"-save-temps"},
        Args{"-save-temps=cwd"}, Args{"-aux-info", "/etc/x"}, Args{"-aux-info=/etc/x"},
        Args{"-dumpdir", "/etc/"}, Args{"-dumpbase", "x"}, Args{"-dumpbase-ext", ".c"},
        Args{"-fopt-info-all=/etc/x"}, Args{"-fprofile-generate=/etc"}, Args{"-time=/etc/x"},
        Args{"--output-pch=/etc/x"}, Args{"-fdiagnostics-format=sarif-file"}}) {
    Args argv = {"gcc"};
    argv.insert(argv.end(), bad.begin(), bad.end());
    argv.insert(argv.end(), {"-c", "x.c", "-o", "x.o"});
    expect_refused(argv, FERRY_REASON_UNSAFE_OPTION);
  }
  expect_refused({"gcc", "-fdump-tree-all=/etc/x", "-c", "x.c", "-o", "x.o"},
                 FERRY_REASON_EXTRA_OUTPUT);
  expect_refused({"gcc", "-fdump-tree-all", "-c", "x.c", "-o", "x.o"},
                 FERRY_REASON_EXTRA_OUTPUT);
  expect_refused({"gcc", "-c", "x.c", "-o", "-"}, FERRY_REASON_OUTPUT_TO_STDOUT);
}

TEST(GccServer, RefusesLinkerOptions) {
  expect_refused({"gcc", "-Wl,-o,/etc/x", "-c", "x.c", "-o", "x.o"}, FERRY_REASON_UNSAFE_OPTION);
  expect_refused({"gcc", "-Xlinker", "--plugin", "-c", "x.c", "-o", "x.o"},
                 FERRY_REASON_UNSAFE_OPTION);
}

TEST(GccServer, RefusesWhatIsNotOneCompile) {
  expect_refused({"gcc", "x.c", "-o", "x"}, FERRY_REASON_NOT_COMPILE);  // linking
  expect_refused({"gcc", "x.o", "-o", "/tmp/evil"}, FERRY_REASON_NOT_COMPILE);
  expect_refused({"gcc", "-c", "x.c", "y.c", "-o", "x.o"}, FERRY_REASON_MULTIPLE_INPUTS);
  expect_refused({"gcc", "-c", "x.c", "/etc/passwd", "-o", "x.o"}, FERRY_REASON_MULTIPLE_INPUTS);
  expect_refused({"gcc", "-c", "x.c", "-o", "x.o", "-o", "y.o"}, FERRY_REASON_MULTIPLE_OUTPUTS);
  expect_refused({"gcc", "-E", "x.c"}, FERRY_REASON_PREPROCESS_ONLY);
  expect_refused({"gcc", "-E", "-c", "x.c", "-o", "x.o"}, FERRY_REASON_PREPROCESS_ONLY);
  expect_refused({"gcc", "-M", "-c", "x.c"}, FERRY_REASON_PREPROCESS_ONLY);
  expect_refused({"gcc", "-c", "x.s", "-o", "x.o"}, FERRY_REASON_LANGUAGE);
  expect_refused({"gcc", "-c", "x.S", "-o", "x.o"}, FERRY_REASON_LANGUAGE);
  expect_refused({"gcc", "-x", "assembler", "-c", "x.c", "-o", "x.o"}, FERRY_REASON_LANGUAGE);
  expect_refused({"gcc", "-x", "c-header", "-c", "x.c", "-o", "x.o"}, FERRY_REASON_LANGUAGE);
  expect_refused({"gcc", "-c", "-o", "x.o"}, FERRY_REASON_NO_INPUT);
  expect_refused({"gcc", "-c", "x.txt", "-o", "x.o"}, FERRY_REASON_NO_INPUT);
  expect_refused({"gcc", "--help"}, FERRY_REASON_NOT_COMPILE);
  expect_refused({"gcc", "-###", "-c", "x.c", "-o", "x.o"}, FERRY_REASON_NOT_COMPILE);
  expect_refused({"gcc", "-print-prog-name=cc1", "-c", "x.c"}, FERRY_REASON_NOT_COMPILE);
  expect_refused({"gcc", "-fsyntax-only", "-c", "x.c"}, FERRY_REASON_UNSUPPORTED);
  expect_refused({"gcc", "-march=native", "-c", "x.c", "-o", "x.o"},
                 FERRY_REASON_HOST_SPECIFIC);
  expect_refused({"gcc", "-c", "x.c", "-o"}, FERRY_REASON_BAD_ARGUMENTS);
  expect_refused({}, FERRY_REASON_BAD_ARGUMENTS);
}

// What the planner sends, the daemon accepts — linker options included,
// because the planner keeps them for the local driver and never sends them.
TEST(GccServer, AcceptsEveryDistributedPlan) {
  for (const Args& args :
       {Args{"-O2", "-g", "-Iinc", "-DX", "-c", "src/a.c", "-o", "build/a.o"},
        Args{"-c", "a.c"}, Args{"-S", "a.c"}, Args{"-c", "-S", "a.cc", "-o", "b.s"},
        Args{"-x", "c++", "-include", "p.h", "-c", "a.c", "-o", "a.o"},
        Args{"-xc", "-c", "noext", "-o", "b.o"},
        Args{"-MD", "-MF", "a.d", "-MT", "t", "-c", "a.c", "-o", "a.o"},
        Args{"-Wp,-MD,dep.d", "-c", "a.c", "-o", "a.o"}, Args{"-c", "a.i", "-o", "a.o"},
        Args{"-x", "cpp-output", "-c", "a.c"}, Args{"--compile", "a.c", "--output", "a.o"},
        Args{"-c", "a.c", "-ob.o"}, Args{"-P", "-dD", "-C", "-c", "a.c"},
        Args{"-Wa,--noexecstack", "-lm", "-L", "lib", "-c", "a.m"},
        Args{"--sysroot=/sr", "-isysroot", "/sr", "-c", "a.mm"},
        Args{"-traditional-cpp", "-c", "a.c"},
        Args{"-Wl,-z,now", "-Xlinker", "-O1", "-lm", "-c", "a.c", "-o", "a.o"}}) {
    for (const char* strategy : {"directives-only", "plain"}) {
      PlanOut p = plan(args, "gcc", strategy);
      ASSERT_TRUE(p.distributed()) << testing::PrintToString(args) << ": " << p.reason_text;
      JobOut j = check(p.remote_argv);
      EXPECT_TRUE(j.accepted) << testing::PrintToString(p.remote_argv) << ": "
                                << j.reason_text;
    }
  }
}

}  // namespace
}  // namespace ferry::gcc::test
