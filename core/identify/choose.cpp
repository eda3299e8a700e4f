#include "identify/choose.h"

#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <climits>
#include <cstdlib>

#include "util/error.h"

namespace ferry::identify {
namespace {

// Driver names that any compiler may sit behind: POSIX's c89/c99, the
// traditional cc/c++, and CC (Sun's C++, but also a common name for "the
// C++ compiler").
constexpr std::array<const char*, 5> k_generic_names = {"cc", "c++", "CC", "c89", "c99"};

std::optional<FileKey> key_of(const std::string& path, const struct stat& st) {
  if (!S_ISREG(st.st_mode) || (st.st_mode & 0111) == 0) {
    return std::nullopt;
  }
  return FileKey{path, static_cast<uint64_t>(st.st_size),
                 static_cast<int64_t>(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec,
                 static_cast<uint64_t>(st.st_ino)};
}

std::string current_dir() {
  char buf[PATH_MAX];
  return ::getcwd(buf, sizeof buf) != nullptr ? std::string(buf) : std::string(".");
}

std::string read_self_exe() {
  char buf[PATH_MAX];
  ssize_t n = ::readlink("/proc/self/exe", buf, sizeof buf - 1);
  return n > 0 ? std::string(buf, static_cast<size_t>(n)) : std::string();
}

llvm::Expected<std::unique_ptr<plugin::LoadedPlugin>> load_chosen(const Choice& c,
                                                                  const std::string& basename) {
  if (c.by == ChosenBy::Name) {
    return plugin::load_claimed(*c.manifest, basename);
  }
  auto loaded = plugin::LoadedPlugin::load(c.manifest->module_path);
  if (!loaded) {
    return loaded.takeError();
  }
  const char* name = (*loaded)->table().name;
  if (name == nullptr || c.manifest->name != name) {
    return make_error(ExitCode::CompilerMissing,
                      "plugin " + c.manifest->module_path + " calls itself '" +
                          (name != nullptr ? name : "") + "' but its manifest " +
                          c.manifest->manifest_path + " says '" + c.manifest->name + "'");
  }
  return loaded;
}

}  // namespace

const char* chosen_by_name(ChosenBy by) {
  switch (by) {
    case ChosenBy::Name: return "name";
    case ChosenBy::Mapping: return "mapping";
    case ChosenBy::Probe: return "probe";
  }
  return "name";
}

llvm::Expected<IdentifyOptions> options_from_env() {
  IdentifyOptions o;
  if (const char* text = std::getenv(k_compiler_map_env)) {
    auto map = parse_compiler_map(text, k_compiler_map_env);
    if (!map) {
      return map.takeError();
    }
    o.map = std::move(*map);
  }
  o.cache_dir = default_cache_dir();
  const char* path = std::getenv("PATH");
  o.path = path != nullptr ? path : "/usr/local/bin:/usr/bin:/bin";
  o.self_exe = read_self_exe();
  return o;
}

bool is_ambiguous(const std::vector<plugin::Manifest>& manifests,
                  const std::string& compiler_basename) {
  for (const char* generic : k_generic_names) {
    if (compiler_basename == generic) {
      return true;
    }
  }
  return plugin::select(manifests, compiler_basename) == nullptr;
}

std::optional<FileKey> locate_compiler(const std::string& compiler, const IdentifyOptions& o) {
  struct stat self {};
  bool have_self = !o.self_exe.empty() && ::stat(o.self_exe.c_str(), &self) == 0;
  auto is_self = [&](const struct stat& st) {
    return have_self && st.st_dev == self.st_dev && st.st_ino == self.st_ino;
  };
  struct stat st {};
  if (compiler.find('/') != std::string::npos) {
    std::string path = compiler[0] == '/' ? compiler : current_dir() + "/" + compiler;
    if (::stat(path.c_str(), &st) != 0 || is_self(st)) {
      return std::nullopt;
    }
    return key_of(path, st);
  }
  std::string_view rest(o.path);
  while (true) {
    size_t colon = rest.find(':');
    std::string dir(rest.substr(0, colon));
    std::string path = (dir.empty() ? current_dir() : dir) + "/" + compiler;
    // A masquerade link to ferry on PATH is not the compiler: skip it.
    if (::stat(path.c_str(), &st) == 0 && !is_self(st)) {
      if (auto key = key_of(path, st)) {
        return key;
      }
    }
    if (colon == std::string_view::npos) {
      return std::nullopt;
    }
    rest.remove_prefix(colon + 1);
  }
}

llvm::Expected<Identity> identify_compiler(const FileKey& key, const std::vector<ProbeRule>& rules,
                                           const IdentifyOptions& o) {
  if (auto cached = read_cached(o.cache_dir, key)) {
    return *cached;
  }
  auto id = run_probe(key.path, rules);
  if (!id) {
    return id.takeError();
  }
  // A cache that cannot be written only costs another probe next time.
  llvm::consumeError(write_cached(o.cache_dir, key, *id));
  return id;
}

llvm::Expected<Identity> identify_path(const std::string& path,
                                       const std::vector<ProbeRule>& rules,
                                       const std::string& cache_dir) {
  IdentifyOptions o;
  o.cache_dir = cache_dir;
  auto key = locate_compiler(path, o);
  if (!key) {
    return make_error(ExitCode::CompilerMissing, path + " is not an executable file");
  }
  return identify_compiler(*key, rules, o);
}

llvm::Expected<Choice> choose(const std::vector<plugin::Manifest>& manifests,
                              const std::string& compiler, const std::string& compiler_basename,
                              const IdentifyOptions& o) {
  if (auto mapped = o.map.lookup(compiler_basename)) {
    const plugin::Manifest* m = plugin::find_by_name(manifests, *mapped);
    if (m == nullptr) {
      return make_error(ExitCode::CompilerMissing,
                        o.map_origin + " maps '" + compiler_basename + "' to plugin '" + *mapped +
                            "', which is not installed");
    }
    return Choice{m, ChosenBy::Mapping, std::nullopt};
  }
  if (is_ambiguous(manifests, compiler_basename)) {
    if (auto key = locate_compiler(compiler, o)) {
      auto id = identify_compiler(*key, probe_rules(manifests), o);
      if (id) {
        const plugin::Manifest* m =
            id->plugin.empty() ? nullptr : plugin::find_by_name(manifests, id->plugin);
        if (m != nullptr) {
          return Choice{m, ChosenBy::Probe, *id};
        }
      } else {
        // Not fatal: the name globs may still know the compiler. But a
        // compiler that hung on the probe will hang on the compile too:
        // say so now rather than guess.
        ErrorSummary s = summarize(id.takeError());
        if (s.code == ExitCode::Timeout) {
          return make_error(s.code, s.message);
        }
      }
    }
  }
  if (const plugin::Manifest* m = plugin::select(manifests, compiler_basename)) {
    return Choice{m, ChosenBy::Name, std::nullopt};
  }
  return make_error(ExitCode::CompilerMissing,
                    "no plugin claims compiler '" + compiler_basename + "'");
}

llvm::Expected<std::unique_ptr<plugin::LoadedPlugin>> load_for_compiler(
    const std::vector<std::string>& dirs, const std::string& compiler,
    const std::string& compiler_basename, const IdentifyOptions& o) {
  auto manifests = plugin::scan(dirs);
  if (!manifests) {
    return manifests.takeError();
  }
  auto choice = choose(*manifests, compiler, compiler_basename, o);
  if (!choice) {
    ErrorSummary s = summarize(choice.takeError());
    if (s.code == ExitCode::Timeout) {
      return make_error(s.code, s.message);  // the plugin directories are not the problem
    }
    return make_error(s.code, s.message + " (searched: " + plugin::join_dirs(dirs) + ")");
  }
  return load_chosen(*choice, compiler_basename);
}

}  // namespace ferry::identify
