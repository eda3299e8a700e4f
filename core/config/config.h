// The effective configuration: one value per key in the table (schema.h),
// each with the place it came from, built layer by layer:
//   built-in defaults < site (/etc/ferry/policy.toml, ferryd.toml)
//   < user ($XDG_CONFIG_HOME/ferry/config.toml) < project (.ferry.toml)
//   < environment < command line.
// A site file may list keys in `enforce = [...]`; a lower layer that sets
// one is ignored, and a notice names the file that enforced it.
//
// Lookups are typed and asking for a key that is not in the table is a
// programming error (assert): the table is the contract between the files,
// --show-config, docs/policy.md and the code that reads the values.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <llvm/Support/Error.h>

#include "config/raw_value.h"
#include "config/schema.h"

namespace ferry::config {

struct Origin {
  Layer layer = Layer::Default;
  std::string source;  // a file, an environment variable, "--set", "--jobs"
  unsigned line = 0;   // files only
  unsigned column = 0;
  // "/etc/ferry/policy.toml:3:1", "FERRY_HOSTS", "--set", "default".
  std::string where() const;
};

// A list item (key empty) or a map entry, each with its own origin: map
// entries and accumulated lists come from several layers.
struct Item {
  std::string key;
  std::string value;
  Origin origin;
};

struct Setting {
  const KeySpec* spec = nullptr;
  bool b = false;
  int64_t i = 0;       // Int, Size
  double seconds = 0;  // Seconds
  std::string s;       // String
  std::vector<Item> items;  // StringList, StringMap
  Origin origin;            // of the value as a whole (the last layer to set it)
  std::optional<Origin> enforced_by;
};

class Config {
 public:
  Config();  // every key at its default

  bool get_bool(std::string_view key) const;
  int64_t get_int(std::string_view key) const;  // Int and Size
  double get_seconds(std::string_view key) const;
  std::chrono::milliseconds get_duration(std::string_view key) const;
  const std::string& get_string(std::string_view key) const;
  const std::vector<Item>& get_items(std::string_view key) const;  // lists, maps
  // A map entry, or nullptr.
  const Item* map_find(std::string_view key, std::string_view name) const;
  const Setting& setting(std::string_view key) const;
  std::span<const Setting> settings() const { return m_settings; }
  // True when some layer above the defaults set the key.
  bool is_set(std::string_view key) const;

  // BadArguments "WHERE: KEY: message", for checks a consumer makes on a
  // value (a group that does not exist, a port in use, ...).
  static llvm::Error error_at(const Origin& origin, std::string_view key,
                              const std::string& message);

  // Lower-layer settings ignored because a site file enforces the key, one
  // line each ("FILE:L:C: KEY is enforced by FILE:L:C; ignored").
  const std::vector<std::string>& notices() const { return m_notices; }
  // The files that were read, in order.
  const std::vector<std::string>& files() const { return m_files; }

 private:
  friend class Loader;
  Setting& mut(const KeySpec& spec) { return m_settings[key_index(spec)]; }
  std::vector<Setting> m_settings;
  std::vector<std::string> m_notices;
  std::vector<std::string> m_files;
};

// Builds a Config, one layer at a time, lowest first. Every add_* stops at
// the first problem with one line: "WHERE:LINE:COLUMN: what was expected".
class Loader {
 public:
  // A TOML document as a layer; name is used in messages ("~/.ferry.toml").
  llvm::Error add_toml(std::string_view text, const std::string& name, Layer layer);
  // The file at path as a layer, if it exists; a missing file is no error
  // (one stat).
  llvm::Error add_file(const std::string& path, Layer layer);
  // The environment variables named in the key table.
  using Getenv = const char* (*)(const char*);
  llvm::Error add_env(Getenv getenv);
  // "KEY=VALUE" from the command line (ferry --set). VALUE is TOML
  // (true, 4, ["a"]); for string keys a bare word is taken as it is.
  llvm::Error add_cli(std::string_view assignment);
  // A single value set by name from a consumer's own option (ferryd's
  // flags), origin "--flag".
  llvm::Error add_value(std::string_view key, const RawValue& value, const Origin& origin);
  // Checks across keys (hosts.group names a group) and hands the result over.
  llvm::Expected<Config> finish() &&;

 private:
  llvm::Error add_table(const RawValue& table, const std::string& prefix,
                        const std::string& name, Layer layer);
  llvm::Error apply(const KeySpec& spec, const RawValue& value, const Origin& origin);
  bool blocked_by_enforcement(const KeySpec& spec, const Origin& origin);
  llvm::Error enforce(const RawValue& list, const std::string& name);
  Config m_config;
};

}  // namespace ferry::config
