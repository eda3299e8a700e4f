// Dependency files, as a local Sun compile writes them.
//
// Sun's format is not make's: one `target: dependency` pair per line, with
// spaces in names left as they are (`hello.o: /usr/include/stdio.h`), the
// source itself on the first line. -xMD lists every header, -xMMD leaves out
// the system headers; both compile as well. The file is the -xMF value, else
// "derived from the -o output filename, if specified, or the input source
// filename, replacing (or adding) the filename suffix with .d" (C User's
// Guide, -xMD), and it is overwritten.
//
// The problem is the one gcc has: the local preprocessing run is `cc -E`
// with no -o (Sun's -E writes to stdout and does not take -o at all), so the
// driver would derive the file name from the input instead of the object.
// The fix is to name the file explicitly with -xMF, computed exactly as the
// driver would have. The target inside needs no help: Sun has no option to
// set it; -xMD writes "like -xM", whose target is the source's base name
// with .o, with or without -o — so `cc -E` writes the same lines.
//
// SUNPRO_DEPENDENCIES="FILE [TARGET]" in the environment makes the
// preprocessor append the same kind of lines to FILE (Sun make's
// .KEEP_STATE uses it). The local `cc -E` inherits the environment and
// appends exactly what a local compile would, so nothing is rewritten.
#include "deps.h"

#include "planner.h"

namespace ferry::suncc {

DepPlan plan_dependencies(const DepRequest& request) {
  DepPlan plan;
  if (!request.md) {
    return plan;
  }
  if (request.mf) {
    plan.dep_file = request.mf;
    return plan;
  }
  std::string d = request.explicit_object ? replace_extension(*request.explicit_object, ".d")
                                          : replace_extension(base_name(request.input), ".d");
  plan.extra_cpp_args = {"-xMF", d};
  plan.dep_file = d;
  return plan;
}

}  // namespace ferry::suncc
