// Choosing the plugin for a compiler: by the site's mapping, by probing an
// ambiguous name, or by the manifests' name globs.
//
//   1. The site mapping (FERRY_COMPILER_MAP=cc=suncc, or the configuration's
//      [compilers] table) names the plugin outright.
//   2. An ambiguous name — a generic driver name (cc, c++, CC, c89, c99) or
//      a name no manifest claims (a site's wrapper) — is probed once
//      (probe.h) and the answer cached (identity_cache.h). If the probe
//      names an installed plugin, that plugin is used.
//   3. Otherwise the first manifest whose `claim` glob matches the basename.
//
// A plugin chosen by mapping or probe is not asked claims() about the name:
// Sun's plugin does not claim `cc` by name, yet handles it when the site
// says that `cc` is Sun's.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <llvm/Support/Error.h>

#include "identify/compiler_map.h"
#include "identify/identity_cache.h"
#include "identify/probe.h"
#include "plugin/loader.h"

namespace ferry::identify {

struct IdentifyOptions {
  CompilerMap map;
  std::string map_origin = k_compiler_map_env;  ///< for messages
  std::string cache_dir;  ///< empty: probe answers are not cached
  std::string path;       ///< PATH, to find a bare compiler name
  std::string self_exe;   ///< ferry itself, never taken for the compiler
};

/// FERRY_COMPILER_MAP, default_cache_dir(), PATH and /proc/self/exe.
/// BadArguments when FERRY_COMPILER_MAP does not parse.
llvm::Expected<IdentifyOptions> options_from_env();

enum class ChosenBy { Name, Mapping, Probe };
const char* chosen_by_name(ChosenBy by);  ///< "name", "mapping", "probe"

struct Choice {
  const plugin::Manifest* manifest = nullptr;
  ChosenBy by = ChosenBy::Name;
  /// The compiler's identity when it was probed (or read from the cache):
  /// target triple and version, for a host-compatibility check.
  std::optional<Identity> identity;
};

/// True for the generic names and for names no manifest claims.
bool is_ambiguous(const std::vector<plugin::Manifest>& manifests,
                  const std::string& compiler_basename);

/// The compiler as the core will run it (a bare name looked up on PATH,
/// skipping ferry itself, or a path), with its cache key. nullopt if it
/// cannot be found.
std::optional<FileKey> locate_compiler(const std::string& compiler, const IdentifyOptions& o);

/// The identity of a compiler: from the cache, else by probing (and then
/// cached). `rules` from probe_rules().
llvm::Expected<Identity> identify_compiler(const FileKey& key, const std::vector<ProbeRule>& rules,
                                           const IdentifyOptions& o);

/// The identity of the compiler at an absolute path (ferryd's own compiler
/// for a request's identity check), probed or from the cache in cache_dir
/// ("" = no cache).
llvm::Expected<Identity> identify_path(const std::string& path,
                                       const std::vector<ProbeRule>& rules,
                                       const std::string& cache_dir);

/// Steps 1-3 above. CompilerMissing when nothing fits (naming the
/// searched directories) or the mapping names a plugin that is not
/// installed.
llvm::Expected<Choice> choose(const std::vector<plugin::Manifest>& manifests,
                              const std::string& compiler, const std::string& compiler_basename,
                              const IdentifyOptions& o);

/// scan + choose + load: what the client calls instead of
/// plugin::load_for_compiler.
llvm::Expected<std::unique_ptr<plugin::LoadedPlugin>> load_for_compiler(
    const std::vector<std::string>& dirs, const std::string& compiler,
    const std::string& compiler_basename, const IdentifyOptions& o);

}  // namespace ferry::identify
