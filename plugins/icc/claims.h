// Which compiler names the icc plugin claims (must agree with icc.plugin).
#pragma once

#include <array>

namespace ferry::icc {

// Intel's Classic (icc, icpc) and LLVM-based (icx, icpx) drivers.
inline constexpr std::array<const char*, 4> k_claims = {"icc", "icpc", "icx", "icpx"};

}  // namespace ferry::icc
