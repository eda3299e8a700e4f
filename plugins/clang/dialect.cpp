// The clang plugin: clang 14 as a member of the gcc family.
//
// clang's driver takes gcc's options, so the shared library does the work
// (plugins/gcc-family/). What is clang's own:
//
// Preprocessing. clang has no -fdirectives-only. The default strategy,
// "plain", is distcc's: `clang -E` here, the .i compiled there. Measured
// with clang 14.0.6: without -g the object is byte-identical to a local
// compile (the ELF file symbol and DW_AT_name come from the line markers);
// with -g only the line table differs (a local compile records the source's
// MD5), and DW_AT_comp_dir would name the volunteer's job directory, so the
// remote gets -fdebug-compilation-dir=<the client's cwd> unless the user set
// a compilation directory. The price of plain -E is that clang sees
// macro-expanded text: warnings it suppresses inside macro expansions
// (-Wparentheses-equality, -Wtautological-*, ...) can fire remotely.
// "rewrite-includes" (FERRY_STRATEGY=rewrite-includes) runs `clang -E
// -frewrite-includes`: #include and __has_include are resolved here, macros
// and #if are left for the volunteer, which compiles the text with `-x
// <language>` and the command line's -D/-U, so diagnostics are those of a
// local compile. Its objects differ from a local compile in one place: the
// ELF file symbol names the volunteer's input file (clang takes it from the
// main file's name, not the line markers).
//
// Dependencies. As gcc, with one difference: clang's driver rewrites
// `-Wp,-MD,FILE` to `-MD -MF FILE`, so the target is the -o value, not the
// input's base name, and `-Wp,-MD,FILE,-MP` (more items than two) to a bare
// -MD: FILE and -MP are dropped, the .d file gets the default name beside
// the object (Dialect::wp_md_is_driver_md; gcc gives cc1 all of it).
//
// Kept for the remote: -target/--target= (to both sides: it selects the
// predefined macros as well as the code), -fcolor-diagnostics and
// -fdiagnostics-color (to both: the remote's stderr comes back as is).
//
// Kept local, with a reason: -Xclang, -Xanalyzer and -mllvm (raw frontend
// and LLVM options that ferry cannot vet: `-Xclang -load`), clang modules
// (-fmodules, -fcxx-modules, -fmodules-*, -fmodule-*: a module cache and
// module maps on this host), -include-pch, sanitizer ignore lists,
// -working-directory, and the extra outputs -serialize-diagnostics, -MJ,
// -ftime-trace, -save-stats and optimisation records.
#include <array>

#include "abi.h"
#include "claims.h"
#include "gcc-family/abi.h"
#include "gcc-family/dialect.h"
#include "options.h"

namespace ferry::clang {
namespace {

using gcc_family::Local;
using gcc_family::ParsedArg;
using gcc_family::RemoteContext;
using gcc_family::Strategy;

constexpr std::array<const char*, 1> k_rewrite_cpp = {"-frewrite-includes"};
constexpr std::array<Strategy, 2> k_strategies = {{
    {.name = "plain", .cpp_args = {}, .remote_args = {}},
    {.name = "rewrite-includes",
     .cpp_args = k_rewrite_cpp,
     .remote_args = {},
     .remote_names_language = true,
     .macros_remote = true},
}};

// Why an option of clang's own keeps a job local; `reason` is what the
// client counts, the daemon refuses the same options as unsafe.
std::optional<Local> own_reason(const ParsedArg& a, const std::string& text, ferry_reason reason) {
  switch (a.own_id) {
    case OWN_Xclang:
    case OWN_Xanalyzer:
      return Local{reason,
                   text + ": passes an option straight to clang's frontend, which ferry cannot vet"};
    case OWN_mllvm:
      return Local{reason, text + ": passes an option straight to LLVM, which ferry cannot vet"};
    case OWN_fmodules:
    case OWN_fcxx_modules:
    case OWN_fmodules_:
    case OWN_fimplicit_module_maps:
    case OWN_fbuiltin_module_map:
    case OWN_fprebuilt_module_path:
      return Local{reason, text + ": clang modules use a module cache and module maps on this host"};
    default:
      return std::nullopt;
  }
}

std::optional<Local> arg_reason(const ParsedArg& a, const std::string& text) {
  return own_reason(a, text, FERRY_REASON_UNSUPPORTED);
}

std::optional<Local> server_refusal(const ParsedArg& a, const std::string& text) {
  if (a.own_id == OWN_ivfsoverlay) {
    return Local{FERRY_REASON_UNSAFE_OPTION, text + ": would read a file of this host"};
  }
  return own_reason(a, text, FERRY_REASON_UNSAFE_OPTION);
}

void add_remote_args(std::vector<std::string>& remote, const RemoteContext& c) {
  for (const ParsedArg& a : c.parsed.args) {
    if (a.own_id == OWN_fdebug_compilation_dir_EQ || a.own_id == OWN_fdebug_compilation_dir ||
        a.own_id == OWN_ffile_compilation_dir_EQ) {
      return;  // the user's choice stands
    }
  }
  if (!c.cwd.empty()) {
    remote.push_back("-fdebug-compilation-dir=" + c.cwd);
  }
}

constexpr gcc_family::Dialect k_dialect{
    .name = "clang",
    .description = "LLVM clang/clang++: plain -E (identical objects) or -frewrite-includes",
    .claims = k_claims,
    .table = option_table,
    .strategies = k_strategies,
    .wp_md_is_driver_md = true,
    .arg_reason = arg_reason,
    .add_remote_args = add_remote_args,
    .server_refusal = server_refusal,
};

}  // namespace

const ferry_plugin* plugin_table() { return gcc_family::plugin_table<k_dialect>(); }

}  // namespace ferry::clang
