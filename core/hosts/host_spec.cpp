#include "hosts/host_spec.h"

#include <charconv>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "util/error.h"

namespace ferry::hosts {
namespace {

constexpr int kDefaultLocalSlots = 2;
constexpr int kDefaultRemoteSlots = 4;

struct TokenError {
  std::string why;
};

std::optional<int> parse_count(std::string_view s) {
  int n = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), n);
  if (ec != std::errc() || p != s.data() + s.size()) {
    return std::nullopt;
  }
  return n;
}

// Splits ",lzo,cpp" options off the end of a token.
std::optional<TokenError> parse_options(std::string_view opts, Host& h) {
  while (!opts.empty()) {
    size_t comma = opts.find(',');
    std::string_view o = opts.substr(0, comma);
    if (o == "lzo") {
      h.lzo = true;
    } else if (o == "cpp") {
      h.cpp = true;
    } else if (o == "down") {
      h.down = true;
    } else if (o == "ferry") {
      h.ferry = true;
    } else if (o == "auth" || o.starts_with("auth=")) {
      return TokenError{"GSS-API authentication (',auth') is not supported"};
    } else {
      return TokenError{"unrecognized option '" + std::string(o) + "'"};
    }
    if (comma == std::string_view::npos) {
      break;
    }
    opts.remove_prefix(comma + 1);
  }
  if (h.cpp && !h.lzo) {
    return TokenError{"pump mode (',cpp') requires compression (',lzo')"};
  }
  return std::nullopt;
}

std::optional<TokenError> parse_slots(std::string_view s, Host& h) {
  auto n = parse_count(s);
  if (!n || *n <= 0) {
    return TokenError{"bad slot count '/" + std::string(s) + "' (must be a positive number)"};
  }
  h.slots = *n;
  return std::nullopt;
}

std::optional<TokenError> parse_port(std::string_view s, Host& h) {
  auto n = parse_count(s);
  if (!n || *n <= 0 || *n > 65535) {
    return TokenError{"invalid TCP port '" + std::string(s) + "'"};
  }
  h.port = static_cast<uint16_t>(*n);
  return std::nullopt;
}

std::optional<TokenError> parse_local(std::string_view rest, Host& h) {
  h.kind = HostKind::Local;
  h.hostname = "localhost";
  h.slots = kDefaultLocalSlots;
  if (rest.empty()) {
    return std::nullopt;
  }
  return parse_slots(rest.substr(1), h);
}

// USER@HOST/N:COMMAND
std::optional<TokenError> parse_ssh(std::string_view t, Host& h) {
  h.kind = HostKind::Ssh;
  h.slots = kDefaultRemoteSlots;
  size_t at = t.find('@');
  h.user = std::string(t.substr(0, at));
  std::string_view rest = t.substr(at + 1);
  size_t colon = rest.find(':');
  if (colon != std::string_view::npos) {
    h.command = std::string(rest.substr(colon + 1));
    rest = rest.substr(0, colon);
    if (h.command.empty()) {
      return TokenError{"empty command after ':'"};
    }
  }
  size_t slash = rest.find('/');
  if (slash != std::string_view::npos) {
    if (auto e = parse_slots(rest.substr(slash + 1), h)) {
      return e;
    }
    rest = rest.substr(0, slash);
  }
  if (rest.empty()) {
    return TokenError{"no host name after '@'"};
  }
  h.hostname = std::string(rest);
  return std::nullopt;
}

// HOST[:PORT][/N] or HOST[/N][:PORT], HOST possibly [IPv6].
std::optional<TokenError> parse_tcp(std::string_view t, Host& h) {
  h.kind = HostKind::Tcp;
  h.slots = kDefaultRemoteSlots;
  std::string_view rest;
  if (t.starts_with('[')) {
    size_t close = t.find(']');
    if (close == std::string_view::npos) {
      return TokenError{"missing ']' after an IPv6 address"};
    }
    h.hostname = std::string(t.substr(1, close - 1));
    rest = t.substr(close + 1);
  } else {
    size_t end = t.find_first_of(":/");
    h.hostname = std::string(t.substr(0, end));
    rest = end == std::string_view::npos ? std::string_view() : t.substr(end);
  }
  if (h.hostname.empty()) {
    return TokenError{"empty host name"};
  }
  bool seen_port = false;
  bool seen_slots = false;
  while (!rest.empty()) {
    char kind = rest.front();
    rest.remove_prefix(1);
    size_t end = rest.find_first_of(":/");
    std::string_view value = rest.substr(0, end);
    rest = end == std::string_view::npos ? std::string_view() : rest.substr(end);
    if (kind == ':' && !seen_port) {
      seen_port = true;
      if (auto e = parse_port(value, h)) {
        return e;
      }
    } else if (kind == '/' && !seen_slots) {
      seen_slots = true;
      if (auto e = parse_slots(value, h)) {
        return e;
      }
    } else {
      return TokenError{std::string("unexpected '") + kind + "'"};
    }
  }
  return std::nullopt;
}

std::optional<TokenError> parse_keyword(std::string_view t, HostList& list) {
  if (t == "--randomize") {
    list.randomize = true;
    return std::nullopt;
  }
  for (auto [name, field] : {std::pair{std::string_view("--localslots_cpp"), &list.local_slots_cpp},
                             std::pair{std::string_view("--localslots"), &list.local_slots}}) {
    if (t.starts_with(name) && t.size() > name.size() &&
        (t[name.size()] == '=' || t[name.size()] == '/')) {
      auto n = parse_count(t.substr(name.size() + 1));
      if (!n || *n <= 0) {
        return TokenError{"bad number in " + std::string(name)};
      }
      *field = *n;
      return std::nullopt;
    }
  }
  if (t == "+zeroconf") {
    return TokenError{"zeroconf is not supported"};
  }
  return TokenError{"unknown keyword"};
}

std::optional<std::string> read_file(const std::string& path) {
  std::ifstream in(path);
  if (!in) {
    return std::nullopt;
  }
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace

std::string Host::display() const {
  switch (kind) {
    case HostKind::Local:
      return "localhost";
    case HostKind::Ssh:
      return (user.empty() ? "" : user + "@") + hostname;
    case HostKind::Tcp:
      break;
  }
  bool v6 = hostname.find(':') != std::string::npos;
  return (v6 ? "[" + hostname + "]" : hostname) + ":" + std::to_string(port);
}

std::string Host::lock_key() const {
  switch (kind) {
    case HostKind::Local:
      return "localhost";
    case HostKind::Ssh:
      return "ssh_" + hostname;
    case HostKind::Tcp:
      break;
  }
  return "tcp_" + hostname + "_" + std::to_string(port);
}

llvm::Expected<HostList> parse_host_list(std::string_view text) {
  HostList list;
  size_t pos = 0;
  int index = 0;
  while (pos < text.size()) {
    char c = text[pos];
    if (c == '#') {
      pos = text.find('\n', pos);
      if (pos == std::string_view::npos) {
        break;
      }
      continue;
    }
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f') {
      ++pos;
      continue;
    }
    size_t end = text.find_first_of(" #\t\n\f\r", pos);
    std::string_view token = text.substr(pos, end == std::string_view::npos ? text.npos : end - pos);
    pos = end == std::string_view::npos ? text.size() : end;
    ++index;

    std::optional<TokenError> err;
    if (token.starts_with("--") || token.starts_with('+')) {
      err = parse_keyword(token, list);
    } else {
      Host h;
      h.text = std::string(token);
      size_t comma = token.find(',');
      std::string_view body = token.substr(0, comma);
      if (comma != std::string_view::npos) {
        err = parse_options(token.substr(comma + 1), h);
      }
      if (!err) {
        if (body == "localhost" || body.starts_with("localhost/")) {
          err = parse_local(body.substr(9), h);
        } else if (body.find('@') != std::string_view::npos) {
          err = parse_ssh(body, h);
        } else {
          err = parse_tcp(body, h);
        }
      }
      if (!err) {
        list.hosts.push_back(std::move(h));
      }
    }
    if (err) {
      return make_error(ExitCode::BadHostSpec,
                        "bad host spec '" + std::string(token) + "' (token " +
                            std::to_string(index) + "): " + err->why);
    }
  }
  return list;
}

std::optional<HostListSource> find_host_list() {
  for (const char* var : {"FERRY_HOSTS", "DISTCC_HOSTS"}) {
    if (const char* v = std::getenv(var)) {
      return HostListSource{v, var};
    }
  }
  const char* home = std::getenv("HOME");
  std::vector<std::string> files;
  if (const char* d = std::getenv("FERRY_DIR")) {
    files.push_back(std::string(d) + "/hosts");
  } else if (home != nullptr) {
    files.push_back(std::string(home) + "/.ferry/hosts");
  }
  files.emplace_back("/etc/ferry/hosts");
  if (const char* d = std::getenv("DISTCC_DIR")) {
    files.push_back(std::string(d) + "/hosts");
  } else if (home != nullptr) {
    files.push_back(std::string(home) + "/.distcc/hosts");
  }
  files.emplace_back("/etc/distcc/hosts");
  for (const auto& f : files) {
    if (auto text = read_file(f)) {
      return HostListSource{*text, f};
    }
  }
  return std::nullopt;
}

}  // namespace ferry::hosts
