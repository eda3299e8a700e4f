// Compiler names: claims() must agree with the suncc.plugin manifest, and
// must not take the ambiguous `cc`/`CC` by name.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "claims.h"

namespace ferry::suncc {
namespace {

std::vector<std::string> manifest_values(const char* keyword) {
  std::ifstream in(FERRY_SUNCC_MANIFEST);
  std::vector<std::string> out;
  std::string line;
  while (std::getline(in, line)) {
    std::istringstream ss(line);
    std::string key;
    std::string value;
    if (ss >> key >> value && key == keyword) {
      out.push_back(value);
    }
  }
  return out;
}

TEST(SunccClaims, ManifestListsExactlyTheCompiledInGlobs) {
  std::vector<std::string> compiled(claim_globs().begin(), claim_globs().end());
  EXPECT_EQ(manifest_values("claim"), compiled);
}

TEST(SunccClaims, ManifestTeachesTheProbeSunsMacros) {
  EXPECT_EQ(manifest_values("identify"),
            (std::vector<std::string>{"__SUNPRO_C", "__SUNPRO_CC"}));
}

TEST(SunccClaims, ClaimsOnlyTheUnambiguousNames) {
  EXPECT_TRUE(claims_compiler("suncc"));
  EXPECT_TRUE(claims_compiler("sunCC"));
  for (const char* name : {"cc", "CC", "gcc", "c++", "clang", "suncc-12", "", "xsuncc"}) {
    EXPECT_FALSE(claims_compiler(name)) << name;
  }
  EXPECT_FALSE(claims_compiler(nullptr));
}

}  // namespace
}  // namespace ferry::suncc
