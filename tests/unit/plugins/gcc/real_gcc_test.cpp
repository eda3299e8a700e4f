// The plan against the real gcc: a local compile in one directory, the plan's
// preprocessor + remote compile in another, and the .d files (and objects)
// compared byte for byte. Skipped when gcc is not installed.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "gcc-family/real_compiler.h"
#include "gcc_test_util.h"

namespace ferry::gcc::test {
namespace {

using plugin_test::slurp;

class RealGcc : public plugin_test::RealCompiler {
 protected:
  RealGcc() : RealCompiler(plugin_table(), "gcc") {}
};

TEST_F(RealGcc, MDWithObjectInAnotherDirectory) {
  expect_same_deps({"-MD", "-c", "src/a.c", "-o", "build/a.o"}, "build/a.d");
}

TEST_F(RealGcc, MMDWithDottedObject) {
  expect_same_deps({"-MMD", "-c", "src/a.c", "-o", "build/a.x.o"}, "build/a.x.d");
}

TEST_F(RealGcc, ObjectWithoutSuffix) {
  expect_same_deps({"-MD", "-c", "src/a.c", "-o", "build/a"}, "build/a.d");
}

TEST_F(RealGcc, ImpliedObject) {
  expect_same_deps({"-MD", "-c", "src/a.c"}, "a.d");
}

TEST_F(RealGcc, AssemblerOutputWithAndWithoutO) {
  expect_same_deps({"-MD", "-S", "src/a.c"}, "a.d");
  expect_same_deps({"-MD", "-S", "src/a.c", "-o", "build/a.s"}, "build/a.d");
}

TEST_F(RealGcc, GivenMFAndTargets) {
  expect_same_deps({"-MD", "-MF", "build/dep.d", "-c", "src/a.c", "-o", "build/a.o"},
                   "build/dep.d");
  expect_same_deps({"-MMD", "-MT", "tgt", "-MP", "-c", "src/a.c", "-o", "build/a.o"},
                   "build/a.d");
  expect_same_deps({"-MD", "-MQ", "q$ t", "-c", "src/a.c", "-o", "build/a.o"}, "build/a.d");
}

TEST_F(RealGcc, ObjectNameNeedingQuotes) {
  expect_same_deps({"-MD", "-c", "src/a.c", "-o", "build/a$ b.o"}, "build/a$ b.d");
}

TEST_F(RealGcc, KernelStyleWp) {
  expect_same_deps({"-Wp,-MD,build/.a.o.d", "-c", "src/a.c", "-o", "build/a.o"},
                   "build/.a.o.d");
  expect_same_deps({"-Wp,-MMD,build/k.d", "-c", "src/a.c"}, "build/k.d");
  expect_same_deps({"-Xpreprocessor", "-MD", "-Xpreprocessor", "build/x.d", "-c", "src/a.c",
                    "-o", "build/a.o"},
                   "build/x.d");
}

TEST_F(RealGcc, IncludeAndCxx) {
  expect_same_deps(
      {"-Iinc", "-include", "pre.h", "-MD", "-c", "src/a.c", "-o", "build/a.o"}, "build/a.d");
  expect_same_deps({"-x", "c++", "-MD", "-c", "src/a.c", "-o", "build/a.o"}, "build/a.d");
}

TEST_F(RealGcc, GxxCompilesDotCAsCxx) {
  // The object has C++ symbols (f(int) is mangled): compiled as C it would not match.
  expect_same_deps({"-MD", "-c", "src/a.c", "-o", "build/a.o"}, "build/a.d", nullptr, "g++");
}

TEST_F(RealGcc, PlainStrategy) {
  expect_same_deps({"-MD", "-c", "src/a.c", "-o", "build/a.o"}, "build/a.d", "plain");
}

// The preprocessor converts a Latin-1 source to UTF-8; the compile must not
// convert it a second time (distcc sends -finput-charset to both).
TEST_F(RealGcc, InputCharsetIsThePreprocessorsJob) {
  for (const char* strategy : {"directives-only", "plain"}) {
    Outcome o = compile_both({"-finput-charset=latin1", "-c", "src/l1.c", "-o", "build/l1.o"},
                             strategy);
    ASSERT_TRUE(o.plan.distributed());
    expect_same_file(o.local_dir + "/build/l1.o", o.remote_dir + "/build/l1.o");
    EXPECT_EQ(std::count(o.plan.remote_argv.begin(), o.plan.remote_argv.end(),
                         "-finput-charset=latin1"),
              0);
  }
}

// With -fdirectives-only, macros expand on the volunteer, so a warning
// inside a macro reads as it does locally (file, line, column and the "in
// expansion of macro" note). Only the source excerpts need the source file,
// which a volunteer does not have: compared here without them.
TEST_F(RealGcc, DiagnosticsMatchALocalCompile) {
  Outcome o = compile_both({"-Wall", "-fno-diagnostics-show-caret", "-c", "src/a.c", "-o",
                            "build/a.o"});
  ASSERT_TRUE(o.plan.distributed());
  ASSERT_NE(o.local_err.find("in expansion of macro"), std::string::npos)
      << o.local_err;
  EXPECT_EQ(o.local_err, o.dist_err);
  expect_same_file(o.local_dir + "/build/a.o", o.remote_dir + "/build/a.o");
}

TEST_F(RealGcc, DebugObjectIsIdenticalWithoutRecordedSwitches) {
  const Args args = {"-g", "-gno-record-gcc-switches", "-O1", "-DY=2", "-c", "src/a.c",
                     "-o", "build/a.o"};
  Outcome o = compile_both(args);
  ASSERT_TRUE(o.plan.distributed());
  // The local reference compiles in the preprocessor's directory (D/), as a
  // real client does: gcc orders .debug_str by a hash of the strings, so
  // comparing against a compile in another directory (L/) differs in layout
  // whenever the two directory names hash differently.
  Args local = {"gcc"};
  local.insert(local.end(), args.begin(), args.end());
  ASSERT_EQ(plugin_test::run(o.dist_dir, local, "/dev/null", "/dev/null"), 0);
  auto l = slurp(o.dist_dir + "/build/a.o");
  auto d = slurp(o.remote_dir + "/build/a.o");
  ASSERT_TRUE(l && d);
  EXPECT_TRUE(*d == *l) << "the distributed -g object differs from a local compile";
}

}  // namespace
}  // namespace ferry::gcc::test
