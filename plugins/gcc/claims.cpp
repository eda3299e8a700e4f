#include "claims.h"

#include <fnmatch.h>

#include <array>

namespace ferry::gcc {
namespace {

// gcc-12, x86_64-linux-gnu-g++-12, i686-linux-gcc-3.2. The version must start
// with a digit so that gcc-ar, gcc-nm and gcc-ranlib stay unclaimed.
constexpr std::array<const char*, 10> k_claims = {
    "gcc",   "g++",   "cc",          "c++",         "gcc-[0-9]*",
    "g++-[0-9]*", "*-gcc", "*-g++", "*-gcc-[0-9]*", "*-g++-[0-9]*",
};

}  // namespace

std::span<const char* const> claim_globs() { return k_claims; }

bool claims_compiler(const char* compiler_basename) {
  if (compiler_basename == nullptr) {
    return false;
  }
  for (const char* glob : k_claims) {
    if (::fnmatch(glob, compiler_basename, 0) == 0) {
      return true;
    }
  }
  return false;
}

}  // namespace ferry::gcc
