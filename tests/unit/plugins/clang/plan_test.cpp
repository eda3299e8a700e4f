// argv in, plan out: the clang plugin's own rules (the family's are tested
// through the gcc plugin).
#include <gtest/gtest.h>

#include <algorithm>

#include "clang_test_util.h"

namespace ferry::clang::test {
namespace {

constexpr uint8_t k_cpp = FERRY_ARG_CPP;
constexpr uint8_t k_remote = FERRY_ARG_REMOTE;
constexpr uint8_t k_both = FERRY_ARG_CPP | FERRY_ARG_REMOTE;

bool has(const Args& v, const std::string& s) { return std::find(v.begin(), v.end(), s) != v.end(); }

void expect_local(const Args& args, ferry_reason reason, const std::string& text_part) {
  PlanOut p = plan(args);
  ASSERT_TRUE(p.ok);
  EXPECT_FALSE(p.distribute) << testing::PrintToString(args);
  EXPECT_EQ(p.reason, reason) << testing::PrintToString(args) << ": " << p.reason_text;
  EXPECT_NE(p.reason_text.find(text_part), std::string::npos) << p.reason_text;
}

TEST(ClangPlan, PlainStrategyIsTheDefault) {
  PlanOut p = plan({"-O2", "-Iinc", "-DX=1", "-c", "src/a.c", "-o", "build/a.o"}, "clang-14");
  ASSERT_TRUE(p.distributed()) << p.reason_text;
  EXPECT_EQ(p.cpp_argv, (Args{"clang-14", "-O2", "-Iinc", "-DX=1", "src/a.c", "-E"}));
  EXPECT_EQ(p.remote_argv, (Args{"clang-14", "-O2", "-c", "src/a.i", "-o", "build/a.o",
                                 "-fdebug-compilation-dir=/work"}));
  PlanOut named = plan({"-c", "src/a.c"}, "clang", "plain");
  ASSERT_TRUE(named.distributed());
  EXPECT_FALSE(has(named.cpp_argv, "-fdirectives-only"));
}

TEST(ClangPlan, UsersCompilationDirectoryStands) {
  for (const Args& dir : {Args{"-fdebug-compilation-dir=/src"},
                          Args{"-fdebug-compilation-dir", "/src"},
                          Args{"-ffile-compilation-dir=/src"}}) {
    Args args = dir;
    args.insert(args.end(), {"-g", "-c", "a.c"});
    PlanOut p = plan(args);
    ASSERT_TRUE(p.distributed()) << p.reason_text;
    EXPECT_FALSE(has(p.remote_argv, "-fdebug-compilation-dir=/work"))
        << testing::PrintToString(p.remote_argv);
    EXPECT_TRUE(has(p.remote_argv, dir.back())) << testing::PrintToString(p.remote_argv);
  }
}

TEST(ClangPlan, RewriteIncludesLeavesMacrosToTheRemote) {
  PlanOut p = plan({"-DX=1", "-UY", "-Iinc", "-include", "pre.h", "-c", "src/a.c", "-o", "a.o"},
                   "clang", "rewrite-includes");
  ASSERT_TRUE(p.distributed()) << p.reason_text;
  EXPECT_EQ(p.cpp_argv, (Args{"clang", "-DX=1", "-UY", "-Iinc", "-include", "pre.h", "src/a.c",
                              "-E", "-frewrite-includes"}));
  // The text is still source: named as such, with the command line's macros;
  // the -include'd text is in it already.
  EXPECT_EQ(p.remote_argv, (Args{"clang", "-x", "c", "-DX=1", "-UY", "-c", "src/a.i", "-o",
                                 "a.o", "-fdebug-compilation-dir=/work"}));
  EXPECT_EQ(p.tag_of("-DX=1"), k_both);
  EXPECT_EQ(p.tag_of("-include"), k_cpp);
}

TEST(ClangPlan, RewriteIncludesNamesTheLanguageOfTheDriver) {
  PlanOut p = plan({"-c", "a.c"}, "clang++", "rewrite-includes");
  ASSERT_TRUE(p.distributed());
  EXPECT_EQ(p.language, "c++");
  EXPECT_EQ(p.preprocessed_ext, ".ii");
  ASSERT_GE(p.remote_argv.size(), 3u);
  EXPECT_EQ((Args{p.remote_argv[1], p.remote_argv[2]}), (Args{"-x", "c++"}));
  // A preprocessed input runs no preprocessor: nothing to rewrite.
  PlanOut pre = plan({"-c", "a.i"}, "clang", "rewrite-includes");
  ASSERT_TRUE(pre.distributed());
  EXPECT_FALSE(has(pre.remote_argv, "-x"));
}

TEST(ClangPlan, UnknownStrategyNamesTheKnownOnes) {
  PlanOut p = plan({"-c", "a.c"}, "clang", "directives-only");
  EXPECT_FALSE(p.distribute);
  EXPECT_NE(p.reason_text.find("known: plain, rewrite-includes"), std::string::npos)
      << p.reason_text;
}

TEST(ClangPlan, TargetIsKeptForBothSides) {
  PlanOut p = plan({"-target", "aarch64-linux-gnu", "--target=x86_64-linux-gnu", "-c", "a.c"});
  ASSERT_TRUE(p.distributed()) << p.reason_text;
  EXPECT_EQ(p.input, "a.c");  // the triple is not an input
  EXPECT_EQ(p.tag_of("-target"), k_both);
  EXPECT_EQ(p.tag_of("aarch64-linux-gnu"), k_both);
  EXPECT_EQ(p.tag_of("--target=x86_64-linux-gnu"), k_both);
  EXPECT_TRUE(has(p.remote_argv, "aarch64-linux-gnu"));
  EXPECT_TRUE(has(p.cpp_argv, "--target=x86_64-linux-gnu"));
}

TEST(ClangPlan, ColourIsForcedOnBothSides) {
  for (const char* flag : {"-fcolor-diagnostics", "-fdiagnostics-color", "-fdiagnostics-color=always",
                           "-fno-color-diagnostics"}) {
    PlanOut p = plan({flag, "-c", "a.c"});
    ASSERT_TRUE(p.distributed()) << flag << ": " << p.reason_text;
    EXPECT_EQ(p.tag_of(flag), k_both) << flag;
  }
}

TEST(ClangPlan, RawFrontendAndBackendOptionsStayLocal) {
  expect_local({"-Xclang", "-load", "-Xclang", "p.so", "-c", "a.c"}, FERRY_REASON_UNSUPPORTED,
               "-Xclang -load: passes an option straight to clang's frontend");
  expect_local({"-Xclang", "-fcolor-diagnostics", "-c", "a.c"}, FERRY_REASON_UNSUPPORTED,
               "-Xclang");
  expect_local({"-mllvm", "-inline-threshold=100", "-c", "a.c"}, FERRY_REASON_UNSUPPORTED,
               "-mllvm -inline-threshold=100: passes an option straight to LLVM");
  // The value is consumed: not taken for a second input.
  PlanOut p = plan({"-Xclang", "x.c", "-c", "a.c"});
  EXPECT_NE(p.reason, FERRY_REASON_MULTIPLE_INPUTS);
}

TEST(ClangPlan, ModulesStayLocal) {
  for (const Args& m : {Args{"-fmodules"}, Args{"-fcxx-modules"},
                        Args{"-fmodules-cache-path=/tmp/mc"}, Args{"-fmodule-map-file=m.map"},
                        Args{"-fimplicit-module-maps"}}) {
    Args args = m;
    args.insert(args.end(), {"-c", "a.cpp"});
    PlanOut p = plan(args);
    EXPECT_FALSE(p.distribute) << m[0];
    EXPECT_EQ(p.reason, FERRY_REASON_UNSUPPORTED) << m[0];
  }
  expect_local({"-fmodules", "-c", "a.c"}, FERRY_REASON_UNSUPPORTED, "module cache");
  // gcc's C++ modules flag, in the family table, is still local here.
  expect_local({"-fmodules-ts", "-c", "a.cpp"}, FERRY_REASON_UNSUPPORTED, "-fmodules-ts");
}

TEST(ClangPlan, ExtraOutputsAndHostFilesStayLocal) {
  expect_local({"-MJ", "cdb.json", "-c", "a.c"}, FERRY_REASON_EXTRA_OUTPUT, "-MJ cdb.json");
  expect_local({"-serialize-diagnostics", "a.dia", "-c", "a.c"}, FERRY_REASON_EXTRA_OUTPUT,
               "-serialize-diagnostics");
  expect_local({"-ftime-trace", "-c", "a.c"}, FERRY_REASON_EXTRA_OUTPUT, "-ftime-trace");
  expect_local({"-save-stats=obj", "-c", "a.c"}, FERRY_REASON_EXTRA_OUTPUT, "-save-stats");
  expect_local({"-include-pch", "p.pch", "-c", "a.c"}, FERRY_REASON_UNSUPPORTED, "-include-pch");
  expect_local({"-fsanitize=address", "-fsanitize-ignorelist=ign.txt", "-c", "a.c"},
               FERRY_REASON_UNSUPPORTED, "-fsanitize-ignorelist=ign.txt");
  expect_local({"-fpass-plugin=p.so", "-c", "a.c"}, FERRY_REASON_UNSAFE_OPTION, "-fpass-plugin");
  expect_local({"-fprofile-instr-generate", "-c", "a.c"}, FERRY_REASON_PROFILING,
               "-fprofile-instr-generate");
  expect_local({"-march=native", "-c", "a.c"}, FERRY_REASON_HOST_SPECIFIC, "-march=native");
  expect_local({"-ccc-print-phases", "-c", "a.c"}, FERRY_REASON_NOT_COMPILE, "-ccc-print-phases");
}

TEST(ClangPlan, PreprocessorOnlyOptions) {
  PlanOut p = plan({"-cxx-isystem", "inc", "-ivfsoverlay", "o.yaml", "-c", "a.cpp"});
  ASSERT_TRUE(p.distributed()) << p.reason_text;
  EXPECT_EQ(p.tag_of("-cxx-isystem"), k_cpp);
  EXPECT_EQ(p.tag_of("o.yaml"), k_cpp);
  EXPECT_FALSE(has(p.remote_argv, "-ivfsoverlay"));
}

// clang's driver takes -Wp,-MD,FILE as -MD -MF FILE: the target is the -o
// value, so the preprocessor gets -MQ OBJECT as for -MD.
TEST(ClangPlan, WpMDIsTheDriversMD) {
  PlanOut p = plan({"-Wp,-MD,build/.a.o.d", "-c", "src/a.c", "-o", "build/a.o"});
  ASSERT_TRUE(p.distributed()) << p.reason_text;
  EXPECT_EQ(p.dep_file, "build/.a.o.d");
  EXPECT_EQ(p.cpp_argv, (Args{"clang", "-Wp,-MD,build/.a.o.d", "-MQ", "build/a.o", "src/a.c",
                              "-E"}));
  EXPECT_EQ(p.tag_of("-Wp,-MD,build/.a.o.d"), k_cpp);
}

// clang 14 adds -MF FILE only for exactly `-Wp,-MD,FILE`: `-Wp,-MD,FILE,-MP`
// (and `-Wp,-MD` alone) is a bare -MD, so FILE and -MP are dropped and the
// .d file gets the default name; the preprocessor is told that name.
TEST(ClangPlan, WpMDWithMoreItemsIsABareMD) {
  for (std::string wp : {"-Wp,-MD,deps/wp.d,-MP", "-Wp,-MMD,deps/wp.d,-MP", "-Wp,-MD"}) {
    PlanOut p = plan({"-Iinclude", wp, "-c", "src/vec.c", "-o", "build/obj/vec.o"});
    ASSERT_TRUE(p.distributed()) << wp << ": " << p.reason_text;
    EXPECT_EQ(p.dep_file, "build/obj/vec.d") << wp;
    EXPECT_EQ(p.cpp_argv, (Args{"clang", "-Iinclude", wp, "-MF", "build/obj/vec.d", "-MQ",
                                "build/obj/vec.o", "src/vec.c", "-E"}));
    EXPECT_EQ(p.tag_of(wp), k_cpp);
  }
  PlanOut implied = plan({"-Wp,-MD,deps/wp.d,-MP", "-c", "src/vec.c"});
  ASSERT_TRUE(implied.distributed()) << implied.reason_text;
  EXPECT_EQ(implied.dep_file, "vec.d");
  EXPECT_EQ(implied.cpp_argv,
            (Args{"clang", "-Wp,-MD,deps/wp.d,-MP", "-MF", "vec.d", "src/vec.c", "-E"}));
  // A driver -MF still names the file: only the -Wp list's own FILE is dropped.
  PlanOut mf = plan({"-MF", "x.d", "-Wp,-MD,deps/wp.d,-MP", "-c", "src/vec.c", "-o", "vec.o"});
  ASSERT_TRUE(mf.distributed()) << mf.reason_text;
  EXPECT_EQ(mf.dep_file, "x.d");
}

TEST(ClangPlan, DependencyFilesAsGcc) {
  PlanOut p = plan({"-MMD", "-MP", "-c", "src/a.c", "-o", "build/a.o"});
  ASSERT_TRUE(p.distributed());
  EXPECT_EQ(p.dep_file, "build/a.d");
  EXPECT_EQ(p.cpp_argv, (Args{"clang", "-MMD", "-MF", "build/a.d", "-MQ", "build/a.o", "-MP",
                              "src/a.c", "-E"}));
  EXPECT_EQ(p.tag_of("-MP"), k_cpp);
  EXPECT_EQ(p.tag_of("-c"), k_remote);
}

}  // namespace
}  // namespace ferry::clang::test
