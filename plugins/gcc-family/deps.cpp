// Dependency files, byte for byte as a local gcc compile writes them.
//
// The problem. The local preprocessor runs as `gcc ... -E` with no -o (it
// writes to stdout), but gcc's driver derives both the name of the .d file
// and the target inside it from -o. gcc 12 (`gcc -### -MD -c src/a.c -o
// build/a.o`) hands cc1:
//
//     -MD build/a.d -MQ build/a.o
//
// i.e. the spec `%{MD:-MD %{!o:%b.d}%{o*:%.d%*}}` plus `-MQ <output>` when
// there is no -MT/-MQ. Under -E without -o the same command writes ./a.d with
// the target `a.o:` (what distcc does, its FAQ "Problems with gcc -MD").
//
// The fix is to say explicitly what the driver would have said:
//  - -MD/-MMD and no -MF: add `-MF <object with its last suffix replaced by
//    .d>` (build/a.x.o -> build/a.x.d; build/a -> build/a.d; .hidden -> .d;
//    -S -o x.s -> x.d). Without -o the driver uses %b.d: the input's base
//    name, suffix replaced, in the current directory, for -c and -S alike.
//  - -MD/-MMD, an explicit -o, and neither -MT nor -MQ: add `-MQ <object>`.
//    -MQ, not -MT: the driver quotes its default target (`a$ b.o` becomes
//    `a$$\ b.o`), and so does -MQ. The driver adds -MQ even when -MF is
//    given. Without -o it adds none, and cpp's default target is the input's
//    base name with .o, for -S too (`gcc -MD -S a.c` writes `a.o: ...`), which
//    is exactly what the preprocessor run prints without our help.
//  - -MF, -MT, -MQ, -MP, -MG, -MD, -MMD themselves go to the preprocessor only.
//
// -Wp,-MD,FILE and -Wp,-MMD,FILE (the Linux kernel's style) bypass the driver:
// cc1 gets `-MD FILE` and uses its default target (input base name + .o)
// for -c and -E alike, so they pass through unchanged. Driver -MD and a raw
// -Wp,-M... together are left local: two writers of dependency output.
//
// A preprocessed input (.i, .ii) runs no preprocessor, and gcc writes no .d
// for it (checked: `gcc -MD -c x.i` writes nothing), so the planner asks for
// no dependency plan then.
#include "deps.h"

#include "language.h"

namespace ferry::gcc_family {

DepPlan plan_dependencies(const DepRequest& request) {
  DepPlan plan;
  if (request.driver_md) {
    if (request.mf) {
      plan.dep_file = request.mf;
    } else {
      std::string d = request.explicit_object
                          ? replace_extension(*request.explicit_object, ".d")
                          : replace_extension(base_name(request.input), ".d");
      plan.extra_cpp_args = {"-MF", d};
      plan.dep_file = d;
    }
    if (request.explicit_object && !request.has_target) {
      plan.extra_cpp_args.push_back("-MQ");
      plan.extra_cpp_args.push_back(*request.explicit_object);
    }
  } else if (request.raw_dep_file) {
    plan.dep_file = request.raw_dep_file;
  }
  return plan;
}

RawPreprocessorDeps scan_raw_preprocessor_args(const std::vector<std::string>& items) {
  RawPreprocessorDeps out;
  bool writes = false;  // -MF alone names a file but writes nothing
  std::optional<std::string> file;  // cc1: the last -MD/-MMD/-MF file wins
  for (size_t i = 0; i < items.size(); ++i) {
    const std::string& a = items[i];
    if (a == "-M" || a == "-MM") {
      out.any = true;
      out.preprocess_only = true;
    } else if (a == "-MD" || a == "-MMD" || a == "-MF") {
      out.any = true;
      writes = writes || a != "-MF";
      if (i + 1 >= items.size()) {
        out.error = a + " passed to the preprocessor without a file";
        return out;
      }
      file = items[++i];
    } else if (a == "-MT" || a == "-MQ") {
      out.any = true;
      ++i;  // the target
    } else if (a == "-P" || a == "-C" || a == "-CC" || (a.size() > 2 && a.rfind("-d", 0) == 0)) {
      out.alters_preprocessed_text = a;
    } else if (a == "-traditional" || a == "-traditional-cpp") {
      out.traditional = true;
    } else if (a.rfind("-M", 0) == 0) {
      out.any = true;  // -MP, -MG, -MFfile, -MTtarget, ...
      if (a.rfind("-MF", 0) == 0) {
        file = a.substr(3);
      }
    }
  }
  if (writes) {
    out.dep_file = file;
  }
  return out;
}

}  // namespace ferry::gcc_family
