// The icc plugin: Intel's compilers as members of the gcc family.
//
// icc and icpc (Classic) and icx and icpx (LLVM-based) take gcc's options
// and write gcc's dependency files (-MD, -MMD, -MF, -MT, -MQ as gcc on
// Linux), so the shared library does the work (plugins/gcc-family/) with
// one preprocessing strategy, "plain" (`icc -E` here, the .i compiled
// there): Intel's compilers have no -fdirectives-only.
//
// What is Intel's own:
//  - `-x` is two options. `-x c++` (or `-xc++`) names a language, but
//    `-xCORE-AVX2`, `-xSSE4.2`, `-xAVX` select the instruction set: an
//    upper-case letter after -x means a CPU (ccache's rule). Those are
//    code-generation flags for both sides (they define __AVX2__ ...).
//  - `-xHost` targets the CPU of the compiling host, as -march=native does,
//    and `-fast` implies it: local (host-specific).
//  - `-ipo` writes IR "mock objects"; code is generated at link time: local.
//  - PGO: -prof-gen, -prof-use, -prof-dir and the other -prof-* read and
//    write profile files on this host: local (profiling).
//  - numbered diagnostics (-diag-disable=..., -diag-enable=..., -wd, -we,
//    -ww) go to the remote compile only; -diag-file writes a file (local).
//  - -gcc-name=, -gxx-name=, -Qoption, -Qlocation change the programs the
//    driver runs (local, unsafe); -pch* precompiled headers (local).
//  - icpc and icpx compile .c files as C++ (the driver, not the extension,
//    picks the language), like g++.
#include <array>

#include "abi.h"
#include "claims.h"
#include "gcc-family/abi.h"
#include "gcc-family/dialect.h"
#include "options.h"

namespace ferry::icc {
namespace {

using gcc_family::Local;
using gcc_family::ParsedArg;
using gcc_family::ParsedArgs;
using gcc_family::Strategy;

constexpr std::array<Strategy, 1> k_strategies = {{
    {.name = "plain", .cpp_args = {}, .remote_args = {}},
}};

// `-xCORE-AVX2` is not `-x CORE-AVX2`: a joined value starting with an
// upper-case letter is a CPU. The option then counts as an unknown flag
// (both sides); a separate `-x Foo` stays the language option.
void refine(ParsedArgs& parsed) {
  for (ParsedArg& a : parsed.args) {
    if (a.id == gcc_family::OPT_x && a.count == 1 && !a.aliased && !a.value().empty() &&
        a.value()[0] >= 'A' && a.value()[0] <= 'Z') {
      a.id = gcc_family::OPT_UNKNOWN;
    }
  }
}

bool cxx_driver(std::string_view base) { return base == "icpc" || base == "icpx"; }

// The daemon refuses what reads or writes profile files (the client keeps
// them local by their group, grp_profiling, which the family's daemon check
// does not refuse as a class).
std::optional<Local> server_refusal(const ParsedArg& a, const std::string& text) {
  if (a.own_id == OWN_prof_dir || a.own_id == OWN_prof_) {
    return Local{FERRY_REASON_UNSAFE_OPTION, text + ": reads or writes profile files"};
  }
  return std::nullopt;
}

constexpr gcc_family::Dialect k_dialect{
    .name = "icc",
    .description = "Intel icc/icpc and icx/icpx: gcc-compatible, -xHost/-ipo/-prof-* local",
    .claims = k_claims,
    .table = option_table,
    .strategies = k_strategies,
    .refine = refine,
    .cxx_driver = cxx_driver,
    .server_refusal = server_refusal,
};

}  // namespace

const ferry_plugin* plugin_table() { return gcc_family::plugin_table<k_dialect>(); }

}  // namespace ferry::icc
