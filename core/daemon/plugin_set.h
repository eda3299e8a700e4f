// Every compiler plugin the daemon found at start-up, loaded once.
//
// Unlike the client, which loads only the plugin its compiler selects,
// ferryd serves any compiler a client asks for, so it loads them all up
// front (a fork()ed job child then inherits them for free). A plugin that
// fails to load is logged and skipped; the rest still serve.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "daemon/daemon_log.h"
#include "plugin/loader.h"

namespace ferry::daemon {

class PluginSet {
 public:
  // Reads every NAME.plugin manifest in the directories (in order) and
  // loads its module. A plugin name already loaded from an earlier
  // directory is skipped, as the client's search order would.
  static PluginSet load(const std::vector<std::string>& dirs,
                        const DaemonLog& log);

  // The first plugin whose claims() accepts this bare compiler name.
  const plugin::LoadedPlugin* claimant(const std::string& compiler) const;
  size_t size() const { return m_plugins.size(); }
  // "gcc, clang" for messages.
  std::string names() const;

 private:
  std::vector<std::unique_ptr<plugin::LoadedPlugin>> m_plugins;
};

// The install/build plugin directory (beside the executable), then
// FERRY_PLUGIN_PATH, then each --plugin-path.
std::vector<std::string> daemon_plugin_dirs(
    const std::vector<std::string>& extra_dirs);

}  // namespace ferry::daemon
