#include "daemon/compiler_policy.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cctype>
#include <climits>
#include <cstdlib>

#include "exec/spawn.h"
#include "util/error.h"

namespace ferry::daemon {
namespace {

bool starts_with_nocase(std::string_view s, std::string_view prefix) {
  if (s.size() < prefix.size()) {
    return false;
  }
  for (size_t i = 0; i < prefix.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(s[i])) != prefix[i]) {
      return false;
    }
  }
  return true;
}

llvm::Error refuse(std::string why) {
  return make_error(ExitCode::AccessDenied, std::move(why));
}

std::string quoted(std::string_view s) { return "'" + std::string(s) + "'"; }

// True when the program is really ferry or distcc under a compiler's name
// (a masquerade directory early on the daemon's PATH).
bool is_distributor(const std::string& path) {
  char real[PATH_MAX];
  if (::realpath(path.c_str(), real) == nullptr) {
    return false;
  }
  std::string_view r = real;
  std::string_view base = r.substr(r.rfind('/') + 1);
  return base == "ferry" || base == "distcc";
}

}  // namespace

std::string strip_compat_prefix(std::string_view requested) {
  // distccd compares these case-insensitively; so do we.
  for (std::string_view prefix : {"/usr/bin/", "/bin/"}) {
    if (starts_with_nocase(requested, prefix)) {
      return std::string(requested.substr(prefix.size()));
    }
  }
  return std::string(requested);
}

llvm::Expected<CompilerChoice> choose_compiler(std::string_view requested,
                                               const PluginSet& plugins,
                                               const std::string& search_path) {
  CompilerChoice choice;
  choice.name = strip_compat_prefix(requested);
  if (choice.name.empty() || choice.name == "." || choice.name == "..") {
    return refuse("compiler name " + quoted(requested) + " is not a program name");
  }
  if (choice.name.find('/') != std::string::npos) {
    return refuse("compiler " + quoted(requested) +
                  " must be a bare name, not a path");
  }
  choice.plugin = plugins.claimant(choice.name);
  if (choice.plugin == nullptr) {
    return refuse("compiler " + quoted(choice.name) +
                  " is not claimed by any plugin");
  }
  choice.path = exec::find_program(choice.name, search_path);
  if (choice.path.empty()) {
    return refuse("compiler " + quoted(choice.name) +
                  " is not on the daemon's PATH");
  }
  struct stat st{};
  // A relative PATH entry would make the daemon's cwd decide what runs.
  if (choice.path[0] != '/' || ::stat(choice.path.c_str(), &st) != 0 ||
      !S_ISREG(st.st_mode) || ::access(choice.path.c_str(), X_OK) != 0) {
    return refuse("compiler " + quoted(choice.name) + " resolves to " +
                  quoted(choice.path) + ", not an absolute executable file");
  }
  if (is_distributor(choice.path)) {
    return refuse("compiler " + quoted(choice.name) + " resolves to " +
                  quoted(choice.path) +
                  ", a link to ferry or distcc: fix the daemon's PATH");
  }
  return choice;
}

std::string compiler_search_path() {
  for (const char* name : {"DISTCCD_PATH", "PATH"}) {
    const char* v = std::getenv(name);
    if (v != nullptr && *v != '\0') {
      return v;
    }
  }
  return "/usr/local/bin:/usr/bin:/bin";
}

}  // namespace ferry::daemon
