// Compiler names: claims() must agree with the gcc.plugin manifest.
#include <fnmatch.h>
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "abi.h"
#include "claims.h"

namespace ferry::gcc {
namespace {

const char* const k_claimed[] = {
    "gcc",          "g++",           "cc",
    "c++",          "gcc-12",        "g++-12",
    "gcc-3.2",      "x86_64-linux-gnu-gcc", "x86_64-linux-gnu-g++",
    "x86_64-linux-gnu-gcc-12",       "x86_64-linux-gnu-g++-12", "i686-linux-gcc-3.2",
    "arm-none-eabi-gcc",             "aarch64-linux-gnu-g++-13"};

const char* const k_not_claimed[] = {
    "clang",  "clang++",    "clang-14", "icc",  "icpc",   "suncc", "ld",
    "sh",     "gcc-ar",     "gcc-nm",   "gcc-ranlib", "gcc-ar-12", "x86_64-linux-gnu-gcc-ar",
    "x86_64-linux-gnu-gcc-ar-12", "x86_64-linux-gnu-gcc-nm-12", "cpp", "gccgo", "gcov",
    "gcc-", "distcc", "ferry", "", "c++filt", "x86_64-linux-gnu-cpp-12"};

// The claim globs as the core's loader reads them from the manifest.
std::vector<std::string> manifest_claims() {
  std::ifstream in(FERRY_GCC_MANIFEST);
  std::vector<std::string> out;
  std::string line;
  while (std::getline(in, line)) {
    std::istringstream ss(line);
    std::string key;
    std::string value;
    if (ss >> key >> value && key == "claim") {
      out.push_back(value);
    }
  }
  return out;
}

bool manifest_matches(const std::vector<std::string>& globs, const char* name) {
  for (const auto& g : globs) {
    if (::fnmatch(g.c_str(), name, 0) == 0) {
      return true;
    }
  }
  return false;
}

TEST(GccClaims, ClaimsGccNames) {
  const ferry_plugin* t = plugin_table();
  for (const char* name : k_claimed) {
    EXPECT_EQ(t->claims(name), 1) << name;
  }
}

TEST(GccClaims, LeavesOtherNames) {
  const ferry_plugin* t = plugin_table();
  for (const char* name : k_not_claimed) {
    EXPECT_EQ(t->claims(name), 0) << name;
  }
  EXPECT_EQ(t->claims(nullptr), 0);
}

TEST(GccClaims, ManifestAgrees) {
  std::vector<std::string> globs = manifest_claims();
  ASSERT_FALSE(globs.empty()) << FERRY_GCC_MANIFEST;
  std::vector<std::string> table(claim_globs().begin(), claim_globs().end());
  EXPECT_EQ(globs, table);
  for (const char* name : k_claimed) {
    EXPECT_TRUE(manifest_matches(globs, name)) << name;
  }
  for (const char* name : k_not_claimed) {
    EXPECT_FALSE(manifest_matches(globs, name)) << name;
  }
}

TEST(GccClaims, PluginTable) {
  const ferry_plugin* t = plugin_table();
  EXPECT_EQ(t->abi_version, FERRY_PLUGIN_ABI_VERSION);
  EXPECT_EQ(t->struct_size, sizeof(ferry_plugin));
  EXPECT_STREQ(t->name, "gcc");
  EXPECT_NE(t->description, nullptr);
  EXPECT_NE(t->plan, nullptr);
  EXPECT_NE(t->free_plan, nullptr);
  EXPECT_NE(t->server_check, nullptr);
  EXPECT_NE(t->free_server_job, nullptr);
}

}  // namespace
}  // namespace ferry::gcc
