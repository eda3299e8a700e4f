// Which compiler is this? A probe of its predefined macros.
//
// Names like `cc`, `c++` or a site's own wrapper say nothing about the
// compiler behind them, so ferry asks the compiler itself: it preprocesses a
// small generated file whose #if blocks print which identifying macros are
// defined, the version and the target. Only `-E` on a .c file is used, which
// every C compiler (Sun's included) understands, with output on stdout.
//
// The order of the tests matters because compilers imitate each other: icc
// defines __GNUC__, icx defines __clang__ and __GNUC__, clang defines
// __GNUC__. So the specific macros come first (__INTEL_LLVM_COMPILER,
// __INTEL_COMPILER, __SUNPRO_C, __SUNPRO_CC), then the `identify` lines of
// the installed manifests (an out-of-tree plugin teaches the probe its own
// compiler, e.g. __TINYC__), and the imitated ones last: __clang__, then
// __GNUC__.
#pragma once

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

#include <llvm/Support/Error.h>

#include "plugin/loader.h"

namespace ferry::identify {

struct ProbeRule {
  std::string macro;   ///< "__SUNPRO_C"
  std::string plugin;  ///< "suncc"
};

/// What the probe found. `plugin` is empty when no rule matched (an
/// unknown compiler); that answer is cached too.
struct Identity {
  std::string plugin;   ///< "gcc", "suncc", ...
  std::string macro;    ///< the macro that decided it
  std::string version;  ///< __VERSION__ if defined, else the macro's value
  std::string triple;   ///< from the target macros: "x86_64-linux-gnu"
};

/// The identity as one line, for ferry's host identity check (the FIDN
/// packet, docs/protocol.md): "gcc x86_64-linux-gnu 12.2.0". Two compilers
/// are taken for the same when these lines are equal. "" for a compiler no
/// rule recognised: it has no identity to match.
std::string identity_text(const Identity& id);

/// The rules in the order they are tried (see the comment above).
std::vector<ProbeRule> probe_rules(const std::vector<plugin::Manifest>& manifests);

/// The C file the compiler preprocesses.
std::string probe_source(const std::vector<ProbeRule>& rules);

/// Reads the preprocessed probe (line markers and blank lines ignored).
Identity parse_probe_output(std::string_view text, const std::vector<ProbeRule>& rules);

/// How long the probe may take. A compiler that hangs on `-E` (a wrapper
/// waiting for a licence server, a stuck NFS mount) must not hang ferry,
/// which starts once per compile. gcc answers in ~10 ms; 10 s leaves room for
/// a shell wrapper on a machine loaded far beyond its cores (seen: >5 s).
inline constexpr std::chrono::milliseconds k_probe_timeout{10000};

/// Runs `compiler -E probe.c` in a private temporary directory, in its own
/// process group. CompilerMissing when it cannot run or exits nonzero;
/// Timeout when it has not finished within `timeout`: the whole process
/// group is then killed (SIGKILL) and reaped.
llvm::Expected<Identity> run_probe(const std::string& compiler_path,
                                   const std::vector<ProbeRule>& rules,
                                   std::chrono::milliseconds timeout = k_probe_timeout);

}  // namespace ferry::identify
