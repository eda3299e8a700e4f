// The icc plugin's plans against the stand-in icc (tests/fixtures/icc: gcc
// underneath, Intel's documented command line on top): dependency files and
// objects byte for byte as a local run of the same stand-in writes them.
#include <gtest/gtest.h>

#include <cstdlib>

#include "gcc-family/real_compiler.h"
#include "icc_test_util.h"

namespace ferry::icc::test {
namespace {

class RealIcc : public plugin_test::RealCompiler {
 protected:
  RealIcc() : RealCompiler(plugin_table(), "icc") {
    // The stand-in first on PATH, for the local, preprocessor and remote runs.
    const char* path = std::getenv("PATH");
    std::string p = std::string(FERRY_ICC_STAND_IN_DIR) + ":" + (path != nullptr ? path : "");
    ::setenv("PATH", p.c_str(), 1);
  }
};

TEST_F(RealIcc, DependenciesAndObjectsWithCpuAndDiagnosticOptions) {
  expect_same_deps({"-xCORE-AVX2", "-wd1478", "-diag-disable=10441", "-MD", "-c", "src/a.c",
                    "-o", "build/a.o"},
                   "build/a.d");
  expect_same_deps({"-MMD", "-MP", "-c", "src/a.c"}, "a.d");
  expect_same_deps({"-MD", "-c", "src/a.c", "-o", "build/a.o"}, "build/a.d", nullptr, "icpc");
}

}  // namespace
}  // namespace ferry::icc::test
