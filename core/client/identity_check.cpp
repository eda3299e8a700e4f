#include "client/identity_check.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <ctime>

#include "identify/choose.h"
#include "identify/identity_cache.h"
#include "plugin/loader.h"
#include "util/error.h"
#include "util/unique_fd.h"

namespace ferry::client {
namespace {

std::string memo_dir(const std::string& state_root) { return state_root + "/identity"; }

std::string memo_path(const std::string& state_root, const std::string& host_key,
                      const std::string& remote_compiler, const std::string& local_identity) {
  return memo_dir(state_root) + "/mismatch_" + host_key + "_" +
         identify::stable_hash(remote_compiler + "\n" + local_identity);
}

}  // namespace

llvm::Expected<std::string> local_identity(const std::string& compiler,
                                           const std::vector<std::string>& plugin_dirs) {
  auto options = identify::options_from_env();
  if (!options) {
    return options.takeError();
  }
  auto key = identify::locate_compiler(compiler, *options);
  if (!key) {
    return make_error(ExitCode::CompilerMissing,
                      "cannot find the compiler '" + compiler + "' to identify it");
  }
  // The manifests teach the probe out-of-tree compilers, as for a ferryd.
  auto manifests = plugin::scan(plugin_dirs);
  std::vector<plugin::Manifest> none;
  if (!manifests) {
    llvm::consumeError(manifests.takeError());
  }
  auto id = identify::identify_compiler(*key, identify::probe_rules(manifests ? *manifests : none),
                                        *options);
  if (!id) {
    return id.takeError();
  }
  std::string text = identify::identity_text(*id);
  if (text.empty()) {
    return make_error(ExitCode::CompilerMissing,
                      "the probe does not recognise " + key->path + ", so it has no identity");
  }
  return text;
}

std::optional<std::string> remembered_mismatch(const std::string& state_root,
                                               const std::string& host_key,
                                               const std::string& remote_compiler,
                                               const std::string& local_identity) {
  if (state_root.empty()) {
    return std::nullopt;
  }
  std::string path = memo_path(state_root, host_key, remote_compiler, local_identity);
  UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  struct stat st {};
  if (!fd.valid() || ::fstat(fd.get(), &st) != 0 ||
      std::time(nullptr) - st.st_mtime >= k_mismatch_memory.count()) {
    return std::nullopt;
  }
  char buf[2048];
  ssize_t n = ::read(fd.get(), buf, sizeof buf);
  if (n <= 0 || buf[n - 1] != '\n') {
    return std::nullopt;
  }
  return std::string(buf, static_cast<size_t>(n) - 1);
}

void remember_mismatch(const std::string& state_root, const std::string& host_key,
                       const std::string& remote_compiler, const std::string& local_identity,
                       const std::string& host_identity) {
  if (state_root.empty()) {
    return;
  }
  ::mkdir(memo_dir(state_root).c_str(), 0777);
  std::string path = memo_path(state_root, host_key, remote_compiler, local_identity);
  std::string tmp = path + ".tmp." + std::to_string(::getpid());
  std::string line = host_identity + "\n";
  {
    UniqueFd fd(::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644));
    if (!fd.valid() ||
        ::write(fd.get(), line.data(), line.size()) != static_cast<ssize_t>(line.size())) {
      ::unlink(tmp.c_str());
      return;
    }
  }
  if (::rename(tmp.c_str(), path.c_str()) != 0) {
    ::unlink(tmp.c_str());
  }
}

}  // namespace ferry::client
