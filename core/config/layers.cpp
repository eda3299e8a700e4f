#include "config/layers.h"

#include <sys/stat.h>

#include "util/error.h"

namespace ferry::config {
namespace {

bool exists(const std::string& path) {
  struct stat st{};
  return ::stat(path.c_str(), &st) == 0;
}

std::string env_or(Getenv getenv, const char* name, const char* fallback) {
  const char* v = getenv(name);
  return v != nullptr && *v != '\0' ? v : fallback;
}

}  // namespace

std::string site_policy_path(Getenv getenv) {
  return env_or(getenv, "FERRY_SITE_POLICY", "/etc/ferry/policy.toml");
}

std::string daemon_policy_path(Getenv getenv) {
  return env_or(getenv, "FERRY_DAEMON_POLICY", "/etc/ferry/ferryd.toml");
}

std::string user_config_path(Getenv getenv) {
  const char* xdg = getenv("XDG_CONFIG_HOME");
  if (xdg != nullptr && xdg[0] == '/') {  // XDG: relative values are ignored
    return std::string(xdg) + "/ferry/config.toml";
  }
  const char* home = getenv("HOME");
  if (home != nullptr && *home != '\0') {
    return std::string(home) + "/.config/ferry/config.toml";
  }
  return {};
}

std::optional<std::string> find_project_file(const std::string& cwd) {
  std::string dir = cwd;
  while (!dir.empty()) {
    std::string candidate = (dir == "/" ? "" : dir) + "/.ferry.toml";
    if (exists(candidate)) {
      return candidate;
    }
    if (dir == "/" || exists(dir + "/.git") || exists(dir + "/.hg") || exists(dir + "/.svn")) {
      break;
    }
    size_t slash = dir.rfind('/');
    dir = slash == 0 ? "/" : dir.substr(0, slash);
  }
  return std::nullopt;
}

llvm::Expected<Config> load_client_config(const ClientRequest& request) {
  Loader loader;
  if (auto err = loader.add_file(site_policy_path(request.getenv), Layer::Site)) {
    return err;
  }
  std::string user = user_config_path(request.getenv);
  if (!user.empty()) {
    if (auto err = loader.add_file(user, Layer::User)) {
      return err;
    }
  }
  if (!request.cwd.empty() && request.cwd[0] == '/') {
    if (auto project = find_project_file(request.cwd)) {
      if (auto err = loader.add_file(*project, Layer::Project)) {
        return err;
      }
    }
  }
  if (auto err = loader.add_env(request.getenv)) {
    return err;
  }
  for (const std::string& assignment : request.cli) {
    if (auto err = loader.add_cli(assignment)) {
      return err;
    }
  }
  return std::move(loader).finish();
}

llvm::Expected<Config> load_daemon_config(const DaemonRequest& request) {
  Loader loader;
  if (auto err = loader.add_file(site_policy_path(request.getenv), Layer::Site)) {
    return err;
  }
  std::string file =
      request.daemon_file.empty() ? daemon_policy_path(request.getenv) : request.daemon_file;
  if (!request.daemon_file.empty() && !exists(file)) {
    return make_error(ExitCode::BadArguments, file + ": no such daemon policy file");
  }
  if (auto err = loader.add_file(file, Layer::Site)) {
    return err;
  }
  for (const FlagValue& f : request.flags) {
    if (auto err = loader.add_value(f.key, f.value,
                                    Origin{Layer::CommandLine, "command line (" + f.flag + ")"})) {
      return err;
    }
  }
  return std::move(loader).finish();
}

}  // namespace ferry::config
