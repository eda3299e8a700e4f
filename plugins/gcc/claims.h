// Which compiler names the gcc plugin claims (must agree with gcc.plugin).
#pragma once

#include <span>

namespace ferry::gcc {

/// The manifest's claim globs, in the manifest's order.
std::span<const char* const> claim_globs();

/// True when a compiler basename matches one of claim_globs(), as the core
/// matches the manifest (fnmatch without flags).
bool claims_compiler(const char* compiler_basename);

}  // namespace ferry::gcc
