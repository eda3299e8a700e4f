// Which compiler names the gcc plugin claims (must agree with gcc.plugin).
#pragma once

#include <array>
#include <span>

namespace ferry::gcc {

// gcc-12, x86_64-linux-gnu-g++-12, i686-linux-gcc-3.2. The version must start
// with a digit so that gcc-ar, gcc-nm and gcc-ranlib stay unclaimed.
inline constexpr std::array<const char*, 10> k_claims = {
    "gcc",   "g++",   "cc",          "c++",         "gcc-[0-9]*",
    "g++-[0-9]*", "*-gcc", "*-g++", "*-gcc-[0-9]*", "*-g++-[0-9]*",
};

/// The manifest's claim globs, in the manifest's order.
std::span<const char* const> claim_globs();

/// True when a compiler basename matches one of claim_globs(), as the core
/// matches the manifest (fnmatch without flags).
bool claims_compiler(const char* compiler_basename);

}  // namespace ferry::gcc
