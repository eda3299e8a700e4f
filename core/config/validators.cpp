#include "config/validators.h"

#include <algorithm>

#include "config/schema.h"
#include "hosts/host_spec.h"
#include "net/acl.h"
#include "util/error.h"

namespace ferry::config {
namespace {

std::string message_of(llvm::Error err) { return summarize(std::move(err)).message; }

}  // namespace

std::string validate_key_name(std::string_view text) {
  if (find_key(text) != nullptr && text != "enforce") {
    return "";
  }
  std::string near = nearest_key(text);
  return "a configuration key" + (near.empty() ? std::string() : " (did you mean '" + near + "'?)");
}

std::string validate_host_list(std::string_view text) {
  auto list = hosts::parse_host_list(text);
  if (!list) {
    return "a host list in distcc's syntax: " + message_of(list.takeError());
  }
  return "";
}

std::string validate_name(std::string_view text) {
  bool ok = !text.empty() && std::all_of(text.begin(), text.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           c == '.' || c == '_' || c == '+' || c == '-';
  });
  return ok ? "" : "a name of letters, digits and . _ + -";
}

std::string validate_bare_name(std::string_view text) {
  bool ok = !text.empty() && text.find_first_of("/ \t\n") == std::string_view::npos;
  return ok ? "" : "a compiler name without '/' or spaces";
}

std::string validate_glob(std::string_view text) {
  return text.empty() ? "a non-empty glob pattern" : "";
}

std::string validate_network(std::string_view text) {
  auto rule = net::parse_allow_rule(std::string(text));
  if (!rule) {
    return "a network IP[/BITS]: " + message_of(rule.takeError());
  }
  return "";
}

std::string validate_absolute_path(std::string_view text) {
  return !text.empty() && text[0] == '/' ? "" : "an absolute path";
}

std::string validate_absolute_path_or_empty(std::string_view text) {
  return text.empty() ? "" : validate_absolute_path(text);
}

}  // namespace ferry::config
