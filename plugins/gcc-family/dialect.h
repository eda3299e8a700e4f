// What makes one compiler of the gcc family different from the others.
//
// gcc, clang and icc share the planner, the daemon check and the C ABI of
// this library; each plugin describes itself with one constant Dialect: its
// option table, claimed names, preprocessing strategies and a few hooks for
// the rules only it has (clang's -Xclang, icc's -xHost, ...). A hook left
// null means "as gcc does". A Dialect is a constant aggregate: defining one
// runs no code when the plugin is loaded.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "ferry/plugin.h"
#include "ferry/sdk/verdicts.h"
#include "options.h"

namespace ferry::gcc_family {

/// Why a job stays local (client) or is refused (daemon): the SDK's.
using Local = sdk::Local;

/// One way of preprocessing locally and compiling remotely.
struct Strategy {
  const char* name;
  /// Added to the local preprocessor after -E.
  std::span<const char* const> cpp_args;
  /// Appended to the remote compile's arguments.
  std::span<const char* const> remote_args;
  /// The preprocessed text still has its macros (clang -frewrite-includes):
  /// the remote argv starts with `-x <language>` so that the volunteer
  /// preprocesses it as source instead of taking it as cpp output.
  bool remote_names_language = false;
  /// gcc -fdirectives-only: gcc refuses it with -traditional and
  /// -Wunused-macros, which then get plain -E (no cpp_args/remote_args).
  bool directives_only = false;
  /// The volunteer expands macros and evaluates #if itself, so it needs the
  /// command line's macro options (-D, -U, -undef, -A) too (clang
  /// -frewrite-includes keeps the -include'd text but not -D).
  bool macros_remote = false;
};

/// What add_remote_args may look at.
struct RemoteContext {
  const std::string& cwd;
  const ParsedArgs& parsed;
  const std::vector<std::string>& argv;  ///< the analysed arguments
};

struct Dialect {
  const char* name;         ///< "gcc": the plugin name, used in messages
  const char* description;  ///< ferry_plugin.description
  std::span<const char* const> claims;  ///< fnmatch globs, as in the manifest
  const OptionTable& (*table)();
  std::span<const Strategy> strategies;  ///< [0] is the default
  /// clang's driver rewrites `-Wp,-MD,FILE` (and -MMD) to `-MD -MF FILE`,
  /// so the target is the -o value as for -MD, and `-Wp,-MD,FILE,-MP` (any
  /// other count of items) to a bare -MD; gcc hands them to cc1 as they are.
  bool wp_md_is_driver_md = false;

  /// Rewrites parsed arguments before anything looks at them (icc: `-xAVX`
  /// is a code-generation flag, not `-x AVX`).
  void (*refine)(ParsedArgs& parsed) = nullptr;
  /// Where an argument goes, when the family rule is not right for it.
  std::optional<uint8_t> (*arg_tags)(const ParsedArg& a) = nullptr;
  /// Why an argument keeps the job local, checked before the family rules.
  std::optional<Local> (*arg_reason)(const ParsedArg& a, const std::string& text) = nullptr;
  /// True when the driver compiles C sources as C++ (default: a "++" in the
  /// name, as g++ and clang++).
  bool (*cxx_driver)(std::string_view compiler_base) = nullptr;
  /// Adds to the remote argv (clang: -fdebug-compilation-dir=CWD).
  void (*add_remote_args)(std::vector<std::string>& remote, const RemoteContext& c) = nullptr;
  /// Why the daemon refuses an argument, checked before the family rules.
  std::optional<Local> (*server_refusal)(const ParsedArg& a, const std::string& text) = nullptr;
};

}  // namespace ferry::gcc_family
