// The suncc planner: Sun/Oracle Studio `cc`, which is not gcc.
//
// How a distributed Sun C compile works here. The client runs Sun's
// preprocessor as `cc <cpp args> -E src/a.c`, which writes the text to
// stdout: Sun's -E never takes -o (distcc strips it for that reason), so
// the plan never says `-E -o`. The volunteer runs `suncc <compile args> -c
// src/a.i -o build/a.o`; Sun's driver compiles a .i without preprocessing it
// again. The remote name is `suncc`, not `cc`: on a volunteer that also has
// gcc, `cc` belongs to the gcc plugin, and Oracle Studio on Linux installs
// `suncc` precisely to sit beside gcc's `cc`.
//
// C only. Sun's C++ driver `CC` cannot compile templates from separately
// preprocessed text (definitions-separate template model: it looks for
// template definition files beside headers, which -E neither inlines nor
// lists), so every CC job runs locally, with that reason.
//
// Kept local, with a counted reason: -E, -P, -xM, -xM1 (preprocessing or
// dependencies only), no -c (linking), -S (assembler output), driver
// queries (-V, -#, -###, -xhelp=, -flags), options or programs handed to
// compiler phases (-Qoption, -Y*, -W*), -xprofile* (profile files of this
// host), -xpch* (precompiled headers of this host), -keeptmp/-xsb/-xsbfast
// (files besides the object), -xe (no object), -xipo (link-time code
// generation), -native/-fast and -xtarget/-xarch/-xchip/-xcache=native (this
// host's CPU), autoconf probes, anything that is not exactly one .c or .i
// input to one object, and -xMF - (dependencies on stdout would mix with the
// preprocessed text).
#include "planner.h"

#include <algorithm>
#include <map>

#include "deps.h"
#include "ferry/sdk/verdicts.h"
#include "options.h"

namespace ferry::suncc {
namespace {

constexpr uint8_t k_cpp = FERRY_ARG_CPP;
constexpr uint8_t k_remote = FERRY_ARG_REMOTE;
constexpr uint8_t k_both = FERRY_ARG_CPP | FERRY_ARG_REMOTE;

using sdk::Local;
using sdk::local_plan;

uint8_t tags_for(Opt opt) {
  switch (opt) {
    case Opt::Compile:
    case Opt::Assemble:
    case Opt::Output:
      return k_remote;
    case Opt::Cpp:
    case Opt::DepsMD:
    case Opt::DepsFile:
    case Opt::DepsOnly:
    case Opt::Preprocess:
    // Link-only options do nothing under -c; the local driver ignores them
    // under -E as it would under -c, and they are never sent.
    case Opt::Link:
      return k_cpp;
    default:
      return k_both;
  }
}

std::string arg_text(const std::vector<std::string>& argv, const ParsedArg& a) {
  std::string out;
  for (size_t i = a.index; i < a.index + a.count && i < argv.size(); ++i) {
    out += (out.empty() ? "" : " ") + argv[i];
  }
  return out;
}

// Why one option keeps the job local, if it does by itself.
std::optional<Local> option_reason(const ParsedArg& a, const std::string& text) {
  switch (a.opt) {
    case Opt::Unsafe:
      return Local{FERRY_REASON_UNSAFE_OPTION,
                   text + ": hands options or programs to the compiler's phases"};
    case Opt::Profiling:
      return Local{FERRY_REASON_PROFILING, text + ": profile feedback files of this host"};
    case Opt::Pch:
      return Local{FERRY_REASON_UNSUPPORTED, text + ": precompiled headers live on this host"};
    case Opt::ExtraOutput:
      return Local{FERRY_REASON_EXTRA_OUTPUT,
                   text + ": writes files besides the object, which a remote compile would lose"};
    case Opt::NoObject:
      return Local{FERRY_REASON_UNSUPPORTED, text + ": a syntax check, no object to bring back"};
    case Opt::LinkTimeOpt:
      if (a.value == "=0") {
        return std::nullopt;
      }
      return Local{FERRY_REASON_UNSUPPORTED, text + ": code generation happens at link time"};
    case Opt::Native:
      return Local{FERRY_REASON_HOST_SPECIFIC, text + ": implies -xtarget=native, this host's CPU"};
    case Opt::Assemble:
      return Local{FERRY_REASON_UNSUPPORTED,
                   text + ": assembler output is not distributed by the suncc plugin"};
    default:
      return std::nullopt;
  }
}

struct Scan {
  std::vector<uint8_t> tags;  // per ParsedArg
  std::optional<Local> query;
  std::optional<Local> preprocess_only;
  bool compile = false;
  std::vector<std::pair<size_t, Local>> arg_reasons;  // argv index, reason
  std::map<std::string, const ParsedArg*> last_cpu;   // "-xtarget=" -> its last use
  std::vector<const ParsedArg*> outputs;
  std::vector<const ParsedArg*> inputs;
  bool md = false;
  const ParsedArg* last_md = nullptr;
  std::optional<std::string> mf;
};

std::string cpu_key(const std::string& text) { return text.substr(0, text.find('=') + 1); }

void scan_one(Scan& s, const ParsedArg& a, const std::string& text) {
  switch (a.opt) {
    case Opt::Compile:
    case Opt::Assemble:
      s.compile = true;
      break;
    case Opt::Output:
      s.outputs.push_back(&a);
      break;
    case Opt::Input:
      s.inputs.push_back(&a);
      break;
    case Opt::Preprocess:
    case Opt::DepsOnly:
      if (!s.preprocess_only) {
        s.preprocess_only = Local{FERRY_REASON_PREPROCESS_ONLY,
                                  text + (a.opt == Opt::DepsOnly ? ": dependencies only"
                                                                 : ": preprocessing only")};
      }
      break;
    case Opt::Query:
      if (!s.query) {
        s.query = Local{FERRY_REASON_NOT_COMPILE, text + ": a driver query, not a compile"};
      }
      break;
    case Opt::DepsMD:
      s.md = true;
      s.last_md = &a;
      break;
    case Opt::DepsFile:
      s.mf = a.value;
      break;
    case Opt::Cpu:
      s.last_cpu[cpu_key(text)] = &a;
      break;
    default:
      break;
  }
  if (auto r = option_reason(a, text)) {
    s.arg_reasons.emplace_back(a.index, std::move(*r));
  }
}

Scan scan_args(const ParsedArgs& parsed, const std::vector<std::string>& argv) {
  Scan s;
  for (const ParsedArg& a : parsed.args) {
    s.tags.push_back(tags_for(a.opt));
    scan_one(s, a, arg_text(argv, a));
  }
  for (const auto& [key, a] : s.last_cpu) {
    if (a->value == "native") {
      s.arg_reasons.emplace_back(
          a->index, Local{FERRY_REASON_HOST_SPECIFIC, arg_text(argv, *a) + ": this host's CPU"});
    }
  }
  return s;
}

bool starts_with(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

bool is_autoconf(const std::string& path) {
  std::string base = base_name(path);
  return starts_with(base, "conftest.") || starts_with(base, "tmp.conftest.");
}

// Sun's C++ driver is CC (also installed as sunCC); everything else is C.
bool is_cxx_driver(const std::string& compiler) {
  std::string base = base_name(compiler);
  return base == "CC" || (base.size() > 2 && base.compare(base.size() - 2, 2, "CC") == 0);
}

std::optional<Local> classify_input(const std::string& path, bool& preprocessed) {
  if (path.empty()) {
    return Local{FERRY_REASON_BAD_ARGUMENTS, "an empty argument"};
  }
  if (path == "-") {
    return Local{FERRY_REASON_NO_INPUT, "the source comes from standard input"};
  }
  std::string ext = extension(path);
  if (ext == ".c" || ext == ".i") {
    preprocessed = ext == ".i";
    return std::nullopt;
  }
  if (ext == ".s" || ext == ".S" || ext == ".il") {
    return Local{FERRY_REASON_LANGUAGE,
                 path + (ext == ".il" ? ": an inline template file read by the compiler"
                                      : ": assembler is not distributed")};
  }
  if (ext == ".cc" || ext == ".cpp" || ext == ".cxx" || ext == ".C" || ext == ".c++") {
    return Local{FERRY_REASON_LANGUAGE, path + ": C++ goes to Sun's CC, which runs locally"};
  }
  return Local{FERRY_REASON_NO_INPUT, path + ": not a C source file"};
}

std::optional<Local> check_shape(const Scan& s, bool& preprocessed) {
  if (s.outputs.size() > 1) {
    return Local{FERRY_REASON_MULTIPLE_OUTPUTS, "-o " + s.outputs[0]->value + " and -o " +
                                                    s.outputs[1]->value + ": more than one output"};
  }
  if (!s.outputs.empty() && s.outputs.front()->value == "-") {
    return Local{FERRY_REASON_OUTPUT_TO_STDOUT, "-o -: output to stdout"};
  }
  if (s.inputs.empty()) {
    return Local{FERRY_REASON_NO_INPUT, "no source file on the command line"};
  }
  if (s.inputs.size() > 1) {
    return Local{FERRY_REASON_MULTIPLE_INPUTS, s.inputs[0]->value + " and " +
                                                   s.inputs[1]->value + ": more than one input"};
  }
  if (auto r = classify_input(s.inputs.front()->value, preprocessed)) {
    return r;
  }
  if (s.md && s.mf && *s.mf == "-") {
    return Local{FERRY_REASON_OUTPUT_TO_STDOUT,
                 "-xMF -: dependencies on stdout would mix with the preprocessed text"};
  }
  return std::nullopt;
}

// The checks in order; the first that applies is the reason.
std::optional<Local> decide_local(const PlanRequest& request, const ParsedArgs& parsed,
                                  const Scan& s, bool& preprocessed) {
  if (is_cxx_driver(request.compiler)) {
    return Local{FERRY_REASON_LANGUAGE,
                 "Sun C++ (" + base_name(request.compiler) +
                     ") always compiles locally: it cannot find template definitions "
                     "from separately preprocessed text"};
  }
  if (parsed.missing_value) {
    return Local{FERRY_REASON_BAD_ARGUMENTS,
                 "argument to '" + request.args[parsed.missing_index] + "' is missing"};
  }
  if (s.query) {
    return s.query;
  }
  if (s.preprocess_only) {
    return s.preprocess_only;
  }
  if (!s.compile) {
    return Local{FERRY_REASON_NOT_COMPILE, "no -c: linking"};
  }
  for (const ParsedArg* in : s.inputs) {
    if (is_autoconf(in->value)) {
      return Local{FERRY_REASON_AUTOCONF, in->value + ": an autoconf probe"};
    }
  }
  if (!s.arg_reasons.empty()) {
    return std::min_element(s.arg_reasons.begin(), s.arg_reasons.end(),
                            [](const auto& x, const auto& y) { return x.first < y.first; })
        ->second;
  }
  if (request.strategy && *request.strategy != "plain") {
    return Local{FERRY_REASON_UNSUPPORTED,
                 "unknown preprocessing strategy '" + *request.strategy + "' (known: plain)"};
  }
  return check_shape(s, preprocessed);
}

void append_items(std::vector<std::string>& out, const std::vector<std::string>& argv,
                  const ParsedArg& a) {
  for (size_t i = a.index; i < a.index + a.count && i < argv.size(); ++i) {
    out.push_back(argv[i]);
  }
}

Plan distribute(Plan plan, const PlanRequest& request, const ParsedArgs& parsed, const Scan& s,
                bool preprocessed) {
  const ParsedArg& in = *s.inputs.front();
  plan.distribute = true;
  plan.reason = FERRY_REASON_NONE;
  plan.language = "c";
  plan.input = in.value;
  plan.preprocessed_ext = ".i";
  plan.input_is_preprocessed = preprocessed;
  bool implied_object = s.outputs.empty();
  plan.object = implied_object ? replace_extension(base_name(plan.input), ".o")
                               : s.outputs.front()->value;

  DepPlan deps;
  if (!preprocessed) {
    deps = plan_dependencies(
        {s.md, s.mf,
         implied_object ? std::nullopt : std::optional<std::string>(plan.object), plan.input});
    plan.dep_file = deps.dep_file;
    plan.cpp_argv = {request.compiler};
  }
  plan.remote_argv = {k_remote_compiler};
  for (size_t i = 0; i < parsed.args.size(); ++i) {
    const ParsedArg& a = parsed.args[i];
    if (!preprocessed && (s.tags[i] & k_cpp) != 0) {
      append_items(plan.cpp_argv, plan.args, a);
      if (&a == s.last_md) {
        plan.cpp_argv.insert(plan.cpp_argv.end(), deps.extra_cpp_args.begin(),
                             deps.extra_cpp_args.end());
      }
    }
    if ((s.tags[i] & k_remote) != 0) {
      if (a.opt == Opt::Input) {
        plan.remote_argv.push_back(replace_extension(plan.input, ".i"));
      } else {
        append_items(plan.remote_argv, plan.args, a);
      }
    }
  }
  if (!preprocessed) {
    plan.cpp_argv.push_back("-E");
  }
  if (implied_object) {
    plan.remote_argv.push_back("-o");
    plan.remote_argv.push_back(plan.object);
  }
  return plan;
}

}  // namespace

std::string base_name(const std::string& path) {
  size_t slash = path.rfind('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

std::string extension(const std::string& path) {
  std::string base = base_name(path);
  size_t dot = base.rfind('.');
  return dot == std::string::npos || dot == 0 ? std::string() : base.substr(dot);
}

std::string replace_extension(const std::string& path, const std::string& ext) {
  std::string base = base_name(path);
  size_t dot = base.rfind('.');
  if (dot == std::string::npos) {
    return path + ext;
  }
  return path.substr(0, path.size() - (base.size() - dot)) + ext;
}

Plan make_plan(const PlanRequest& request) {
  Plan plan;
  plan.local_argv.push_back(request.compiler);
  plan.local_argv.insert(plan.local_argv.end(), request.args.begin(), request.args.end());
  plan.args = request.args;
  ParsedArgs parsed = parse_suncc_args(plan.args);
  Scan scan = scan_args(parsed, plan.args);
  plan.tags.assign(plan.args.size(), k_both);
  for (size_t i = 0; i < parsed.args.size(); ++i) {
    const ParsedArg& a = parsed.args[i];
    for (size_t j = a.index; j < a.index + a.count && j < plan.args.size(); ++j) {
      plan.tags[j] = scan.tags[i];
    }
  }
  bool preprocessed = false;
  if (auto why = decide_local(request, parsed, scan, preprocessed)) {
    return local_plan(std::move(plan), std::move(*why));
  }
  return distribute(std::move(plan), request, parsed, scan, preprocessed);
}

}  // namespace ferry::suncc
