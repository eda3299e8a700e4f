// Where the configuration files are, and the standard ways to load them:
//   ferry:  defaults < site policy < user config < project .ferry.toml
//           < environment < --set KEY=VALUE
//   ferryd: defaults < site policy < daemon policy (ferryd.toml)
//           (its own flags then override what it reads; see daemon/policy.h)
// Only files that exist are read: a missing site or user file costs one
// stat(); the walk for .ferry.toml up to 4 per directory level (the file, then
// .git, .hg, .svn to stop at a repository root). bench/config_cost measures it.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <llvm/Support/Error.h>

#include "config/config.h"

namespace ferry::config {

using Getenv = Loader::Getenv;

// $FERRY_SITE_POLICY, else /etc/ferry/policy.toml.
std::string site_policy_path(Getenv getenv);
// $FERRY_DAEMON_POLICY, else /etc/ferry/ferryd.toml.
std::string daemon_policy_path(Getenv getenv);
// $XDG_CONFIG_HOME/ferry/config.toml, else $HOME/.config/ferry/config.toml;
// "" when neither variable is set.
std::string user_config_path(Getenv getenv);
// The first .ferry.toml in cwd or a parent directory, not looking above a
// repository root (a directory holding .git, .hg or .svn).
std::optional<std::string> find_project_file(const std::string& cwd);

struct ClientRequest {
  std::string cwd;
  std::vector<std::string> cli;  // "KEY=VALUE" from --set, in order
  Getenv getenv;
};
llvm::Expected<Config> load_client_config(const ClientRequest& request);

// One of ferryd's flags as a value of the command-line layer.
struct FlagValue {
  std::string key;   // "daemon.jobs"
  RawValue value;    // as the key's type expects it
  std::string flag;  // "--jobs 3", for the origin
};

struct DaemonRequest {
  std::string daemon_file;  // "" = daemon_policy_path()
  Getenv getenv;
  // ferryd's flags, applied after the files (`ferryd --show-config`). An
  // enforced key ignores its flag, with a notice, as for any lower layer.
  std::vector<FlagValue> flags;
};
llvm::Expected<Config> load_daemon_config(const DaemonRequest& request);

}  // namespace ferry::config
