// The compiler names the suncc plugin claims by name (see suncc.plugin).
#pragma once

#include <span>

namespace ferry::suncc {

std::span<const char* const> claim_globs();
bool claims_compiler(const char* compiler_basename);

}  // namespace ferry::suncc
