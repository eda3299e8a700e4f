#include "client/invocation.h"

#include <sys/stat.h>

#include "util/error.h"

namespace ferry::client {
namespace {

std::string basename_of(const std::string& p) {
  size_t slash = p.rfind('/');
  return slash == std::string::npos ? p : p.substr(slash + 1);
}

// Same file (device and inode), following symlinks.
bool same_file(const std::string& a, const std::string& b) {
  struct stat sa {};
  struct stat sb {};
  return ::stat(a.c_str(), &sa) == 0 && ::stat(b.c_str(), &sb) == 0 &&
         sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

bool is_plain_file(const std::string& p) {
  struct stat st {};
  return ::stat(p.c_str(), &st) == 0 && S_ISREG(st.st_mode) && (st.st_mode & 0111) == 0;
}

std::vector<std::string> split_path(const std::string& path) {
  std::vector<std::string> out;
  size_t start = 0;
  while (true) {
    size_t colon = path.find(':', start);
    out.push_back(path.substr(start, colon == std::string::npos ? colon : colon - start));
    if (colon == std::string::npos) {
      return out;
    }
    start = colon + 1;
  }
}

}  // namespace

std::string trim_path(const std::string& path, const std::string& name,
                      const std::string& self_exe) {
  std::vector<std::string> dirs = split_path(path);
  for (size_t i = 0; i < dirs.size(); ++i) {
    std::string dir = dirs[i].empty() ? "." : dirs[i];
    if (same_file(dir + "/" + name, self_exe)) {
      std::string out;
      for (size_t j = i + 1; j < dirs.size(); ++j) {
        out += (j == i + 1 ? "" : ":") + dirs[j];
      }
      return out;
    }
  }
  return path;
}

llvm::Expected<Invocation> resolve_invocation(const InvocationInputs& in) {
  Invocation inv;
  inv.safeguard_level = in.safeguard_level;
  std::string self_name = basename_of(in.argv.empty() ? std::string("ferry") : in.argv[0]);
  inv.masquerade = self_name.rfind("ferry", 0) != 0;

  size_t first_arg = 1;
  if (inv.masquerade) {
    inv.compiler = self_name;
  } else {
    if (in.argv.size() < 2) {
      return make_error(ExitCode::BadArguments,
                        "no compiler given (usage: ferry COMPILER ARGS..., see ferry --help)");
    }
    const std::string& first = in.argv[1];
    // As distcc: "ferry -c x.c" and "ferry x.c" mean "cc ...".
    if (first.starts_with('-') || is_plain_file(first)) {
      inv.compiler = "cc";
    } else {
      inv.compiler = first;
      first_arg = 2;
    }
  }
  inv.args.assign(in.argv.begin() + static_cast<long>(std::min(first_arg, in.argv.size())),
                  in.argv.end());
  inv.compiler_basename = basename_of(inv.compiler);

  if (inv.compiler.find('/') != std::string::npos) {
    if (same_file(inv.compiler, in.self_exe)) {
      return make_error(ExitCode::Recursion,
                        "'" + inv.compiler + "' is ferry itself, not a compiler");
    }
    return inv;
  }
  // Skip masquerade links to ferry on PATH (explicit mode too: "ferry gcc"
  // with a gcc -> ferry link first on PATH must find the real gcc).
  std::string trimmed = trim_path(in.path, inv.compiler, in.self_exe);
  if (trimmed != in.path) {
    inv.new_path = trimmed;
  }
  if (inv.compiler_basename.rfind("ferry", 0) == 0) {
    return make_error(ExitCode::Recursion, "ferry cannot distribute itself ('" +
                                               inv.compiler + "' is not a compiler)");
  }
  return inv;
}

}  // namespace ferry::client
