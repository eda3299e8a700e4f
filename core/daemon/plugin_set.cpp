#include "daemon/plugin_set.h"

#include <dirent.h>
#include <unistd.h>

#include <algorithm>
#include <climits>
#include <cstdlib>
#include <set>

#include "util/error.h"

namespace ferry::daemon {
namespace {

// The manifests of one directory, sorted so the load order is stable. We
// read them one by one rather than through plugin::scan() so that one bad
// manifest costs only its own plugin.
std::vector<std::string> manifests_in(const std::string& dir) {
  std::vector<std::string> out;
  DIR* d = ::opendir(dir.c_str());
  if (d == nullptr) {
    return out;
  }
  while (const dirent* e = ::readdir(d)) {
    std::string name = e->d_name;
    const std::string ext = ".plugin";
    if (name.size() > ext.size() &&
        name.compare(name.size() - ext.size(), ext.size(), ext) == 0) {
      out.push_back(dir + "/" + name);
    }
  }
  ::closedir(d);
  std::sort(out.begin(), out.end());
  return out;
}

std::string executable_path() {
  char buf[PATH_MAX];
  ssize_t n = ::readlink("/proc/self/exe", buf, sizeof buf - 1);
  return n > 0 ? std::string(buf, static_cast<size_t>(n)) : std::string();
}

}  // namespace

PluginSet PluginSet::load(const std::vector<std::string>& dirs,
                          const DaemonLog& log) {
  PluginSet set;
  std::set<std::string> seen;
  for (const std::string& dir : dirs) {
    for (const std::string& manifest_path : manifests_in(dir)) {
      auto manifest = plugin::read_manifest(manifest_path);
      if (!manifest) {
        log.line("plugin skipped: " + summarize(manifest.takeError()).message);
        continue;
      }
      if (!seen.insert(manifest->name).second) {
        log.debug("plugin " + manifest->name + " at " + manifest->module_path +
                  " shadowed by an earlier directory");
        continue;
      }
      auto loaded = plugin::LoadedPlugin::load(manifest->module_path);
      if (!loaded) {
        log.line("plugin skipped: " + summarize(loaded.takeError()).message);
        continue;
      }
      log.debug("plugin " + manifest->name + " loaded from " +
                manifest->module_path);
      set.m_plugins.push_back(std::move(*loaded));
    }
  }
  return set;
}

const plugin::LoadedPlugin* PluginSet::claimant(const std::string& compiler) const {
  for (const auto& p : m_plugins) {
    const ferry_plugin& t = p->table();
    if (t.claims != nullptr && t.claims(compiler.c_str()) != 0) {
      return p.get();
    }
  }
  return nullptr;
}

std::string PluginSet::names() const {
  std::string out;
  for (const auto& p : m_plugins) {
    if (!out.empty()) {
      out += ", ";
    }
    out += p->table().name != nullptr ? p->table().name : p->path();
  }
  return out;
}

std::vector<std::string> daemon_plugin_dirs(
    const std::vector<std::string>& extra_dirs) {
  std::vector<std::string> dirs =
      plugin::plugin_dirs(executable_path(), std::getenv("FERRY_PLUGIN_PATH"));
  dirs.insert(dirs.end(), extra_dirs.begin(), extra_dirs.end());
  return dirs;
}

}  // namespace ferry::daemon
