#include "claims.h"

#include "abi.h"
#include "gcc-family/abi.h"

namespace ferry::gcc {

std::span<const char* const> claim_globs() { return k_claims; }

bool claims_compiler(const char* compiler_basename) {
  return plugin_table()->claims(compiler_basename) != 0;
}

}  // namespace ferry::gcc
