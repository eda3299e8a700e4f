#include "claims.h"

#include <array>

#include "ferry/sdk/abi.h"

namespace ferry::suncc {
namespace {

// Only the unambiguous names: `cc` and `CC` reach this plugin through
// identification (a site mapping or the __SUNPRO_C probe), never by name,
// and the core then does not ask claims() about them.
constexpr std::array<const char*, 2> k_claims = {"suncc", "sunCC"};

}  // namespace

std::span<const char* const> claim_globs() { return k_claims; }

bool claims_compiler(const char* compiler_basename) {
  return sdk::claims_any(k_claims, compiler_basename);
}

}  // namespace ferry::suncc
