// The gcc plugin: the gcc family's reference dialect. Everything it does is
// the shared library's (plugins/gcc-family/): the family option table as
// is, the family rules, and two preprocessing strategies.
#include <array>

#include "abi.h"
#include "claims.h"
#include "gcc-family/abi.h"
#include "gcc-family/dialect.h"

namespace ferry::gcc {
namespace {

using gcc_family::Strategy;

// -fdirectives-only: the client runs #include/#if/#define only, macros
// expand on the volunteer, so diagnostics and line tables match a local
// compile (planner.cpp). "plain" is distcc's full -E.
constexpr std::array<const char*, 1> k_directives_cpp = {"-fdirectives-only"};
constexpr std::array<const char*, 2> k_directives_remote = {"-fpreprocessed", "-fdirectives-only"};
constexpr std::array<Strategy, 2> k_strategies = {{
    {"directives-only", k_directives_cpp, k_directives_remote, false, true},
    {"plain", {}, {}, false, false},
}};

constexpr gcc_family::Dialect k_dialect{
    .name = "gcc",
    .description = "GNU gcc/g++ (and cc/c++): distcc-compatible, -fdirectives-only preprocessing",
    .claims = k_claims,
    .table = gcc_family::family_table,
    .strategies = k_strategies,
};

}  // namespace

const ferry_plugin* plugin_table() { return gcc_family::plugin_table<k_dialect>(); }

}  // namespace ferry::gcc
