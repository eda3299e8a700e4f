// toml++ is used header-only in this translation unit, without exceptions:
// Debian's libtomlplusplus.so would add a shared library to every ferry
// start (see /work/shared/style.md's start-up table), and a parse error is
// a value here like every other error.
#define TOML_HEADER_ONLY 1
#define TOML_EXCEPTIONS 0
#define TOML_ENABLE_FORMATTERS 0
#include "config/toml_reader.h"

#include <toml++/toml.h>

#include <algorithm>
#include <vector>

#include "util/error.h"

namespace ferry::config {
namespace {

// toml++ places a dotted key ("client.fallback = true") at its last part;
// messages should point where the key starts, so walk back over the dots
// and key characters on that line.
class KeyStarts {
 public:
  explicit KeyStarts(std::string_view text) {
    size_t start = 0;
    while (start <= text.size()) {
      size_t end = text.find('\n', start);
      if (end == std::string_view::npos) {
        end = text.size();
      }
      m_lines.push_back(text.substr(start, end - start));
      start = end + 1;
    }
  }
  unsigned column(unsigned line, unsigned column) const {
    if (line == 0 || line > m_lines.size() || column == 0) {
      return column;
    }
    std::string_view l = m_lines[line - 1];
    size_t i = std::min<size_t>(column - 1, l.size());
    auto key_char = [](char c) {
      return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
             c == '_' || c == '-' || c == '.' || c == '"' || c == '\'';
    };
    while (i > 0 && key_char(l[i - 1])) {
      --i;
    }
    return static_cast<unsigned>(i + 1);
  }

 private:
  std::vector<std::string_view> m_lines;
};

RawValue convert(const toml::node& node, const KeyStarts& keys);

void set_position(RawValue& v, const toml::source_region& where) {
  v.line = where.begin.line;
  v.column = where.begin.column;
}

RawValue convert_table(const toml::table& table, const KeyStarts& keys) {
  RawValue v;
  v.kind = RawValue::Kind::Table;
  set_position(v, table.source());
  for (const auto& [key, child] : table) {
    RawValue::Entry e;
    e.key = std::string(key.str());
    e.key_line = key.source().begin.line;
    e.key_column = keys.column(e.key_line, key.source().begin.column);
    e.value = convert(child, keys);
    if (e.key_line == 0) {  // a key made by the parser (a.b.c = ...)
      e.key_line = e.value.line;
      e.key_column = e.value.column;
    }
    v.children.push_back(std::move(e));
  }
  return v;
}

RawValue convert(const toml::node& node, const KeyStarts& keys) {
  RawValue v;
  set_position(v, node.source());
  switch (node.type()) {
    case toml::node_type::table:
      return convert_table(*node.as_table(), keys);
    case toml::node_type::array:
      v.kind = RawValue::Kind::Array;
      for (const toml::node& child : *node.as_array()) {
        RawValue::Entry e;
        e.value = convert(child, keys);
        e.key_line = e.value.line;
        e.key_column = e.value.column;
        v.children.push_back(std::move(e));
      }
      return v;
    case toml::node_type::string:
      v.kind = RawValue::Kind::String;
      v.s = node.as_string()->get();
      return v;
    case toml::node_type::integer:
      v.kind = RawValue::Kind::Int;
      v.i = node.as_integer()->get();
      return v;
    case toml::node_type::floating_point:
      v.kind = RawValue::Kind::Float;
      v.d = node.as_floating_point()->get();
      return v;
    case toml::node_type::boolean:
      v.kind = RawValue::Kind::Bool;
      v.b = node.as_boolean()->get();
      return v;
    default:
      v.kind = RawValue::Kind::Other;
      v.s = "a date or time";
      return v;
  }
}

}  // namespace

llvm::Expected<RawValue> read_toml(std::string_view text, const std::string& name) {
  toml::parse_result result = toml::parse(text, name);
  if (!result) {
    const toml::parse_error& err = result.error();
    return make_error(ExitCode::BadArguments,
                      name + ":" + std::to_string(err.source().begin.line) + ":" +
                          std::to_string(err.source().begin.column) + ": " +
                          std::string(err.description()));
  }
  return convert_table(result.table(), KeyStarts(text));
}

}  // namespace ferry::config
