// The clang plugin's plans against the real clang 14: dependency files and
// objects byte for byte as a local compile writes them (fixture in
// gcc-family/real_compiler.h). Skipped when clang-14 is not installed.
#include <gtest/gtest.h>

#include "clang_test_util.h"
#include "gcc-family/real_compiler.h"

namespace ferry::clang::test {
namespace {

class RealClang : public plugin_test::RealCompiler {
 protected:
  RealClang() : RealCompiler(plugin_table(), "clang-14") {}
};

TEST_F(RealClang, MDWithObjectInAnotherDirectory) {
  expect_same_deps({"-MD", "-c", "src/a.c", "-o", "build/a.o"}, "build/a.d");
  expect_same_deps({"-MMD", "-c", "src/a.c", "-o", "build/a.x.o"}, "build/a.x.d");
}

TEST_F(RealClang, ImpliedObjectAndAssembler) {
  expect_same_deps({"-MD", "-c", "src/a.c"}, "a.d");
  expect_same_deps({"-MD", "-S", "src/a.c", "-o", "build/a.s"}, "build/a.d");
  expect_same_deps({"-MD", "-S", "src/a.c"}, "a.d");
}

TEST_F(RealClang, GivenMFAndTargets) {
  expect_same_deps({"-MD", "-MF", "build/dep.d", "-c", "src/a.c", "-o", "build/a.o"},
                   "build/dep.d");
  expect_same_deps({"-MMD", "-MT", "tgt", "-MP", "-c", "src/a.c", "-o", "build/a.o"},
                   "build/a.d");
  expect_same_deps({"-MD", "-MQ", "q$ t", "-c", "src/a.c", "-o", "build/a.o"}, "build/a.d");
  expect_same_deps({"-MD", "-c", "src/a.c", "-o", "build/a$ b.o"}, "build/a$ b.d");
}

// clang's driver turns -Wp,-MD,FILE into -MD -MF FILE (target: the -o value);
// gcc would give cc1 the raw option (target: the input's base name).
TEST_F(RealClang, KernelStyleWp) {
  expect_same_deps({"-Wp,-MD,build/.a.o.d", "-c", "src/a.c", "-o", "build/a.o"},
                   "build/.a.o.d");
  expect_same_deps({"-Wp,-MMD,build/k.d", "-c", "src/a.c"}, "build/k.d");
}

// With more items than -MD,FILE (the kernel's -Wp,-MD,FILE,-MP) clang 14's
// driver makes it a bare -MD: the default .d beside the object, no -MP.
TEST_F(RealClang, KernelStyleWpWithMoreItemsIsABareMD) {
  expect_same_deps({"-Wp,-MD,build/.a.o.d,-MP", "-c", "src/a.c", "-o", "build/a.o"},
                   "build/a.d");
  expect_same_deps({"-Wp,-MMD,build/k.d,-MP", "-c", "src/a.c"}, "a.d");
}

TEST_F(RealClang, IncludeTargetAndCxx) {
  expect_same_deps({"-Iinc", "-include", "pre.h", "-MD", "-c", "src/a.c", "-o", "build/a.o"},
                   "build/a.d");
  expect_same_deps({"--target=x86_64-linux-gnu", "-MD", "-c", "src/a.c", "-o", "build/a.o"},
                   "build/a.d");
  expect_same_deps({"-MD", "-c", "src/a.c", "-o", "build/a.o"}, "build/a.d", nullptr,
                   "clang++-14");
}

TEST_F(RealClang, ColourForcedMatchesALocalCompile) {
  Outcome o = compile_both({"-fcolor-diagnostics", "-Wshift-overflow", "-c", "src/a.c", "-o",
                            "build/a.o"});
  ASSERT_TRUE(o.plan.distributed());
  EXPECT_NE(o.local_err.find("\x1b["), std::string::npos) << o.local_err;
  EXPECT_NE(o.dist_err.find("\x1b["), std::string::npos) << o.dist_err;
  expect_same_file(o.local_dir + "/build/a.o", o.remote_dir + "/build/a.o");
}

// -frewrite-includes: macros expand on the volunteer, so a warning inside a
// macro carries its "expanded from macro" note as locally. (Source excerpts
// need the source, which a volunteer lacks: compared without them.)
TEST_F(RealClang, RewriteIncludesDiagnosticsMatchALocalCompile) {
  Outcome o = compile_both({"-fno-caret-diagnostics", "-DY=2", "-c", "src/a.c", "-o",
                            "build/a.o"},
                           "rewrite-includes");
  ASSERT_TRUE(o.plan.distributed());
  ASSERT_NE(o.local_err.find("expanded from macro 'SHIFT'"), std::string::npos) << o.local_err;
  EXPECT_EQ(o.local_err, o.dist_err);
}

}  // namespace
}  // namespace ferry::clang::test
