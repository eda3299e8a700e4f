#include "config/client_policy.h"

#include <fnmatch.h>

namespace ferry::config {
namespace {

bool glob(const std::string& pattern, const std::string& text) {
  return ::fnmatch(pattern.c_str(), text.c_str(), 0) == 0;
}

std::string describe(const char* key, const Item& rule, const std::string& what) {
  return std::string(key) + " '" + rule.value + "' matches '" + what + "' (" +
         rule.origin.where() + ")";
}

bool source_matches(const std::string& pattern, const std::string& source,
                    const std::string& cwd) {
  if (pattern.find('/') == std::string::npos) {
    return glob(pattern, source.substr(source.rfind('/') + 1));
  }
  std::string absolute = source[0] == '/' ? source : cwd + "/" + source;
  // Without FNM_PATHNAME '*' also matches '/': "third_party/*" covers the
  // whole subtree, wherever the tree is checked out.
  return glob(pattern, absolute) || glob("*/" + pattern, absolute);
}

}  // namespace

std::optional<HostListChoice> chosen_host_list(const Config& config) {
  const Setting& list = config.setting("hosts.list");
  const Setting& group = config.setting("hosts.group");
  bool use_group = !group.s.empty() && group.origin.layer >= list.origin.layer;
  if (use_group) {
    const Item* g = config.map_find("hosts.groups", group.s);
    if (g != nullptr) {
      return HostListChoice{g->value, "hosts.groups." + g->key + " (" + g->origin.where() +
                                          ", chosen by " + group.origin.where() + ")"};
    }
  }
  if (list.origin.layer != Layer::Default) {
    return HostListChoice{list.s, "hosts.list (" + list.origin.where() + ")"};
  }
  return std::nullopt;
}

const Item* plugin_for(const Config& config, const std::string& compiler_basename) {
  return config.map_find("compilers", compiler_basename);
}

const Item* remote_name_for(const Config& config, const std::string& compiler_basename) {
  return config.map_find("remote.names", compiler_basename);
}

std::optional<std::string> force_local_reason(const Config& config,
                                              const std::string& compiler_basename,
                                              const std::vector<std::string>& args,
                                              const std::string& source,
                                              const std::string& cwd) {
  for (const Item& rule : config.get_items("local.compilers")) {
    if (glob(rule.value, compiler_basename)) {
      return describe("local.compilers", rule, compiler_basename);
    }
  }
  for (const Item& rule : config.get_items("local.flags")) {
    for (const std::string& arg : args) {
      if (glob(rule.value, arg)) {
        return describe("local.flags", rule, arg);
      }
    }
  }
  if (!source.empty()) {
    for (const Item& rule : config.get_items("local.sources")) {
      if (source_matches(rule.value, source, cwd)) {
        return describe("local.sources", rule, source);
      }
    }
  }
  return std::nullopt;
}

}  // namespace ferry::config
