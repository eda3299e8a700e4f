// Which compiler names the clang plugin claims (must agree with clang.plugin).
#pragma once

#include <array>

namespace ferry::clang {

// clang-14, clang++-14, x86_64-linux-gnu-clang-14, aarch64-linux-gnu-clang++.
// The version must start with a digit so that clang-format, clang-tidy and
// clang-cpp stay unclaimed.
inline constexpr std::array<const char*, 8> k_claims = {
    "clang",    "clang++",    "clang-[0-9]*",    "clang++-[0-9]*",
    "*-clang",  "*-clang++",  "*-clang-[0-9]*",  "*-clang++-[0-9]*",
};

}  // namespace ferry::clang
