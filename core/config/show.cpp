#include "config/show.h"

#include <cmath>
#include <sstream>

namespace ferry::config {
namespace {

constexpr size_t kCommentColumn = 44;

std::string quoted(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') {
      out += '\\';
    }
    out += c;
  }
  return out + "\"";
}

// TOML bare keys are A-Za-z0-9_-; anything else ("i686-linux-gcc-3.2")
// needs quotes.
std::string key_text(const std::string& key) {
  for (char c : key) {
    bool bare = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                c == '_' || c == '-';
    if (!bare) {
      return quoted(key);
    }
  }
  return key.empty() ? quoted(key) : key;
}

std::string scalar_text(const Setting& s) {
  switch (s.spec->type) {
    case Type::Bool: return s.b ? "true" : "false";
    case Type::Int:
    case Type::Size: return std::to_string(s.i);
    case Type::Seconds: {
      std::ostringstream os;
      os << s.seconds;
      return os.str();
    }
    case Type::String: return quoted(s.s);
    default: return "";
  }
}

std::string origin_text(const Origin& origin, const Setting& s) {
  std::string text = origin.where();
  if (s.enforced_by) {
    text += " (enforced by " + s.enforced_by->where() + ")";
  }
  return text;
}

void line(std::ostringstream& out, const std::string& left, const std::string& comment) {
  out << left;
  if (left.size() < kCommentColumn) {
    out << std::string(kCommentColumn - left.size(), ' ');
  } else {
    out << "  ";
  }
  out << "# " << comment << "\n";
}

}  // namespace

std::string format_config(const Config& config) { return format_config(config, "ferry", ""); }

std::string format_config(const Config& config, const std::string& program,
                          const std::string& key_prefix) {
  std::ostringstream out;
  out << "# " << program
      << " configuration: every key, its effective value and where it came from\n";
  if (config.files().empty()) {
    out << "# files read: none\n";
  }
  for (const std::string& f : config.files()) {
    out << "# file read: " << f << "\n";
  }
  for (const Setting& s : config.settings()) {
    std::string name = s.spec->name;
    if (name.rfind(key_prefix, 0) != 0 && name != "enforce") {
      continue;
    }
    if (s.spec->type == Type::StringMap) {
      if (s.items.empty()) {
        line(out, name + " = {}", origin_text(s.origin, s));
      }
      for (const Item& item : s.items) {
        line(out, name + "." + key_text(item.key) + " = " + quoted(item.value),
             origin_text(item.origin, s));
      }
    } else if (s.spec->type == Type::StringList) {
      if (s.items.empty()) {
        line(out, name + " = []", origin_text(s.origin, s));
        continue;
      }
      line(out, name + " = [", origin_text(s.origin, s));
      for (const Item& item : s.items) {
        line(out, "  " + quoted(item.value) + ",", item.origin.where());
      }
      out << "]\n";
    } else {
      line(out, name + " = " + scalar_text(s), origin_text(s.origin, s));
    }
  }
  return out.str();
}

}  // namespace ferry::config
