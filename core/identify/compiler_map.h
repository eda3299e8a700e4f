// A per-site mapping from a compiler's name to the plugin that handles it
// ("cc means Sun CC here"). The environment layer is FERRY_COMPILER_MAP;
// the configuration's [compilers] table is merged on top by core/config.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>

#include <llvm/Support/Error.h>

namespace ferry::identify {

class CompilerMap {
 public:
  /// Adds or replaces one entry (a later layer overrides an earlier one).
  void set(std::string compiler_basename, std::string plugin_name);
  /// The plugin for a compiler's basename, if the site mapped it.
  std::optional<std::string> lookup(const std::string& compiler_basename) const;
  bool empty() const { return m_entries.empty(); }

 private:
  std::map<std::string, std::string, std::less<>> m_entries;
};

/// "cc=suncc,foo=gcc" (spaces around items allowed; empty text = no
/// entries). BadArguments naming the bad item, e.g. "FERRY_COMPILER_MAP:
/// 'cc' is not NAME=PLUGIN". `origin` prefixes messages.
llvm::Expected<CompilerMap> parse_compiler_map(std::string_view text, const std::string& origin);

/// The name of the environment variable.
inline constexpr const char* k_compiler_map_env = "FERRY_COMPILER_MAP";

}  // namespace ferry::identify
