#include "plugin/loader.h"

#include <dirent.h>
#include <dlfcn.h>
#include <fnmatch.h>

#include <algorithm>
#include <fstream>

#include "util/error.h"

namespace ferry::plugin {
namespace {

constexpr std::string_view kManifestSuffix = ".plugin";

std::string_view trim(std::string_view s) {
  size_t b = s.find_first_not_of(" \t\r");
  if (b == std::string_view::npos) {
    return {};
  }
  size_t e = s.find_last_not_of(" \t\r");
  return s.substr(b, e - b + 1);
}

std::string dir_of(const std::string& path) {
  size_t slash = path.rfind('/');
  return slash == std::string::npos ? std::string(".") : path.substr(0, slash);
}

std::string dl_error() {
  const char* e = dlerror();
  return e != nullptr ? e : "no further detail";
}

}  // namespace

std::vector<std::string> plugin_dirs(const std::string& exe_path,
                                     const char* ferry_plugin_path) {
  std::vector<std::string> dirs;
  if (!exe_path.empty()) {
    // <prefix>/bin/ferry -> <prefix>/lib/ferry/plugins, in the build tree
    // and when installed alike.
    dirs.push_back(dir_of(dir_of(exe_path)) + "/lib/ferry/plugins");
  }
  if (ferry_plugin_path != nullptr) {
    std::string_view rest(ferry_plugin_path);
    while (!rest.empty()) {
      size_t colon = rest.find(':');
      std::string_view item = rest.substr(0, colon);
      if (!item.empty()) {
        dirs.emplace_back(item);
      }
      if (colon == std::string_view::npos) {
        break;
      }
      rest.remove_prefix(colon + 1);
    }
  }
  return dirs;
}

llvm::Expected<Manifest> read_manifest(const std::string& manifest_path) {
  std::ifstream in(manifest_path);
  if (!in) {
    return make_error(ExitCode::CompilerMissing,
                      "cannot read plugin manifest " + manifest_path);
  }
  Manifest m;
  m.manifest_path = manifest_path;
  std::string file = manifest_path.substr(manifest_path.rfind('/') + 1);
  std::string stem = file.substr(0, file.size() - kManifestSuffix.size());
  m.name = stem;
  m.module_path = dir_of(manifest_path) + "/" + stem + ".so";
  std::string line;
  int lineno = 0;
  while (std::getline(in, line)) {
    ++lineno;
    std::string_view l = trim(line);
    if (l.empty() || l.front() == '#') {
      continue;
    }
    size_t space = l.find_first_of(" \t");
    std::string_view key = l.substr(0, space);
    std::string_view value =
        space == std::string_view::npos ? std::string_view() : trim(l.substr(space));
    if (value.empty() || value.find_first_of(" \t") != std::string_view::npos) {
      return make_error(ExitCode::BadArguments,
                        manifest_path + ":" + std::to_string(lineno) +
                            ": expected 'KEY VALUE' with one value");
    }
    if (key == "name") {
      m.name = std::string(value);
    } else if (key == "claim") {
      m.claims.emplace_back(value);
    } else if (key == "identify") {
      m.identify.emplace_back(value);
    } else {
      return make_error(ExitCode::BadArguments,
                        manifest_path + ":" + std::to_string(lineno) +
                            ": unknown keyword '" + std::string(key) +
                            "' (expected 'name', 'claim' or 'identify')");
    }
  }
  return m;
}

llvm::Expected<std::vector<Manifest>> scan(const std::vector<std::string>& dirs) {
  std::vector<Manifest> out;
  for (const auto& dir : dirs) {
    DIR* d = ::opendir(dir.c_str());
    if (d == nullptr) {
      continue;  // a plugin directory that does not exist is not an error
    }
    std::vector<std::string> files;
    while (const dirent* e = ::readdir(d)) {
      std::string_view n(e->d_name);
      if (n.size() > kManifestSuffix.size() && n.ends_with(kManifestSuffix)) {
        files.emplace_back(n);
      }
    }
    ::closedir(d);
    std::sort(files.begin(), files.end());
    for (const auto& f : files) {
      auto m = read_manifest(dir + "/" + f);
      if (!m) {
        return m.takeError();
      }
      out.push_back(std::move(*m));
    }
  }
  return out;
}

const Manifest* select(const std::vector<Manifest>& manifests,
                       const std::string& compiler_basename) {
  for (const auto& m : manifests) {
    for (const auto& glob : m.claims) {
      if (::fnmatch(glob.c_str(), compiler_basename.c_str(), 0) == 0) {
        return &m;
      }
    }
  }
  return nullptr;
}

const Manifest* find_by_name(const std::vector<Manifest>& manifests,
                             const std::string& plugin_name) {
  for (const auto& m : manifests) {
    if (m.name == plugin_name) {
      return &m;
    }
  }
  return nullptr;
}

std::string join_dirs(const std::vector<std::string>& dirs) {
  std::string out;
  for (const auto& d : dirs) {
    out += (out.empty() ? "" : ":") + d;
  }
  return out;
}

LoadedPlugin::~LoadedPlugin() {
  if (m_handle != nullptr) {
    ::dlclose(m_handle);
  }
}

llvm::Expected<std::unique_ptr<LoadedPlugin>> LoadedPlugin::load(
    const std::string& module_path) {
  dlerror();  // clear any stale message
  void* handle = ::dlopen(module_path.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (handle == nullptr) {
    return make_error(ExitCode::CompilerMissing,
                      "cannot load plugin " + module_path + ": " + dl_error());
  }
  // Closes the handle on every early return below.
  std::unique_ptr<void, int (*)(void*)> guard(handle, ::dlclose);
  void* sym = ::dlsym(handle, FERRY_PLUGIN_ENTRY_NAME);
  if (sym == nullptr) {
    return make_error(ExitCode::CompilerMissing,
                      "plugin " + module_path + " has no entry symbol '" +
                          FERRY_PLUGIN_ENTRY_NAME + "': " + dl_error());
  }
  auto entry = reinterpret_cast<ferry_plugin_entry_fn>(sym);
  const ferry_plugin* table = entry();
  if (table == nullptr) {
    return make_error(ExitCode::CompilerMissing,
                      "plugin " + module_path + ": entry point returned no table");
  }
  if (table->abi_version != FERRY_PLUGIN_ABI_VERSION) {
    return make_error(ExitCode::CompilerMissing,
                      "plugin " + module_path + " was built for plugin ABI version " +
                          std::to_string(table->abi_version) + ", this ferry needs " +
                          std::to_string(FERRY_PLUGIN_ABI_VERSION) + " (rebuild it)");
  }
  if (table->struct_size < sizeof(ferry_plugin) || table->name == nullptr ||
      table->claims == nullptr || table->plan == nullptr ||
      table->free_plan == nullptr || table->server_check == nullptr ||
      table->free_server_job == nullptr) {
    return make_error(ExitCode::CompilerMissing,
                      "plugin " + module_path + " has an incomplete function table");
  }
  guard.release();
  return std::unique_ptr<LoadedPlugin>(new LoadedPlugin(handle, table, module_path));
}

llvm::Expected<std::unique_ptr<LoadedPlugin>> load_for_compiler(
    const std::vector<std::string>& dirs, const std::string& compiler_basename) {
  auto manifests = scan(dirs);
  if (!manifests) {
    return manifests.takeError();
  }
  const Manifest* m = select(*manifests, compiler_basename);
  if (m == nullptr) {
    return make_error(ExitCode::CompilerMissing,
                      "no plugin claims compiler '" + compiler_basename +
                          "' (searched: " + join_dirs(dirs) + ")");
  }
  return load_claimed(*m, compiler_basename);
}

llvm::Expected<std::unique_ptr<LoadedPlugin>> load_claimed(
    const Manifest& manifest, const std::string& compiler_basename) {
  auto loaded = LoadedPlugin::load(manifest.module_path);
  if (!loaded) {
    return loaded.takeError();
  }
  if ((*loaded)->table().claims(compiler_basename.c_str()) == 0) {
    return make_error(ExitCode::CompilerMissing,
                      "plugin " + manifest.module_path + " does not claim '" +
                          compiler_basename + "' although its manifest " +
                          manifest.manifest_path + " does");
  }
  return loaded;
}

}  // namespace ferry::plugin
