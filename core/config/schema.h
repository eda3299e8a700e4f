// Every configuration key ferry knows: its type, default, which layers may
// set it, the environment variables that feed it, and its limits.
//
// The table is constexpr data (no static constructor runs at start-up) and is
// the single source for loading, --show-config and docs/policy.md. A key not
// in the table is an error wherever it appears.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace ferry::config {

// Lowest precedence first.
enum class Layer : uint8_t { Default, Site, User, Project, Env, CommandLine };
const char* layer_name(Layer layer);  // "default", "site", "user", ...

enum class Type : uint8_t {
  Bool,
  Int,
  Seconds,     // a TOML integer or float, in seconds
  Size,        // bytes: a TOML integer, or a string with K/M/G suffix ("64M")
  String,
  StringList,  // an array of strings
  StringMap,   // a table of string values ("cc = \"suncc\"")
};
const char* type_name(Type type);  // "boolean", "integer", ...

// Layer masks: which layers may set a key.
constexpr unsigned bit(Layer l) { return 1u << static_cast<unsigned>(l); }
constexpr unsigned kSite = bit(Layer::Site);
constexpr unsigned kUser = bit(Layer::User);
constexpr unsigned kProject = bit(Layer::Project);
constexpr unsigned kEnv = bit(Layer::Env);
constexpr unsigned kCli = bit(Layer::CommandLine);
constexpr unsigned kFiles = kSite | kUser | kProject;
constexpr unsigned kAll = kFiles | kEnv | kCli;

// Checks one string (a value, a list item or a map value). Returns "" when
// it is fine, else what was expected ("a host list: ...").
using Validator = std::string (*)(std::string_view text);

struct KeySpec {
  const char* name;          // "client.fallback"
  Type type;
  const char* default_text;  // "true", "4", "" (lists and maps start empty)
  unsigned layers;           // who may set it
  const char* env = nullptr;   // "FERRY_FALLBACK"
  const char* env2 = nullptr;  // a fallback, "DISTCC_FALLBACK"
  double min = 0;              // Int, Seconds, Size
  double max = 0;
  // Lists only: every layer's items add up (force-local rules), instead of
  // the highest layer replacing the list.
  bool accumulate = false;
  Validator validate = nullptr;
  // Enforcing this key also locks that one (hosts.group and hosts.list both
  // choose the host list).
  const char* locks_also = nullptr;
  const char* help = "";
};

std::span<const KeySpec> all_keys();
// nullptr when unknown.
const KeySpec* find_key(std::string_view name);
// Index of spec in all_keys().
size_t key_index(const KeySpec& spec);
// The known key nearest to an unknown one (for "did you mean"), or "".
std::string nearest_key(std::string_view name);
// True when some key lives under "prefix." (a TOML table we should descend).
bool is_table_prefix(std::string_view prefix);

// "site", "user or project", ... for error messages.
std::string layers_text(unsigned layers);

}  // namespace ferry::config
