// The client's questions to the configuration, answered with provenance so
// every decision can name the file and line behind it.
//
// Force-local rules are plain glob matching (fnmatch) on strings: the
// compiler's basename, each argument as written, the source path. Core
// knows no compiler flags; a rule like "-march=native" is the site's
// knowledge, written in its file.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "config/config.h"

namespace ferry::config {

// The host list chosen by hosts.group or hosts.list, whichever was set in
// the higher layer (a group wins a tie); nullopt when neither was set, so
// the hosts files are used.
struct HostListChoice {
  std::string text;
  std::string origin;  // "hosts.groups.team-a (/etc/ferry/policy.toml:8:1)"
};
std::optional<HostListChoice> chosen_host_list(const Config& config);

// compilers.NAME: the plugin to use for a compiler basename, or nullptr.
const Item* plugin_for(const Config& config, const std::string& compiler_basename);

// remote.names.NAME: what to run on the host instead, or nullptr.
const Item* remote_name_for(const Config& config, const std::string& compiler_basename);

// The first force-local rule that matches, as "local.flags '-march=*' matches
// '-march=native' (FILE:LINE:COL)", or nullopt. source may be "" (not known
// yet); it is matched by basename when the glob has no '/', else against
// the path as absolute (from cwd) with any leading directories allowed.
std::optional<std::string> force_local_reason(const Config& config,
                                              const std::string& compiler_basename,
                                              const std::vector<std::string>& args,
                                              const std::string& source,
                                              const std::string& cwd);

}  // namespace ferry::config
