// Finding and loading compiler plugins.
//
// Each plugin directory holds NAME.so with a manifest NAME.plugin beside it
// that lists the compiler names (shell globs) the plugin claims. Selecting a
// plugin reads the small manifests only; the one module chosen is then
// dlopen'ed (RTLD_NOW | RTLD_LOCAL), its single entry symbol resolved and its
// ABI version checked. Every failure is one line and includes dlerror().
#pragma once

#include <memory>
#include <string>
#include <vector>

#include <llvm/Support/Error.h>

#include "ferry/plugin.h"

namespace ferry::plugin {

struct Manifest {
  std::string name;                 // "gcc"
  std::string module_path;          // ".../gcc.so"
  std::string manifest_path;        // ".../gcc.plugin"
  std::vector<std::string> claims;  // globs: "gcc", "*-gcc-[0-9]*", ...
};

// The directories searched, in order: the build/install plugin directory
// (found relative to the running executable: <exe>/../lib/ferry/plugins),
// then each entry of FERRY_PLUGIN_PATH (colon-separated).
std::vector<std::string> plugin_dirs(const std::string& exe_path,
                                     const char* ferry_plugin_path);

// Reads a manifest file. BadArguments on a malformed line (file:line: why).
llvm::Expected<Manifest> read_manifest(const std::string& manifest_path);

// All manifests in the directories, in search order (a missing directory is
// skipped; a broken manifest is an error).
llvm::Expected<std::vector<Manifest>> scan(const std::vector<std::string>& dirs);

// The first manifest with a glob matching the compiler's basename, or
// nullptr.
const Manifest* select(const std::vector<Manifest>& manifests,
                       const std::string& compiler_basename);

// A loaded plugin. Unloads (dlclose) when destroyed.
class LoadedPlugin {
 public:
  ~LoadedPlugin();
  LoadedPlugin(const LoadedPlugin&) = delete;
  LoadedPlugin& operator=(const LoadedPlugin&) = delete;
  const ferry_plugin& table() const { return *m_table; }
  const std::string& path() const { return m_path; }

  // dlopen + dlsym(FERRY_PLUGIN_ENTRY_NAME) + ABI check.
  // CompilerMissing with a one-line message on any failure.
  static llvm::Expected<std::unique_ptr<LoadedPlugin>> load(
      const std::string& module_path);

 private:
  LoadedPlugin(void* handle, const ferry_plugin* table, std::string path)
      : m_handle(handle), m_table(table), m_path(std::move(path)) {}
  void* m_handle;
  const ferry_plugin* m_table;
  std::string m_path;
};

// scan + select + load, and a final check that the plugin's claims()
// agrees. CompilerMissing "no plugin claims compiler 'x' (searched: ...)".
llvm::Expected<std::unique_ptr<LoadedPlugin>> load_for_compiler(
    const std::vector<std::string>& dirs, const std::string& compiler_basename);

}  // namespace ferry::plugin
