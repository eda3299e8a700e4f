// A TOML value as the parser saw it, with its position, before it is checked
// against the key table. Keeps toml++ inside toml_reader.cpp.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace ferry::config {

struct RawValue {
  enum class Kind : uint8_t { Bool, Int, Float, String, Array, Table, Other };
  Kind kind = Kind::Other;
  bool b = false;
  int64_t i = 0;
  double d = 0;
  std::string s;  // String; for Other, the TOML type name ("date", ...)
  // Array elements (key empty) or table entries, in document order.
  struct Entry;
  std::vector<Entry> children;
  unsigned line = 0;
  unsigned column = 0;
};

struct RawValue::Entry {
  std::string key;
  unsigned key_line = 0;  // where the key is written
  unsigned key_column = 0;
  RawValue value;
};

const char* kind_name(RawValue::Kind kind);  // "a string", "an array", ...

}  // namespace ferry::config
