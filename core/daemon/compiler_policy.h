// Which compiler a request may run, and where it lives.
//
// distcc's CVE-2004-2687 was a daemon that ran whatever argv[0] a client
// sent. ferryd runs a compiler only when all of these hold:
//  - argv[0] is a bare name. "/usr/bin/" and "/bin/" prefixes are stripped
//    first, as distccd does for QtCreator (distcc #279); any other '/' is
//    refused, so a client can never name a path;
//  - a loaded plugin claims the name (so the plugin's server_check will
//    vet the rest of argv);
//  - the name resolves on the daemon's own PATH (DISTCCD_PATH when set) to
//    an absolute executable that is not a distributor (ferry, distcc)
//    masquerading as the compiler, which would forward the job again.
#pragma once

#include <string>
#include <string_view>

#include <llvm/Support/Error.h>

#include "daemon/plugin_set.h"

namespace ferry::daemon {

struct CompilerChoice {
  std::string name;  // the bare name, after stripping /usr/bin/ or /bin/
  std::string path;  // absolute path found on the search path
  const plugin::LoadedPlugin* plugin = nullptr;
};

// "/usr/bin/gcc" → "gcc", "/bin/cc" → "cc"; anything else unchanged.
std::string strip_compat_prefix(std::string_view requested);

// AccessDenied with the reason on refusal ("compiler 'sh' is not claimed by
// any plugin", ...).
llvm::Expected<CompilerChoice> choose_compiler(std::string_view requested,
                                               const PluginSet& plugins,
                                               const std::string& search_path);

// DISTCCD_PATH when set (as distccd), else PATH, else the default path.
std::string compiler_search_path();

}  // namespace ferry::daemon
