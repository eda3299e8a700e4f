// argv in, plan out, and the daemon's check: the icc plugin's own rules.
#include <dlfcn.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>

#include "claims.h"
#include "icc_test_util.h"

namespace ferry::icc::test {
namespace {

constexpr uint8_t k_cpp = FERRY_ARG_CPP;
constexpr uint8_t k_remote = FERRY_ARG_REMOTE;
constexpr uint8_t k_both = FERRY_ARG_CPP | FERRY_ARG_REMOTE;

bool has(const Args& v, const std::string& s) { return std::find(v.begin(), v.end(), s) != v.end(); }

void expect_local(const Args& args, ferry_reason reason, const std::string& text_part,
                  const std::string& compiler = "icc") {
  PlanOut p = plan(args, compiler);
  ASSERT_TRUE(p.ok);
  EXPECT_FALSE(p.distribute) << testing::PrintToString(args);
  EXPECT_EQ(p.reason, reason) << testing::PrintToString(args) << ": " << p.reason_text;
  EXPECT_NE(p.reason_text.find(text_part), std::string::npos) << p.reason_text;
}

TEST(IccClaims, ManifestAndModuleAgree) {
  std::ifstream in(FERRY_ICC_MANIFEST);
  ASSERT_TRUE(in);
  std::vector<std::string> globs;
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("claim ", 0) == 0) {
      globs.push_back(line.substr(6));
    }
  }
  EXPECT_EQ(globs, (std::vector<std::string>(k_claims.begin(), k_claims.end())));
  for (const char* name : {"icc", "icpc", "icx", "icpx"}) {
    EXPECT_EQ(plugin_table()->claims(name), 1) << name;
  }
  for (const char* name : {"gcc", "clang", "icc-wrapper", "xicc"}) {
    EXPECT_EQ(plugin_table()->claims(name), 0) << name;
  }
  std::string path = std::string(FERRY_BUILD_PLUGIN_DIR) + "/icc.so";
  void* h = ::dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
  ASSERT_NE(h, nullptr) << ::dlerror();
  auto entry = reinterpret_cast<ferry_plugin_entry_fn>(::dlsym(h, FERRY_PLUGIN_ENTRY_NAME));
  ASSERT_NE(entry, nullptr);
  EXPECT_STREQ(entry()->name, "icc");
  ::dlclose(h);
}

TEST(IccPlan, CpuSelectionIsCodeGenerationNotALanguage) {
  for (const char* x : {"-xCORE-AVX2", "-xSSE4.2", "-xAVX"}) {
    PlanOut p = plan({x, "-O2", "-c", "src/a.c", "-o", "a.o"});
    ASSERT_TRUE(p.distributed()) << x << ": " << p.reason_text;
    EXPECT_EQ(p.language, "c") << x;
    EXPECT_EQ(p.tag_of(x), k_both) << x;
    EXPECT_TRUE(has(p.cpp_argv, x));
    EXPECT_TRUE(has(p.remote_argv, x));
  }
  // The language option is still one: -x c++ and -xc++.
  PlanOut sep = plan({"-x", "c++", "-c", "a.c"});
  ASSERT_TRUE(sep.distributed());
  EXPECT_EQ(sep.language, "c++");
  EXPECT_EQ(sep.tag_of("-x"), k_cpp);
  PlanOut joined = plan({"-xc++", "-c", "a.c"});
  ASSERT_TRUE(joined.distributed());
  EXPECT_EQ(joined.language, "c++");
  expect_local({"-x", "assembler", "-c", "a.c"}, FERRY_REASON_LANGUAGE, "-x assembler");
}

TEST(IccPlan, HostCpuStaysLocal) {
  expect_local({"-xHost", "-c", "a.c"}, FERRY_REASON_HOST_SPECIFIC,
               "-xHost: code for this host's CPU");
  expect_local({"-fast", "-c", "a.c"}, FERRY_REASON_HOST_SPECIFIC, "-fast");
  expect_local({"-march=native", "-c", "a.c"}, FERRY_REASON_HOST_SPECIFIC, "-march=native");
}

TEST(IccPlan, InterproceduralAndProfileOptimisationStayLocal) {
  expect_local({"-ipo", "-c", "a.c"}, FERRY_REASON_UNSUPPORTED,
               "-ipo: code generation happens at link time");
  expect_local({"-ipo-c", "-c", "a.c"}, FERRY_REASON_UNSUPPORTED, "-ipo-c");
  expect_local({"-prof-gen", "-c", "a.c"}, FERRY_REASON_PROFILING, "-prof-gen");
  expect_local({"-prof-use", "-c", "a.c"}, FERRY_REASON_PROFILING, "-prof-use");
  expect_local({"-prof-dir", "/tmp/prof", "-c", "a.c"}, FERRY_REASON_PROFILING,
               "-prof-dir /tmp/prof");
  expect_local({"-prof-dir=/tmp/prof", "-c", "a.c"}, FERRY_REASON_PROFILING, "-prof-dir=");
  // -prof-dir's value is consumed, not a second input.
  EXPECT_NE(plan({"-prof-dir", "b.c", "-c", "a.c"}).reason, FERRY_REASON_MULTIPLE_INPUTS);
}

TEST(IccPlan, NumberedDiagnosticsGoToTheRemote) {
  PlanOut p = plan({"-diag-disable=10441", "-diag-enable=remark", "-wd1478", "-we177", "-ww593",
                    "-c", "a.c"});
  ASSERT_TRUE(p.distributed()) << p.reason_text;
  for (const char* d : {"-diag-disable=10441", "-diag-enable=remark", "-wd1478", "-we177",
                        "-ww593"}) {
    EXPECT_EQ(p.tag_of(d), k_remote) << d;
    EXPECT_TRUE(has(p.remote_argv, d)) << d;
    EXPECT_FALSE(has(p.cpp_argv, d)) << d;
  }
  expect_local({"-diag-file=d.diag", "-c", "a.c"}, FERRY_REASON_EXTRA_OUTPUT, "-diag-file");
  expect_local({"-diag-dump", "-c", "a.c"}, FERRY_REASON_NOT_COMPILE, "-diag-dump");
}

TEST(IccPlan, ToolChainOptionsStayLocal) {
  expect_local({"-gcc-name=/opt/gcc/bin/gcc", "-c", "a.c"}, FERRY_REASON_UNSAFE_OPTION,
               "-gcc-name");
  expect_local({"-Qoption,cpp,--foo", "-c", "a.c"}, FERRY_REASON_UNSAFE_OPTION, "-Qoption");
  expect_local({"-pch-use", "pch", "-c", "a.c"}, FERRY_REASON_UNSUPPORTED, "-pch-use");
}

TEST(IccPlan, CxxDriversCompileCAsCxx) {
  for (const char* driver : {"icpc", "icpx"}) {
    PlanOut p = plan({"-c", "a.c"}, driver);
    ASSERT_TRUE(p.distributed());
    EXPECT_EQ(p.language, "c++") << driver;
    EXPECT_EQ(p.preprocessed_ext, ".ii") << driver;
  }
  for (const char* driver : {"icc", "icx"}) {
    EXPECT_EQ(plan({"-c", "a.c"}, driver).language, "c") << driver;
  }
}

TEST(IccPlan, DependenciesAsGcc) {
  PlanOut p = plan({"-MD", "-xCORE-AVX2", "-c", "src/a.c", "-o", "build/a.o"});
  ASSERT_TRUE(p.distributed());
  EXPECT_EQ(p.dep_file, "build/a.d");
  EXPECT_EQ(p.cpp_argv, (Args{"icc", "-MD", "-MF", "build/a.d", "-MQ", "build/a.o",
                              "-xCORE-AVX2", "src/a.c", "-E"}));
  EXPECT_EQ(p.remote_argv, (Args{"icc", "-xCORE-AVX2", "-c", "src/a.i", "-o", "build/a.o"}));
  PlanOut bad = plan({"-c", "a.c"}, "icc", "directives-only");
  EXPECT_NE(bad.reason_text.find("(known: plain)"), std::string::npos) << bad.reason_text;
}

TEST(IccServer, AcceptsPlansAndRefusesIntelsLocalOptions) {
  PlanOut p = plan({"-xCORE-AVX2", "-wd1478", "-diag-disable=10441", "-c", "a.c"}, "icpc");
  ASSERT_TRUE(p.distributed());
  JobOut j = check(p.remote_argv);
  EXPECT_TRUE(j.accepted) << j.reason_text;
  for (const Args& argv :
       {Args{"icc", "-xHost", "-c", "a.i", "-o", "a.o"},
        Args{"icc", "-ipo", "-c", "a.i", "-o", "a.o"},
        Args{"icc", "-prof-use", "-prof-dir", "/etc", "-c", "a.i", "-o", "a.o"},
        Args{"icc", "-prof-gen", "-c", "a.i", "-o", "a.o"},
        Args{"icc", "-diag-file=/tmp/x", "-c", "a.i", "-o", "a.o"},
        Args{"icc", "-gcc-name=/bin/sh", "-c", "a.i", "-o", "a.o"}}) {
    JobOut r = check(argv);
    ASSERT_TRUE(r.ok);
    EXPECT_FALSE(r.accepted) << testing::PrintToString(argv);
  }
}

}  // namespace
}  // namespace ferry::icc::test
