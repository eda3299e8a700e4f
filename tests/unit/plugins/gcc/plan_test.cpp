// argv in, plan out: the client-side rules of the gcc plugin.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <algorithm>
#include <cstddef>
#include <cstdio>
#include <cstdlib>

#include "gcc_test_util.h"

namespace ferry::gcc::test {
namespace {

constexpr uint8_t k_cpp = FERRY_ARG_CPP;
constexpr uint8_t k_remote = FERRY_ARG_REMOTE;
constexpr uint8_t k_both = FERRY_ARG_CPP | FERRY_ARG_REMOTE;

void expect_local(const Args& args, ferry_reason reason, const std::string& text_part = "") {
  PlanOut p = plan(args);
  ASSERT_TRUE(p.ok);
  EXPECT_FALSE(p.distribute) << testing::PrintToString(args);
  EXPECT_EQ(p.reason, reason) << testing::PrintToString(args) << ": " << p.reason_text;
  EXPECT_FALSE(p.reason_text.empty());
  EXPECT_EQ(p.reason_text.find('\n'), std::string::npos);
  if (!text_part.empty()) {
    EXPECT_NE(p.reason_text.find(text_part), std::string::npos) << p.reason_text;
  }
  Args local = {"gcc"};
  local.insert(local.end(), args.begin(), args.end());
  EXPECT_EQ(p.local_argv, local);
}

void expect_distributed(const Args& args) {
  PlanOut p = plan(args);
  ASSERT_TRUE(p.ok);
  EXPECT_TRUE(p.distributed()) << testing::PrintToString(args) << ": " << p.reason_text;
}

// ---- the basic plan --------------------------------------------------------

TEST(GccPlan, DistributesAPlainCompile) {
  PlanOut p = plan({"-O2", "-Iinc", "-c", "src/a.c", "-o", "build/a.o"});
  ASSERT_TRUE(p.distributed()) << p.reason_text;
  EXPECT_EQ(p.reason, FERRY_REASON_NONE);
  EXPECT_EQ(p.language, "c");
  EXPECT_EQ(p.input, "src/a.c");
  EXPECT_EQ(p.object, "build/a.o");
  EXPECT_EQ(p.preprocessed_ext, ".i");
  EXPECT_FALSE(p.input_is_preprocessed);
  EXPECT_FALSE(p.dep_file);
  EXPECT_EQ(p.cpp_argv, (Args{"gcc", "-O2", "-Iinc", "src/a.c", "-E", "-fdirectives-only"}));
  EXPECT_EQ(p.remote_argv, (Args{"gcc", "-O2", "-c", "src/a.i", "-o", "build/a.o",
                                 "-fpreprocessed", "-fdirectives-only"}));
  EXPECT_EQ(p.local_argv, (Args{"gcc", "-O2", "-Iinc", "-c", "src/a.c", "-o", "build/a.o"}));
}

TEST(GccPlan, RemoteCompilerIsTheBasenameAndCppRunsTheGivenPath) {
  PlanOut p = plan({"-c", "a.c", "-o", "a.o"}, "/usr/bin/x86_64-linux-gnu-gcc-12");
  ASSERT_TRUE(p.distributed());
  EXPECT_EQ(p.cpp_argv.front(), "/usr/bin/x86_64-linux-gnu-gcc-12");
  EXPECT_EQ(p.remote_argv.front(), "x86_64-linux-gnu-gcc-12");
  EXPECT_EQ(p.local_argv.front(), "/usr/bin/x86_64-linux-gnu-gcc-12");
}

TEST(GccPlan, ImpliedObjectIsMadeExplicit) {
  PlanOut p = plan({"-c", "src/a.x.c"});
  ASSERT_TRUE(p.distributed());
  EXPECT_EQ(p.object, "a.x.o");  // basename, in the current directory
  EXPECT_EQ(p.remote_argv, (Args{"gcc", "-c", "src/a.x.i", "-fpreprocessed",
                                 "-fdirectives-only", "-o", "a.x.o"}));
}

TEST(GccPlan, ImpliedAssemblerOutputUnderS) {
  PlanOut p = plan({"-S", "src/a.c"});
  ASSERT_TRUE(p.distributed());
  EXPECT_EQ(p.object, "a.s");
  EXPECT_EQ(p.remote_argv.back(), "a.s");
}

TEST(GccPlan, SBeatsC) {
  PlanOut p = plan({"-c", "-S", "x.c"});
  ASSERT_TRUE(p.distributed());
  EXPECT_EQ(p.object, "x.s");
  EXPECT_EQ(p.remote_argv, (Args{"gcc", "-c", "-S", "x.i", "-fpreprocessed",
                                 "-fdirectives-only", "-o", "x.s"}));
  EXPECT_EQ(plan({"-S", "-c", "x.c"}).object, "x.s");
}

TEST(GccPlan, ImpliedObjectOfAnInputWithoutSuffix) {
  PlanOut p = plan({"-x", "c", "-c", "src/noext"});
  ASSERT_TRUE(p.distributed());
  EXPECT_EQ(p.object, "noext.o");
  EXPECT_EQ(p.remote_argv, (Args{"gcc", "-c", "src/noext.i", "-fpreprocessed",
                                 "-fdirectives-only", "-o", "noext.o"}));
}

TEST(GccPlan, JoinedOutputKeepsItsSpelling) {
  PlanOut p = plan({"-c", "a.c", "-obuild/a.o"});
  ASSERT_TRUE(p.distributed());
  EXPECT_EQ(p.object, "build/a.o");
  EXPECT_EQ(p.remote_argv, (Args{"gcc", "-c", "a.i", "-obuild/a.o", "-fpreprocessed",
                                 "-fdirectives-only"}));
}

TEST(GccPlan, LongOptionsBecomeWhatDistccdUnderstands) {
  PlanOut p = plan({"--compile", "a.c", "--output", "b.o"});
  ASSERT_TRUE(p.distributed());
  EXPECT_EQ(p.object, "b.o");
  EXPECT_EQ(p.remote_argv, (Args{"gcc", "-c", "a.i", "-o", "b.o", "-fpreprocessed",
                                 "-fdirectives-only"}));
  PlanOut q = plan({"-c", "a.c", "--output=b.o"});
  ASSERT_TRUE(q.distributed());
  EXPECT_EQ(q.object, "b.o");
  EXPECT_EQ(q.remote_argv[3], "-o");
  EXPECT_EQ(q.remote_argv[4], "b.o");
}

TEST(GccPlan, IncludeDirSpellingIsKept) {
  PlanOut p = plan({"-I", "inc", "-Iinc2", "-isystem", "sys", "-DX=1", "-D", "Y", "-c", "a.c"});
  ASSERT_TRUE(p.distributed());
  EXPECT_EQ(p.cpp_argv, (Args{"gcc", "-I", "inc", "-Iinc2", "-isystem", "sys", "-DX=1", "-D", "Y",
                              "a.c", "-E", "-fdirectives-only"}));
  // -I inc is one option: "inc" is not a second input.
  EXPECT_EQ(p.input, "a.c");
  EXPECT_EQ(p.tag_of("inc"), k_cpp);
  EXPECT_EQ(p.remote_argv, (Args{"gcc", "-c", "a.i", "-fpreprocessed", "-fdirectives-only",
                                 "-o", "a.o"}));
}

// ---- languages --------------------------------------------------------------

TEST(GccPlan, LanguageFromExtension) {
  struct Case {
    const char* input;
    const char* language;
    const char* ext;
    bool preprocessed;
  };
  for (const Case& c : {Case{"a.c", "c", ".i", false}, Case{"a.cc", "c++", ".ii", false},
                        Case{"a.cpp", "c++", ".ii", false}, Case{"a.cxx", "c++", ".ii", false},
                        Case{"a.cp", "c++", ".ii", false}, Case{"a.c++", "c++", ".ii", false},
                        Case{"a.C", "c++", ".ii", false}, Case{"a.CPP", "c++", ".ii", false},
                        Case{"a.i", "c", ".i", true}, Case{"a.ii", "c++", ".ii", true},
                        Case{"a.m", "objective-c", ".mi", false},
                        Case{"a.mi", "objective-c", ".mi", true},
                        Case{"a.mm", "objective-c++", ".mii", false},
                        Case{"a.M", "objective-c++", ".mii", false},
                        Case{"a.mii", "objective-c++", ".mii", true}}) {
    PlanOut p = plan({"-c", c.input});
    ASSERT_TRUE(p.distributed()) << c.input << ": " << p.reason_text;
    EXPECT_EQ(p.language, c.language) << c.input;
    EXPECT_EQ(p.preprocessed_ext, c.ext) << c.input;
    EXPECT_EQ(p.input_is_preprocessed, c.preprocessed) << c.input;
  }
}

TEST(GccPlan, CxxDriversCompileDotCAsCxx) {
  // g++ runs cc1plus for .c, and cc1plus -fpreprocessed for .i.
  for (const char* cxx : {"g++", "c++", "g++-12", "x86_64-linux-gnu-g++-12", "/usr/bin/g++"}) {
    PlanOut p = plan({"-c", "src/a.c", "-o", "a.o"}, cxx);
    ASSERT_TRUE(p.distributed()) << cxx;
    EXPECT_EQ(p.language, "c++") << cxx;
    EXPECT_EQ(p.preprocessed_ext, ".ii") << cxx;
    EXPECT_EQ(p.remote_argv[2], "src/a.ii") << cxx;
    PlanOut q = plan({"-c", "a.i"}, cxx);
    ASSERT_TRUE(q.distributed()) << cxx;
    EXPECT_EQ(q.language, "c++") << cxx;
    EXPECT_TRUE(q.input_is_preprocessed);
    EXPECT_EQ(q.remote_argv[2], "a.ii") << cxx;
  }
  EXPECT_EQ(plan({"-x", "c", "-c", "a.c"}, "g++").language, "c");
  EXPECT_EQ(plan({"-c", "a.m"}, "g++").language, "objective-c");
  EXPECT_EQ(plan({"-c", "a.c"}, "x86_64-linux-gnu-gcc").language, "c");
  EXPECT_EQ(plan({"-c", "a.c"}, "cc").language, "c");
}

TEST(GccPlan, PreprocessedInputRunsNoCpp) {
  PlanOut p = plan({"-O2", "-MD", "-c", "src/a.i", "-o", "a.o"});
  ASSERT_TRUE(p.distributed());
  EXPECT_TRUE(p.input_is_preprocessed);
  EXPECT_TRUE(p.cpp_argv.empty());
  EXPECT_FALSE(p.dep_file);  // gcc writes no .d for a .i (measured)
  EXPECT_EQ(p.remote_argv, (Args{"gcc", "-O2", "-c", "src/a.i", "-o", "a.o"}));
}

TEST(GccPlan, DashXSeparate) {
  PlanOut p = plan({"-x", "c++", "-c", "a.c"});
  ASSERT_TRUE(p.distributed());
  EXPECT_EQ(p.language, "c++");
  EXPECT_EQ(p.preprocessed_ext, ".ii");
  EXPECT_EQ(p.cpp_argv, (Args{"gcc", "-x", "c++", "a.c", "-E", "-fdirectives-only"}));
  // The remote sees the language from the .ii name: no -x.
  EXPECT_EQ(p.remote_argv, (Args{"gcc", "-c", "a.ii", "-fpreprocessed", "-fdirectives-only",
                                 "-o", "a.o"}));
  EXPECT_EQ(p.tag_of("-x"), k_cpp);
  EXPECT_EQ(p.tag_of("c++"), k_cpp);
}

TEST(GccPlan, DashXJoinedIsReadCorrectly) {
  // distcc 3.4 checks the argument after -xc and keeps this local.
  PlanOut p = plan({"-xc", "-c", "x.c"});
  ASSERT_TRUE(p.distributed()) << p.reason_text;
  EXPECT_EQ(p.language, "c");
  PlanOut q = plan({"-xc++", "-c", "x.c"});
  ASSERT_TRUE(q.distributed());
  EXPECT_EQ(q.language, "c++");
  EXPECT_EQ(q.cpp_argv, (Args{"gcc", "-xc++", "x.c", "-E", "-fdirectives-only"}));
}

TEST(GccPlan, DashXMakesAnyNameASource) {
  PlanOut p = plan({"-x", "c", "-c", "foo.txt", "-o", "foo.o"});
  ASSERT_TRUE(p.distributed());
  EXPECT_EQ(p.remote_argv[2], "foo.i");
}

TEST(GccPlan, DashXNoneResetsToTheExtension) {
  PlanOut p = plan({"-x", "c++", "-x", "none", "-c", "a.c"});
  ASSERT_TRUE(p.distributed());
  EXPECT_EQ(p.language, "c");
  // -x after the last input has no effect in gcc either.
  PlanOut q = plan({"-c", "a.c", "-x", "assembler"});
  ASSERT_TRUE(q.distributed()) << q.reason_text;
  EXPECT_EQ(q.language, "c");
}

TEST(GccPlan, DashXPreprocessedLanguages) {
  PlanOut p = plan({"-x", "cpp-output", "-c", "a.c"});
  ASSERT_TRUE(p.distributed());
  EXPECT_TRUE(p.input_is_preprocessed);
  EXPECT_EQ(p.language, "c");
  EXPECT_TRUE(p.cpp_argv.empty());
  PlanOut q = plan({"-x", "c++-cpp-output", "-c", "a.c"});
  ASSERT_TRUE(q.distributed());
  EXPECT_EQ(q.language, "c++");
  EXPECT_TRUE(q.input_is_preprocessed);
}

TEST(GccPlan, LanguageRules) {
  expect_local({"-x", "assembler", "-c", "a.c"}, FERRY_REASON_LANGUAGE, "assembler");
  expect_local({"-xassembler-with-cpp", "-c", "a.c"}, FERRY_REASON_LANGUAGE);
  expect_local({"-x", "c-header", "-c", "a.h"}, FERRY_REASON_LANGUAGE);
  expect_local({"-x", "c++-header", "-c", "a.h"}, FERRY_REASON_LANGUAGE);
  expect_local({"-x", "f77", "-c", "a.c"}, FERRY_REASON_LANGUAGE);
  expect_local({"-x", "go", "-c", "a.go"}, FERRY_REASON_LANGUAGE);
  expect_local({"-c", "a.s"}, FERRY_REASON_LANGUAGE, "assembler");
  expect_local({"-c", "a.S"}, FERRY_REASON_LANGUAGE);
  expect_local({"-c", "a.h"}, FERRY_REASON_LANGUAGE, "header");
  expect_local({"-c", "a.f90"}, FERRY_REASON_LANGUAGE);
}

// ---- local rules ------------------------------------------------------------

TEST(GccPlanLocal, NotACompile) {
  expect_local({"a.c", "-o", "a"}, FERRY_REASON_NOT_COMPILE);
  expect_local({"a.o", "b.o", "-o", "prog"}, FERRY_REASON_NOT_COMPILE);
  expect_local({}, FERRY_REASON_NOT_COMPILE);
  expect_local({"--version"}, FERRY_REASON_NOT_COMPILE);
  expect_local({"--version", "-c", "a.c"}, FERRY_REASON_NOT_COMPILE, "--version");
  expect_local({"-###", "-c", "a.c"}, FERRY_REASON_NOT_COMPILE);
  expect_local({"-dumpversion"}, FERRY_REASON_NOT_COMPILE);
  expect_local({"-print-file-name=libc.so"}, FERRY_REASON_NOT_COMPILE);
  expect_local({"--print-prog-name", "cc1", "-c", "a.c"}, FERRY_REASON_NOT_COMPILE);
  expect_local({"--help=warnings", "-c", "a.c"}, FERRY_REASON_NOT_COMPILE);
}

TEST(GccPlanLocal, PreprocessOnly) {
  expect_local({"-E", "a.c"}, FERRY_REASON_PREPROCESS_ONLY, "-E");
  expect_local({"-E", "-c", "a.c"}, FERRY_REASON_PREPROCESS_ONLY);
  expect_local({"-M", "a.c"}, FERRY_REASON_PREPROCESS_ONLY);
  expect_local({"-MM", "-c", "a.c"}, FERRY_REASON_PREPROCESS_ONLY);
  expect_local({"--preprocess", "a.c"}, FERRY_REASON_PREPROCESS_ONLY);
  expect_local({"--dependencies", "a.c"}, FERRY_REASON_PREPROCESS_ONLY);
  expect_local({"-Wp,-M", "-c", "a.c"}, FERRY_REASON_PREPROCESS_ONLY);
}

TEST(GccPlanLocal, NoInput) {
  expect_local({"-c"}, FERRY_REASON_NO_INPUT);
  expect_local({"-c", "-o", "x.o"}, FERRY_REASON_NO_INPUT);
  expect_local({"-c", "libfoo.a"}, FERRY_REASON_NO_INPUT, "not a source");
  expect_local({"-x", "c", "-c", "-"}, FERRY_REASON_NO_INPUT, "standard input");
}

TEST(GccPlanLocal, MultipleInputs) {
  expect_local({"-c", "a.c", "b.c"}, FERRY_REASON_MULTIPLE_INPUTS, "a.c and b.c");
  expect_local({"-c", "a.c", "b.s"}, FERRY_REASON_MULTIPLE_INPUTS);
  expect_local({"-c", "a.c", "y.o"}, FERRY_REASON_MULTIPLE_INPUTS);
  expect_local({"-c", "a.c", "libfoo.a"}, FERRY_REASON_MULTIPLE_INPUTS);
}

TEST(GccPlanLocal, MultipleOutputs) {
  expect_local({"-c", "a.c", "-o", "a.o", "-o", "b.o"}, FERRY_REASON_MULTIPLE_OUTPUTS);
  // distcc counts a bare .o operand as an output.
  expect_local({"-c", "a.c", "-o", "a.o", "b.o"}, FERRY_REASON_MULTIPLE_OUTPUTS);
}

TEST(GccPlanLocal, Autoconf) {
  expect_local({"-c", "conftest.c"}, FERRY_REASON_AUTOCONF, "conftest.c");
  expect_local({"-O2", "-c", "sub/conftest.cpp", "-o", "conftest.o"}, FERRY_REASON_AUTOCONF);
  expect_local({"-c", "tmp.conftest.c"}, FERRY_REASON_AUTOCONF);
  expect_distributed({"-c", "myconftest.c"});
  expect_distributed({"-c", "conftest_x.c"});
}

TEST(GccPlanLocal, OutputToStdout) {
  expect_local({"-c", "a.c", "-o", "-"}, FERRY_REASON_OUTPUT_TO_STDOUT);
  expect_local({"-S", "a.c", "-o-"}, FERRY_REASON_OUTPUT_TO_STDOUT);
}

TEST(GccPlanLocal, HostSpecific) {
  expect_local({"-march=native", "-c", "a.c"}, FERRY_REASON_HOST_SPECIFIC, "-march=native");
  expect_local({"-mtune=native", "-c", "a.c"}, FERRY_REASON_HOST_SPECIFIC);
  expect_local({"-mcpu=native", "-c", "a.c"}, FERRY_REASON_HOST_SPECIFIC);
  // gcc takes the last -march=.
  expect_distributed({"-march=native", "-march=x86-64-v2", "-c", "a.c"});
  expect_local({"-march=x86-64-v2", "-march=native", "-c", "a.c"}, FERRY_REASON_HOST_SPECIFIC);
  expect_distributed({"-march=haswell", "-mtune=generic", "-c", "a.c"});
}

TEST(GccPlanLocal, Profiling) {
  for (const char* f : {"-fprofile-arcs", "-ftest-coverage", "--coverage", "-coverage",
                        "-fprofile-generate", "-fprofile-generate=/tmp/p", "-fprofile-use",
                        "-fprofile-use=x.gcda", "-fauto-profile", "-fauto-profile=p.afdo",
                        "-fprofile-correction", "-frepo", "-dr", "-drtl"}) {
    expect_local({f, "-c", "a.c"}, FERRY_REASON_PROFILING, f);
  }
  expect_distributed({"-fno-profile-arcs", "-c", "a.c"});
  expect_distributed({"-pg", "-c", "a.c"});
}

TEST(GccPlanLocal, UnsafeOptions) {
  for (const Args& a : {Args{"-fplugin=/tmp/x.so"}, Args{"-fplugin-arg-x-y=z"},
                        Args{"-specs=my.specs"}, Args{"-specs", "my.specs"},
                        Args{"--specs=my.specs"}, Args{"--specs", "my.specs"}, Args{"-B/tmp"},
                        Args{"-B", "/tmp"}, Args{"--prefix=/tmp"}, Args{"-wrapper", "gdb,--args"},
                        Args{"-iplugindir=/tmp"}}) {
    Args args = a;
    args.insert(args.end(), {"-c", "a.c"});
    expect_local(args, FERRY_REASON_UNSAFE_OPTION, a.front());
  }
}

TEST(GccPlanLocal, ExtraOutputs) {
  for (const Args& a :
       {Args{"-gsplit-dwarf"}, Args{"-save-temps"}, Args{"-save-temps=obj"}, Args{"--save-temps"},
        Args{"-fdump-tree-all"}, Args{"-fdump-rtl-expand"}, Args{"-fdump-ada-spec"},
        Args{"-fstack-usage"}, Args{"-fcallgraph-info"}, Args{"-fcallgraph-info=su"},
        Args{"-fsave-optimization-record"}, Args{"-aux-info", "protos.h"},
        Args{"-fopt-info-vec=vec.txt"}, Args{"-Wa,-adhln=a.lst"}, Args{"-Wa,-a"},
        Args{"-Wa,--noexecstack,-al"}, Args{"-Wa,--MD,a.dep"}, Args{"-Xassembler", "-als"},
        Args{"-da"}, Args{"-time=t.txt"}, Args{"-fdiagnostics-format=sarif-file"}}) {
    Args args = a;
    args.insert(args.end(), {"-c", "a.c"});
    expect_local(args, FERRY_REASON_EXTRA_OUTPUT, a.front());
  }
  // Only to stderr, or only into the assembler text: fine.
  expect_distributed({"-fopt-info-vec", "-c", "a.c"});
  expect_distributed({"-dA", "-dp", "-c", "a.c"});
  expect_distributed({"-Wa,--noexecstack", "-c", "a.c"});
  expect_distributed({"-Xassembler", "--gdwarf-5", "-c", "a.c"});
  expect_distributed({"-fdiagnostics-format=json", "-c", "a.c"});
}

TEST(GccPlanLocal, AssemblerReadingLocalFiles) {
  expect_local({"-Wa,-I,incs", "-c", "a.c"}, FERRY_REASON_UNSUPPORTED);
  expect_local({"-Wa,@asm.rsp", "-c", "a.c"}, FERRY_REASON_UNSUPPORTED);
  expect_local({"-Wa,--debug-prefix-map,/a=/b", "-c", "a.c"}, FERRY_REASON_UNSUPPORTED);
}

TEST(GccPlanLocal, LinkTimeOptimisation) {
  expect_local({"-flto", "-c", "a.c"}, FERRY_REASON_UNSUPPORTED, "link time");
  expect_local({"-flto=auto", "-c", "a.c"}, FERRY_REASON_UNSUPPORTED);
  expect_local({"-fno-lto", "-flto=4", "-c", "a.c"}, FERRY_REASON_UNSUPPORTED);
  expect_distributed({"-flto", "-fno-lto", "-c", "a.c"});
}

TEST(GccPlanLocal, OtherUnsupported) {
  expect_local({"-fsyntax-only", "-c", "a.c"}, FERRY_REASON_UNSUPPORTED);
  expect_local({"-fmodules-ts", "-c", "a.cc"}, FERRY_REASON_UNSUPPORTED);
  expect_local({"-fmodule-mapper=|sh", "-c", "a.cc"}, FERRY_REASON_UNSUPPORTED);
  expect_local({"-fpch-preprocess", "-c", "a.c"}, FERRY_REASON_UNSUPPORTED);
  expect_local({"-dumpdir", "d/", "-c", "a.c"}, FERRY_REASON_UNSUPPORTED);
}

TEST(GccPlanLocal, BadArguments) {
  expect_local({"-c", "a.c", "-o"}, FERRY_REASON_BAD_ARGUMENTS, "'-o'");
  expect_local({"-c", "a.c", "-I"}, FERRY_REASON_BAD_ARGUMENTS);
  expect_local({"-c", "a.c", "-x"}, FERRY_REASON_BAD_ARGUMENTS);
  expect_local({"-c", "a.c", "-include"}, FERRY_REASON_BAD_ARGUMENTS);
  expect_local({"-c", "a.c", "--param"}, FERRY_REASON_BAD_ARGUMENTS);
  expect_local({"-c", "a.c", "-Xlinker"}, FERRY_REASON_BAD_ARGUMENTS);
  expect_local({"-c", ""}, FERRY_REASON_BAD_ARGUMENTS, "empty");
}

TEST(GccPlanLocal, FirstOffendingArgumentIsReported) {
  PlanOut p = plan({"-fprofile-arcs", "-march=native", "-c", "a.c"});
  EXPECT_EQ(p.reason, FERRY_REASON_PROFILING);
  PlanOut q = plan({"-march=native", "-fprofile-arcs", "-c", "a.c"});
  EXPECT_EQ(q.reason, FERRY_REASON_HOST_SPECIFIC);
}

TEST(GccPlanLocal, SeparateValuesAreNotInputs) {
  // Without the table these values would be read as second inputs.
  for (const Args& a :
       {Args{"-include", "pre.h"}, Args{"-imacros", "m.h"}, Args{"-idirafter", "d"},
        Args{"-iquote", "q"}, Args{"-iprefix", "p"}, Args{"-iwithprefix", "w"},
        Args{"-iwithprefixbefore", "w"}, Args{"-isysroot", "r"}, Args{"--sysroot", "r"},
        Args{"-A", "x=y"}, Args{"-U", "X"}, Args{"-MT", "t.c"}, Args{"-MQ", "t.c"},
        Args{"-MF", "d.c"}, Args{"--param", "max-inline-insns-auto=10"}, Args{"-Xlinker", "x.c"},
        Args{"-l", "m"}, Args{"-L", "lib"}, Args{"-T", "s.ld"}, Args{"-u", "sym"},
        Args{"-z", "now"}, Args{"-e", "main"}, Args{"-G", "8"},
        Args{"--include-directory", "i"}, Args{"--define-macro", "X"}, Args{"--language", "c"},
        Args{"-Xpreprocessor", "-DX"}}) {
    Args args = a;
    args.insert(args.end(), {"-c", "a.c"});
    PlanOut p = plan(args);
    EXPECT_TRUE(p.distributed()) << testing::PrintToString(a) << ": " << p.reason_text;
    EXPECT_EQ(p.input, "a.c") << testing::PrintToString(a);
  }
}

// ---- tags -------------------------------------------------------------------------

TEST(GccPlanTags, EveryArgumentIsTagged) {
  Args args = {"-O2", "-g", "-Wall", "-std=c11", "-fPIC", "-Iinc", "-I", "inc2", "-DX",
               "-include", "pre.h", "-x", "c", "-MD", "-MF", "a.d", "-MT", "a.o", "-MP",
               "-Wp,-DY", "-Xpreprocessor", "-DZ", "-nostdinc", "-c", "src/a.c", "-o", "a.o",
               "-P", "-dM", "-Wa,--noexecstack", "-Wl,-z,now", "-lm", "-L", "lib", "-pipe",
               "-finput-charset=latin1", "-fexec-charset=latin1"};
  PlanOut p = plan(args);
  ASSERT_TRUE(p.distributed()) << p.reason_text;
  ASSERT_EQ(p.args, args);
  ASSERT_EQ(p.tags.size(), args.size());
  for (size_t i = 0; i < args.size(); ++i) {
    EXPECT_NE(p.tags[i], 0) << args[i];
    EXPECT_EQ(p.tags[i] & ~k_both, 0) << args[i];
  }
  struct Expect {
    const char* arg;
    uint8_t tags;
  };
  for (const Expect& e :
       {Expect{"-O2", k_both}, Expect{"-g", k_both}, Expect{"-Wall", k_both},
        Expect{"-std=c11", k_both}, Expect{"-fPIC", k_both}, Expect{"-Iinc", k_cpp},
        Expect{"-I", k_cpp}, Expect{"inc2", k_cpp}, Expect{"-DX", k_cpp},
        Expect{"-include", k_cpp}, Expect{"pre.h", k_cpp}, Expect{"-x", k_cpp},
        Expect{"c", k_cpp}, Expect{"-MD", k_cpp}, Expect{"-MF", k_cpp}, Expect{"a.d", k_cpp},
        Expect{"-MT", k_cpp}, Expect{"-MP", k_cpp}, Expect{"-Wp,-DY", k_cpp},
        Expect{"-Xpreprocessor", k_cpp}, Expect{"-DZ", k_cpp}, Expect{"-nostdinc", k_cpp},
        Expect{"-c", k_remote}, Expect{"src/a.c", k_both}, Expect{"-o", k_remote},
        Expect{"-P", k_remote}, Expect{"-dM", k_remote}, Expect{"-Wa,--noexecstack", k_remote},
        // Link-only: ignored by the local driver, never sent (ferryd refuses them).
        Expect{"-Wl,-z,now", k_cpp}, Expect{"-lm", k_cpp}, Expect{"-L", k_cpp},
        Expect{"lib", k_cpp}, Expect{"-pipe", k_both}, Expect{"-finput-charset=latin1", k_cpp},
        Expect{"-fexec-charset=latin1", k_both}}) {
    EXPECT_EQ(p.tag_of(e.arg), e.tags) << e.arg;
  }
  // Both items of "-MT a.o" are CPP; the later "-o a.o" items are REMOTE.
  EXPECT_EQ(p.tags[18], k_cpp);
  EXPECT_EQ(p.tags[26], k_remote);
}

// The cpp and remote command lines are exactly the tagged arguments, in
// order (plus the input renamed, the strategy's flags and an implied -o).
TEST(GccPlanTags, ArgvFollowTheTags) {
  for (const Args& args :
       {Args{"-O2", "-Iinc", "-c", "a.c"}, Args{"-x", "c++", "-DX", "-c", "a.c", "-o", "b.o"},
        Args{"-include", "p.h", "-g", "-S", "a.c", "-P", "-dD"},
        Args{"-Wl,-O1", "-lm", "-c", "a.cc", "-o", "b.o", "-I", "x"}}) {
    PlanOut p = plan(args);
    ASSERT_TRUE(p.distributed()) << p.reason_text;
    Args cpp = {"gcc"};
    Args remote = {"gcc"};
    for (size_t i = 0; i < p.args.size(); ++i) {
      if (p.tags[i] & k_cpp) {
        cpp.push_back(p.args[i]);
      }
      if (p.tags[i] & k_remote) {
        std::string renamed = p.input.substr(0, p.input.rfind('.')) + p.preprocessed_ext;
        remote.push_back(p.args[i] == p.input ? renamed : p.args[i]);
      }
    }
    cpp.insert(cpp.end(), {"-E", "-fdirectives-only"});
    remote.insert(remote.end(), {"-fpreprocessed", "-fdirectives-only"});
    if (std::find(args.begin(), args.end(), "-o") == args.end()) {
      remote.insert(remote.end(), {"-o", p.object});
    }
    EXPECT_EQ(p.cpp_argv, cpp);
    EXPECT_EQ(p.remote_argv, remote);
  }
}

// ---- strategies -----------------------------------------------------------------

TEST(GccPlanStrategy, PlainIsDistccsMinusE) {
  PlanOut p = plan({"-O2", "-c", "a.c", "-o", "a.o"}, "gcc", "plain");
  ASSERT_TRUE(p.distributed());
  EXPECT_EQ(p.cpp_argv, (Args{"gcc", "-O2", "a.c", "-E"}));
  EXPECT_EQ(p.remote_argv, (Args{"gcc", "-O2", "-c", "a.i", "-o", "a.o"}));
}

TEST(GccPlanStrategy, DirectivesOnlyByName) {
  PlanOut p = plan({"-c", "a.c", "-o", "a.o"}, "gcc", "directives-only");
  ASSERT_TRUE(p.distributed());
  EXPECT_EQ(p.cpp_argv, (Args{"gcc", "a.c", "-E", "-fdirectives-only"}));
}

TEST(GccPlanStrategy, UnknownStrategyIsLocal) {
  PlanOut p = plan({"-c", "a.c"}, "gcc", "rewrite-includes");
  ASSERT_TRUE(p.ok);
  EXPECT_FALSE(p.distribute);
  EXPECT_EQ(p.reason, FERRY_REASON_UNSUPPORTED);
  EXPECT_NE(p.reason_text.find("rewrite-includes"), std::string::npos);
}

TEST(GccPlanLocal, PreprocessorOutputChangingItems) {
  // -P, -C, -dM reach the local preprocessor through -Wp/-Xpreprocessor and
  // would drop line markers or replace the code by a macro list.
  expect_local({"-Wp,-P", "-c", "a.c"}, FERRY_REASON_UNSUPPORTED, "-P");
  expect_local({"-Xpreprocessor", "-dM", "-c", "a.c"}, FERRY_REASON_UNSUPPORTED, "-dM");
  expect_local({"-Wp,-DX,-CC", "-c", "a.c"}, FERRY_REASON_UNSUPPORTED);
  expect_distributed({"-Wp,-DX,-UY,-Iinc", "-c", "a.c"});
}

TEST(GccPlanStrategy, IncompatibleFlagsFallBackToPlain) {
  // gcc: "-fdirectives-only is incompatible with -traditional" (and -Wunused-macros).
  for (const char* f : {"-traditional-cpp", "-traditional", "-Wunused-macros"}) {
    PlanOut p = plan({f, "-c", "a.c", "-o", "a.o"});
    ASSERT_TRUE(p.distributed()) << f;
    EXPECT_EQ(p.cpp_argv, (Args{"gcc", f, "a.c", "-E"})) << f;
    EXPECT_EQ(p.remote_argv, (Args{"gcc", f, "-c", "a.i", "-o", "a.o"})) << f;
  }
  PlanOut p = plan({"-Wp,-traditional-cpp", "-c", "a.c", "-o", "a.o"});
  ASSERT_TRUE(p.distributed());
  EXPECT_EQ(p.cpp_argv, (Args{"gcc", "-Wp,-traditional-cpp", "a.c", "-E"}));
  EXPECT_EQ(p.remote_argv, (Args{"gcc", "-c", "a.i", "-o", "a.o"}));
}

// ---- response files ---------------------------------------------------------------

class GccPlanResponseFile : public testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/ferry-gcc-rsp-XXXXXX";
    ASSERT_NE(::mkdtemp(tmpl), nullptr);
    m_dir = tmpl;
  }
  void TearDown() override { std::system(("rm -rf '" + m_dir + "'").c_str()); }
  void write(const std::string& name, const std::string& text) {
    FILE* f = std::fopen((m_dir + "/" + name).c_str(), "w");
    ASSERT_NE(f, nullptr);
    std::fputs(text.c_str(), f);
    std::fclose(f);
  }
  PlanOut run(const Args& args) { return plan(args, "gcc", nullptr, m_dir); }
  std::string m_dir;
};

TEST_F(GccPlanResponseFile, ExpandsWithQuotes) {
  write("args.rsp", "-O2 -I 'dir with space' \"-DMSG=\\\"hi\\\"\"\n-c\tsrc/a.c\n");
  PlanOut p = run({"@args.rsp", "-o", "a.o"});
  ASSERT_TRUE(p.distributed()) << p.reason_text;
  EXPECT_EQ(p.args, (Args{"-O2", "-I", "dir with space", "-DMSG=\"hi\"", "-c", "src/a.c", "-o",
                          "a.o"}));
  EXPECT_EQ(p.tags.size(), p.args.size());
  EXPECT_EQ(p.cpp_argv, (Args{"gcc", "-O2", "-I", "dir with space", "-DMSG=\"hi\"", "src/a.c",
                              "-E", "-fdirectives-only"}));
  EXPECT_EQ(p.remote_argv, (Args{"gcc", "-O2", "-c", "src/a.i", "-o", "a.o", "-fpreprocessed",
                                 "-fdirectives-only"}));
  // The local fallback runs the command as the user wrote it.
  EXPECT_EQ(p.local_argv, (Args{"gcc", "@args.rsp", "-o", "a.o"}));
}

TEST_F(GccPlanResponseFile, Nested) {
  write("outer.rsp", "-O2 @inner.rsp -o a.o");
  write("inner.rsp", "-c a.c");
  PlanOut p = run({"@outer.rsp"});
  ASSERT_TRUE(p.distributed()) << p.reason_text;
  EXPECT_EQ(p.args, (Args{"-O2", "-c", "a.c", "-o", "a.o"}));
}

TEST_F(GccPlanResponseFile, AbsolutePath) {
  write("abs.rsp", "-c a.c");
  PlanOut p = plan({"@" + m_dir + "/abs.rsp"}, "gcc", nullptr, "/");
  ASSERT_TRUE(p.distributed()) << p.reason_text;
  EXPECT_EQ(p.input, "a.c");
}

TEST_F(GccPlanResponseFile, EmptyFileGivesNoArguments) {
  write("empty.rsp", "  \n\t ");
  PlanOut p = run({"-c", "@empty.rsp", "a.c"});
  ASSERT_TRUE(p.distributed()) << p.reason_text;
  EXPECT_EQ(p.args, (Args{"-c", "a.c"}));
}

TEST_F(GccPlanResponseFile, ExpandedArgumentsAreAnalysed) {
  write("bad.rsp", "-march=native");
  PlanOut p = run({"@bad.rsp", "-c", "a.c"});
  EXPECT_EQ(p.reason, FERRY_REASON_HOST_SPECIFIC);
}

TEST_F(GccPlanResponseFile, MissingFileIsLocal) {
  PlanOut p = run({"-c", "a.c", "@missing.rsp"});
  ASSERT_TRUE(p.ok);
  EXPECT_FALSE(p.distribute);
  EXPECT_EQ(p.reason, FERRY_REASON_RESPONSE_FILE);
  EXPECT_NE(p.reason_text.find("@missing.rsp"), std::string::npos);
  EXPECT_EQ(p.args, (Args{"-c", "a.c", "@missing.rsp"}));
  EXPECT_EQ(p.tags.size(), 3u);
}

TEST_F(GccPlanResponseFile, NestedMissingFileIsLocal) {
  write("outer.rsp", "-c @gone.rsp");
  EXPECT_EQ(run({"@outer.rsp", "a.c"}).reason, FERRY_REASON_RESPONSE_FILE);
}

TEST_F(GccPlanResponseFile, SelfReferenceIsLocal) {
  write("loop.rsp", "-O2 @loop.rsp");
  EXPECT_EQ(run({"@loop.rsp", "-c", "a.c"}).reason, FERRY_REASON_RESPONSE_FILE);
}

TEST_F(GccPlanResponseFile, DirectoryIsLocal) {
  ::mkdir((m_dir + "/d").c_str(), 0700);
  EXPECT_EQ(run({"@d", "-c", "a.c"}).reason, FERRY_REASON_RESPONSE_FILE);
}

// ---- ABI robustness -------------------------------------------------------------

TEST(GccPlanAbi, RejectsMalformedRequests) {
  const ferry_plugin* t = plugin_table();
  ferry_plan* p = nullptr;
  EXPECT_NE(t->plan(nullptr, &p), 0);
  ferry_plan_request req{};
  req.struct_size = sizeof(req);
  req.compiler = nullptr;
  EXPECT_NE(t->plan(&req, &p), 0);
  req.compiler = "gcc";
  req.args = {nullptr, 2};
  EXPECT_NE(t->plan(&req, &p), 0);
  req.struct_size = 4;  // too short for the fields we need
  req.args = {nullptr, 0};
  EXPECT_NE(t->plan(&req, &p), 0);
}

TEST(GccPlanAbi, OlderRequestWithoutStrategy) {
  const char* items[] = {"-c", "a.c"};
  ferry_plan_request req{};
  req.struct_size = offsetof(ferry_plan_request, strategy);
  req.compiler = "gcc";
  req.args = {items, 2};
  req.cwd = "/";
  req.strategy = "bogus";  // beyond struct_size: must be ignored
  ferry_plan* p = nullptr;
  ASSERT_EQ(plugin_table()->plan(&req, &p), 0);
  EXPECT_EQ(p->verdict, FERRY_VERDICT_DISTRIBUTE);
  plugin_table()->free_plan(p);
}

TEST(GccPlanAbi, LocalPlanHasNoDistributionFields) {
  const char* items[] = {"-E", "a.c"};
  ferry_plan_request req{};
  req.struct_size = sizeof(req);
  req.compiler = "gcc";
  req.args = {items, 2};
  req.cwd = "/";
  ferry_plan* p = nullptr;
  ASSERT_EQ(plugin_table()->plan(&req, &p), 0);
  EXPECT_EQ(p->verdict, FERRY_VERDICT_LOCAL);
  EXPECT_EQ(p->cpp_argv.count, 0u);
  EXPECT_EQ(p->remote_argv.count, 0u);
  EXPECT_EQ(p->dep_file, nullptr);
  EXPECT_EQ(p->local_argv.count, 3u);
  EXPECT_STREQ(p->local_argv.items[1], "-E");
  plugin_table()->free_plan(p);
}

}  // namespace
}  // namespace ferry::gcc::test
