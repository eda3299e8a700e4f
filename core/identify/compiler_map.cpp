#include "identify/compiler_map.h"

#include "util/error.h"

namespace ferry::identify {
namespace {

std::string_view trim(std::string_view s) {
  size_t b = s.find_first_not_of(" \t");
  if (b == std::string_view::npos) {
    return {};
  }
  return s.substr(b, s.find_last_not_of(" \t") - b + 1);
}

bool valid_name(std::string_view s) {
  return !s.empty() && s.find_first_of(" \t/=,") == std::string_view::npos;
}

}  // namespace

void CompilerMap::set(std::string compiler_basename, std::string plugin_name) {
  m_entries[std::move(compiler_basename)] = std::move(plugin_name);
}

std::optional<std::string> CompilerMap::lookup(const std::string& compiler_basename) const {
  auto it = m_entries.find(compiler_basename);
  if (it == m_entries.end()) {
    return std::nullopt;
  }
  return it->second;
}

llvm::Expected<CompilerMap> parse_compiler_map(std::string_view text, const std::string& origin) {
  CompilerMap map;
  while (!text.empty()) {
    size_t comma = text.find(',');
    std::string_view item = trim(text.substr(0, comma));
    text = comma == std::string_view::npos ? std::string_view() : text.substr(comma + 1);
    if (item.empty()) {
      continue;
    }
    size_t eq = item.find('=');
    std::string_view name = eq == std::string_view::npos ? item : trim(item.substr(0, eq));
    std::string_view plugin = eq == std::string_view::npos ? std::string_view()
                                                           : trim(item.substr(eq + 1));
    if (!valid_name(name) || !valid_name(plugin)) {
      return make_error(ExitCode::BadArguments,
                        origin + ": '" + std::string(item) +
                            "' is not COMPILER=PLUGIN (e.g. cc=suncc)");
    }
    map.set(std::string(name), std::string(plugin));
  }
  return map;
}

}  // namespace ferry::identify
