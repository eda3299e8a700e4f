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
  // Predefined macros that identify the plugin's compiler when a probe runs
  // on an ambiguous name ("identify __SUNPRO_C"); see core/identify.
  std::vector<std::string> identify;
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

// The manifest whose `name` is plugin_name, or nullptr (first in search
// order, as select() would pick).
const Manifest* find_by_name(const std::vector<Manifest>& manifests,
                             const std::string& plugin_name);

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

// Loads the plugin of a manifest chosen by select(): its claims() must
// agree with the manifest about compiler_basename, or the load is refused
// (a manifest out of step with its module is a bug).
llvm::Expected<std::unique_ptr<LoadedPlugin>> load_claimed(
    const Manifest& manifest, const std::string& compiler_basename);

// "dir1:dir2" for messages.
std::string join_dirs(const std::vector<std::string>& dirs);

}  // namespace ferry::plugin
