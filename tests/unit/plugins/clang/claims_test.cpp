// The names the clang plugin claims, in its manifest and its module.
#include <dlfcn.h>
#include <fnmatch.h>
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "claims.h"
#include "clang_test_util.h"

namespace ferry::clang::test {
namespace {

TEST(ClangClaims, ManifestListsTheSameGlobs) {
  std::ifstream in(FERRY_CLANG_MANIFEST);
  ASSERT_TRUE(in) << FERRY_CLANG_MANIFEST;
  std::vector<std::string> globs;
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("claim ", 0) == 0) {
      globs.push_back(line.substr(6));
    }
  }
  std::vector<std::string> expected(k_claims.begin(), k_claims.end());
  EXPECT_EQ(globs, expected);
}

TEST(ClangClaims, ClaimsClangNames) {
  const ferry_plugin* t = plugin_table();
  for (const char* name : {"clang", "clang++", "clang-14", "clang++-14",
                           "x86_64-linux-gnu-clang", "x86_64-linux-gnu-clang-14",
                           "aarch64-linux-gnu-clang++-14"}) {
    EXPECT_EQ(t->claims(name), 1) << name;
  }
  for (const char* name : {"gcc", "cc", "clang-format", "clang-tidy", "clang-cpp", "clangd",
                           "icc", "clang-scan-deps-14"}) {
    EXPECT_EQ(t->claims(name), 0) << name;
  }
}

TEST(ClangModule, LoadsAndAnswers) {
  std::string path = std::string(FERRY_BUILD_PLUGIN_DIR) + "/clang.so";
  void* h = ::dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
  ASSERT_NE(h, nullptr) << ::dlerror();
  auto entry = reinterpret_cast<ferry_plugin_entry_fn>(::dlsym(h, FERRY_PLUGIN_ENTRY_NAME));
  ASSERT_NE(entry, nullptr) << ::dlerror();
  const ferry_plugin* t = entry();
  EXPECT_EQ(t->abi_version, FERRY_PLUGIN_ABI_VERSION);
  EXPECT_STREQ(t->name, "clang");
  EXPECT_EQ(t->claims("clang++-14"), 1);
  EXPECT_EQ(t->claims("gcc"), 0);
  ::dlclose(h);
}

}  // namespace
}  // namespace ferry::clang::test
