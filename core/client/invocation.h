// How ferry was called, and which compiler it should run.
//
//   explicit:    ferry gcc -c x.c      (ferry -c x.c means cc, as in distcc)
//   masquerade:  gcc -c x.c, where gcc is a symlink to ferry. PATH is trimmed
//                up to and including the directory ferry was found in, so the
//                real gcc is found next.
//
// A recursion guard (_FERRY_SAFEGUARD, incremented in every child we start)
// stops ferry from calling itself through a masquerade link for ever.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <llvm/Support/Error.h>

namespace ferry::client {

struct Invocation {
  bool masquerade = false;
  std::string compiler;               // as it is run: a name or a path
  std::string compiler_basename;      // selects the plugin
  std::vector<std::string> args;      // after the compiler
  std::optional<std::string> new_path;  // PATH to use when it was trimmed
  int safeguard_level = 0;            // the level we were started at
};

struct InvocationInputs {
  std::vector<std::string> argv;  // our own argv, argv[0] included
  std::string self_exe;           // /proc/self/exe, resolved
  std::string path;               // $PATH
  int safeguard_level = 0;        // $_FERRY_SAFEGUARD
};

// Recursion (exit 111) when ferry is asked, explicitly, to run itself;
// BadArguments when no compiler is given.
llvm::Expected<Invocation> resolve_invocation(const InvocationInputs& in);

// PATH with every element up to and including the first directory whose
// `name` is ferry itself removed. Unchanged when there is none.
std::string trim_path(const std::string& path, const std::string& name,
                      const std::string& self_exe);

}  // namespace ferry::client
