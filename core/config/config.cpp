#include "config/config.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cassert>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <iterator>
#include <sstream>

#include "config/toml_reader.h"
#include "config/validators.h"
#include "util/error.h"

namespace ferry::config {
namespace {

std::optional<int64_t> parse_size(std::string_view text) {
  int64_t n = 0;
  auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
  if (ec != std::errc() || p == text.data() || n < 0) {
    return std::nullopt;
  }
  std::string_view unit = text.substr(static_cast<size_t>(p - text.data()));
  int shift = unit.empty() ? 0 : unit == "K" ? 10 : unit == "M" ? 20 : unit == "G" ? 30 : -1;
  if (shift < 0 || n > (INT64_MAX >> shift)) {
    return std::nullopt;
  }
  return n << shift;
}

std::optional<double> parse_number(std::string_view text) {
  double d = 0;
  auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), d);
  if (ec != std::errc() || p != text.data() + text.size() || text.empty()) {
    return std::nullopt;
  }
  return d;
}

std::string found(const RawValue& v) {
  switch (v.kind) {
    case RawValue::Kind::String: return "'" + v.s + "'";
    case RawValue::Kind::Int: return std::to_string(v.i);
    case RawValue::Kind::Float: {
      std::ostringstream os;
      os << v.d;
      return os.str();
    }
    case RawValue::Kind::Bool: return v.b ? "true" : "false";
    default: return kind_name(v.kind);
  }
}

std::string range_text(const KeySpec& spec) {
  std::ostringstream os;
  os << " in " << spec.min << ".." << spec.max;
  return os.str();
}

// The position of a value: its own line and column in a file, else the
// origin of the setting (environment variable, command line).
Origin at(const Origin& origin, const RawValue& v) {
  Origin o = origin;
  if (v.line != 0) {
    o.line = v.line;
    o.column = v.column;
  }
  return o;
}

llvm::Error expected(const Origin& where, const KeySpec& spec, const std::string& what,
                     const RawValue& v) {
  return Config::error_at(where, spec.name, "expected " + what + ", found " + found(v));
}

// Env text -> the RawValue a TOML file would have given. distcc's booleans:
// "0" (and empty) is false, anything else true.
std::optional<RawValue> env_value(const KeySpec& spec, const std::string& text) {
  RawValue v;
  switch (spec.type) {
    case Type::Bool:
      v.kind = RawValue::Kind::Bool;
      v.b = !(text.empty() || text == "0");
      return v;
    case Type::Int:
    case Type::Seconds:
      if (auto d = parse_number(text)) {
        v.kind = RawValue::Kind::Float;
        v.d = *d;
        if (spec.type == Type::Int && *d == std::floor(*d)) {
          v.kind = RawValue::Kind::Int;
          v.i = static_cast<int64_t>(*d);
        }
        return v;
      }
      v.kind = RawValue::Kind::String;
      v.s = text;
      return v;
    case Type::Size:
    case Type::String:
      v.kind = RawValue::Kind::String;
      v.s = text;
      return v;
    case Type::StringList:
    case Type::StringMap: {
      // "a,b" and "name=value,name=value" (spaces around items ignored).
      v.kind = spec.type == Type::StringList ? RawValue::Kind::Array : RawValue::Kind::Table;
      std::stringstream in(text);
      std::string part;
      auto trim = [](std::string t) {
        size_t b = t.find_first_not_of(" \t");
        size_t e = t.find_last_not_of(" \t");
        return b == std::string::npos ? std::string() : t.substr(b, e - b + 1);
      };
      while (std::getline(in, part, ',')) {
        part = trim(part);
        if (part.empty()) {
          continue;
        }
        RawValue::Entry e;
        e.value.kind = RawValue::Kind::String;
        if (spec.type == Type::StringMap) {
          size_t eq = part.find('=');
          if (eq == std::string::npos) {
            return std::nullopt;
          }
          e.key = trim(part.substr(0, eq));
          e.value.s = trim(part.substr(eq + 1));
        } else {
          e.value.s = part;
        }
        v.children.push_back(std::move(e));
      }
      return v;
    }
  }
  return std::nullopt;
}

void set_default(Setting& s) {
  const KeySpec& spec = *s.spec;
  std::string_view d = spec.default_text;
  switch (spec.type) {
    case Type::Bool: s.b = d == "true"; break;
    case Type::Int: s.i = std::strtoll(spec.default_text, nullptr, 10); break;
    case Type::Seconds: s.seconds = std::strtod(spec.default_text, nullptr); break;
    case Type::Size: s.i = parse_size(d).value_or(0); break;
    case Type::String: s.s = d; break;
    case Type::StringList:
    case Type::StringMap: break;
  }
}

}  // namespace

const char* kind_name(RawValue::Kind kind) {
  switch (kind) {
    case RawValue::Kind::Bool: return "a boolean";
    case RawValue::Kind::Int: return "an integer";
    case RawValue::Kind::Float: return "a float";
    case RawValue::Kind::String: return "a string";
    case RawValue::Kind::Array: return "an array";
    case RawValue::Kind::Table: return "a table";
    case RawValue::Kind::Other: return "a date or time";
  }
  return "?";
}

std::string Origin::where() const {
  if (line != 0) {
    return source + ":" + std::to_string(line) + ":" + std::to_string(column);
  }
  return source.empty() ? std::string(layer_name(layer)) : source;
}

Config::Config() {
  m_settings.resize(all_keys().size());
  for (const KeySpec& spec : all_keys()) {
    Setting& s = m_settings[key_index(spec)];
    s.spec = &spec;
    set_default(s);
  }
}

const Setting& Config::setting(std::string_view key) const {
  const KeySpec* spec = find_key(key);
  assert(spec != nullptr && "key not in the table (config/schema.cpp)");
  return m_settings[key_index(*spec)];
}

bool Config::get_bool(std::string_view key) const { return setting(key).b; }
int64_t Config::get_int(std::string_view key) const { return setting(key).i; }
double Config::get_seconds(std::string_view key) const { return setting(key).seconds; }
std::chrono::milliseconds Config::get_duration(std::string_view key) const {
  return std::chrono::milliseconds(std::llround(setting(key).seconds * 1000));
}
const std::string& Config::get_string(std::string_view key) const { return setting(key).s; }
const std::vector<Item>& Config::get_items(std::string_view key) const {
  return setting(key).items;
}
const Item* Config::map_find(std::string_view key, std::string_view name) const {
  for (const Item& item : setting(key).items) {
    if (item.key == name) {
      return &item;
    }
  }
  return nullptr;
}
bool Config::is_set(std::string_view key) const {
  return setting(key).origin.layer != Layer::Default;
}

llvm::Error Config::error_at(const Origin& origin, std::string_view key,
                             const std::string& message) {
  return make_error(ExitCode::BadArguments,
                    origin.where() + ": " + std::string(key) + ": " + message);
}

llvm::Error Loader::add_toml(std::string_view text, const std::string& name, Layer layer) {
  auto root = read_toml(text, name);
  if (!root) {
    return root.takeError();
  }
  return add_table(*root, "", name, layer);
}

llvm::Error Loader::add_file(const std::string& path, Layer layer) {
  struct stat st{};
  if (::stat(path.c_str(), &st) != 0) {
    return llvm::Error::success();  // absent: the common, free case
  }
  // open/read, not std::ifstream: a stream's first use builds the C++ locale,
  // which costs a ferry start ~6 page faults (~0.2 ms on a VM) for nothing.
  auto cannot_read = [&path](int err) {
    return make_error(ExitCode::BadArguments,
                      path + ":1:1: cannot be read: " + std::strerror(err));
  };
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    return cannot_read(errno);
  }
  std::string text(static_cast<size_t>(std::max<off_t>(st.st_size, 0)), '\0');
  size_t got = 0;
  for (;;) {
    if (got == text.size()) {
      text.resize(got + 4096);  // the file grew since stat(), or is not a regular file
    }
    ssize_t n = ::read(fd, text.data() + got, text.size() - got);
    if (n < 0 && errno == EINTR) {
      continue;
    }
    if (n < 0) {
      int err = errno;
      ::close(fd);
      return cannot_read(err);
    }
    if (n == 0) {
      break;
    }
    got += static_cast<size_t>(n);
  }
  ::close(fd);
  text.resize(got);
  m_config.m_files.push_back(path);
  return add_toml(text, path, layer);
}

llvm::Error Loader::add_table(const RawValue& table, const std::string& prefix,
                              const std::string& name, Layer layer) {
  for (const RawValue::Entry& e : table.children) {
    std::string full = prefix.empty() ? e.key : prefix + "." + e.key;
    Origin origin{layer, name, e.key_line, e.key_column};

    if (full == "enforce") {
      if (layer != Layer::Site) {
        return Config::error_at(origin, full, "only a site file may enforce keys");
      }
      if (auto err = enforce(e.value, name)) {
        return err;
      }
      continue;
    }
    if (const KeySpec* spec = find_key(full)) {
      if ((spec->layers & bit(layer)) == 0) {
        return Config::error_at(origin, full,
                                std::string("cannot be set in a ") + layer_name(layer) +
                                    " file (only: " + layers_text(spec->layers) + ")");
      }
      if (auto err = apply(*spec, e.value, origin)) {
        return err;
      }
      continue;
    }
    if (e.value.kind == RawValue::Kind::Table && is_table_prefix(full)) {
      if (auto err = add_table(e.value, full, name, layer)) {
        return err;
      }
      continue;
    }
    std::string near = nearest_key(full);
    return make_error(ExitCode::BadArguments,
                      origin.where() + ": unknown key '" + full + "'" +
                          (near.empty() ? "" : " (expected a known key; did you mean '" + near +
                                                   "'?)"));
  }
  return llvm::Error::success();
}

llvm::Error Loader::enforce(const RawValue& list, const std::string& name) {
  const KeySpec& spec = *find_key("enforce");
  Origin origin{Layer::Site, name, list.line, list.column};
  if (list.kind != RawValue::Kind::Array) {
    return expected(origin, spec, "an array of key names", list);
  }
  for (const RawValue::Entry& e : list.children) {
    Origin item_at = at(origin, e.value);
    if (e.value.kind != RawValue::Kind::String) {
      return expected(item_at, spec, "a key name (a string)", e.value);
    }
    std::string why = validate_key_name(e.value.s);
    if (!why.empty()) {
      return expected(item_at, spec, why, e.value);
    }
    const KeySpec* key = find_key(e.value.s);
    m_config.mut(*key).enforced_by = item_at;
    if (key->locks_also != nullptr) {
      m_config.mut(*find_key(key->locks_also)).enforced_by = item_at;
    }
    m_config.mut(spec).items.push_back({"", e.value.s, item_at});
  }
  m_config.mut(spec).origin = origin;
  return llvm::Error::success();
}

bool Loader::blocked_by_enforcement(const KeySpec& spec, const Origin& origin) {
  const Setting& s = m_config.mut(spec);
  if (!s.enforced_by || origin.layer <= Layer::Site) {
    return false;
  }
  m_config.m_notices.push_back(origin.where() + ": " + spec.name + " is enforced by " +
                               s.enforced_by->where() + "; this setting is ignored");
  return true;
}

llvm::Error Loader::apply(const KeySpec& spec, const RawValue& v, const Origin& origin) {
  if (blocked_by_enforcement(spec, origin)) {
    return llvm::Error::success();
  }
  Setting& s = m_config.mut(spec);
  Origin where = at(origin, v);
  using K = RawValue::Kind;
  auto check = [&](const std::string& text, const Origin& pos, const RawValue& shown) {
    std::string why = spec.validate != nullptr ? spec.validate(text) : std::string();
    return why.empty() ? llvm::Error::success() : expected(pos, spec, why, shown);
  };
  switch (spec.type) {
    case Type::Bool:
      if (v.kind != K::Bool) {
        return expected(where, spec, type_name(spec.type), v);
      }
      s.b = v.b;
      break;
    case Type::Int:
      if (v.kind != K::Int || v.i < spec.min || v.i > spec.max) {
        return expected(where, spec, "an integer" + range_text(spec), v);
      }
      s.i = v.i;
      break;
    case Type::Seconds: {
      double d = v.kind == K::Int ? static_cast<double>(v.i) : v.d;
      if ((v.kind != K::Int && v.kind != K::Float) || !(d >= spec.min && d <= spec.max)) {
        return expected(where, spec, "a number of seconds" + range_text(spec), v);
      }
      s.seconds = d;
      break;
    }
    case Type::Size: {
      std::optional<int64_t> n;
      if (v.kind == K::Int) {
        n = v.i;
      } else if (v.kind == K::String) {
        n = parse_size(v.s);
      }
      if (!n || *n < spec.min || *n > spec.max) {
        return expected(where, spec,
                        "a size in bytes (or \"64K\", \"64M\", \"1G\")" + range_text(spec), v);
      }
      s.i = *n;
      break;
    }
    case Type::String:
      if (v.kind != K::String) {
        return expected(where, spec, type_name(spec.type), v);
      }
      if (auto err = check(v.s, where, v)) {
        return err;
      }
      s.s = v.s;
      break;
    case Type::StringList: {
      if (v.kind != K::Array) {
        return expected(where, spec, type_name(spec.type), v);
      }
      std::vector<Item> items;
      for (const RawValue::Entry& e : v.children) {
        Origin item_at = at(origin, e.value);
        if (e.value.kind != K::String) {
          return expected(item_at, spec, "a string in the array", e.value);
        }
        if (auto err = check(e.value.s, item_at, e.value)) {
          return err;
        }
        items.push_back({"", e.value.s, item_at});
      }
      if (!spec.accumulate) {
        s.items.clear();
      }
      s.items.insert(s.items.end(), items.begin(), items.end());
      break;
    }
    case Type::StringMap: {
      if (v.kind != K::Table) {
        return expected(where, spec, type_name(spec.type), v);
      }
      for (const RawValue::Entry& e : v.children) {
        Origin item_at = at(origin, e.value);
        if (e.value.kind != K::String) {
          return expected(item_at, spec, "a string value for '" + e.key + "'", e.value);
        }
        if (auto err = check(e.value.s, item_at, e.value)) {
          return err;
        }
        Item item{e.key, e.value.s, item_at};
        auto same = std::find_if(s.items.begin(), s.items.end(),
                                 [&](const Item& i) { return i.key == e.key; });
        if (same != s.items.end()) {
          *same = std::move(item);
        } else {
          s.items.push_back(std::move(item));
        }
      }
      break;
    }
  }
  s.origin = origin;
  return llvm::Error::success();
}

llvm::Error Loader::add_env(Getenv getenv) {
  for (const KeySpec& spec : all_keys()) {
    if (spec.env == nullptr || (spec.layers & kEnv) == 0) {
      continue;
    }
    const char* name = spec.env;
    const char* text = getenv(name);
    if (text == nullptr && spec.env2 != nullptr) {
      name = spec.env2;
      text = getenv(name);
    }
    if (text == nullptr) {
      continue;
    }
    Origin origin{Layer::Env, name, 0, 0};
    auto v = env_value(spec, text);
    if (!v) {
      return Config::error_at(origin, spec.name,
                              std::string("expected NAME=VALUE,NAME=VALUE, found '") + text + "'");
    }
    if (auto err = apply(spec, *v, origin)) {
      return err;
    }
  }
  return llvm::Error::success();
}

llvm::Error Loader::add_cli(std::string_view assignment) {
  size_t eq = assignment.find('=');
  std::string key(assignment.substr(0, eq));
  Origin origin{Layer::CommandLine, "--set " + key, 0, 0};
  const KeySpec* spec = find_key(key);
  if (eq == std::string_view::npos || spec == nullptr) {
    std::string near = nearest_key(key);
    return make_error(ExitCode::BadArguments,
                      "--set: expected KEY=VALUE with a known key, found '" +
                          std::string(assignment) + "'" +
                          (near.empty() ? "" : " (did you mean '" + near + "'?)"));
  }
  if ((spec->layers & kCli) == 0) {
    return Config::error_at(origin, key, "cannot be set on the command line (only: " +
                                             layers_text(spec->layers) + ")");
  }
  std::string text(assignment.substr(eq + 1));
  RawValue value;
  auto doc = read_toml("v = " + text, "--set");
  if (doc && doc->children.size() == 1) {
    value = doc->children[0].value;
    value.line = value.column = 0;
  } else {
    llvm::consumeError(doc.takeError());
    value.kind = RawValue::Kind::String;  // a bare word
    value.s = text;
  }
  if (spec->type == Type::String && value.kind != RawValue::Kind::String) {
    value = RawValue{};
    value.kind = RawValue::Kind::String;
    value.s = text;
  }
  return apply(*spec, value, origin);
}

llvm::Error Loader::add_value(std::string_view key, const RawValue& value,
                              const Origin& origin) {
  const KeySpec* spec = find_key(key);
  assert(spec != nullptr && "key not in the table (config/schema.cpp)");
  return apply(*spec, value, origin);
}

llvm::Expected<Config> Loader::finish() && {
  const Setting& group = m_config.setting("hosts.group");
  if (!group.s.empty() && m_config.map_find("hosts.groups", group.s) == nullptr) {
    std::string names;
    for (const Item& i : m_config.get_items("hosts.groups")) {
      names += (names.empty() ? "" : ", ") + i.key;
    }
    return Config::error_at(group.origin, "hosts.group",
                            "expected a group defined in hosts.groups (" +
                                (names.empty() ? std::string("none defined") : names) +
                                "), found '" + group.s + "'");
  }
  return std::move(m_config);
}

}  // namespace ferry::config
