// The gcc-family planner: distcc 3.4's rules for what may be distributed,
// made exact where distcc is approximate. Written for gcc; clang and icc
// plug their differences in through their Dialect (dialect.h), so what
// follows is gcc's story and the other plugins' files tell theirs.
//
// How a distributed gcc compile works here. The client runs the preprocessor
// (`gcc <cpp args> -E -fdirectives-only`, output on stdout); the volunteer
// compiles that text (`gcc <compile args> x.i -fpreprocessed
// -fdirectives-only -o x.o`). With -fdirectives-only the client only handles
// #include/#if/#define and leaves macro expansion to the volunteer, so
// diagnostics (with their macro-expansion notes) and debug line tables are
// those of a local compile: with -gno-record-gcc-switches the object is
// byte-identical, with -g it differs only in DW_AT_producer, which records
// -fdirectives-only (gcc 12, measured). The "plain" strategy is distcc's
// `-E`. Caveats of directives-only, from gcc itself: it refuses -traditional
// and -Wunused-macros (those jobs fall back to plain -E), and __BASE_FILE__
// and __TIMESTAMP__ expand on the volunteer, naming its temporary file.
//
// Where each argument goes is decided per option class (Options.td groups),
// and every argument gets a tag: CPP (the preprocessor only: -I, -D,
// -include, -M*, -x, ...), REMOTE (the compile only: -c, -S, -o, -P, -d*,
// -Wa, and link-only options, which do nothing with -c), or both (everything
// else: -O2, -g, -std=, -f*, -m*, -W*). -include must not reach the
// compile: gcc would include the file a second time into the preprocessed
// text.
//
// A job stays local, with a counted reason, when it is not a compile of one
// C-family source to one object, or when the remote compile would differ:
// host-specific code (-march=native), files written besides the object
// (-gsplit-dwarf, -save-temps, -fdump-*, -fstack-usage, -Wa,-a...),
// profiling, code or specs loaded into the compiler (-fplugin=, -specs=, -B,
// -wrapper), link-time code generation (-flto), and anything gcc itself
// should report (a missing option argument, an unreadable @file).
//
// Better than distcc: `-xc` is read as the language "c" (distcc checks the
// next argument), -x applies to the inputs after it and `-x none` resets it,
// "last wins" is honoured for -march=/-flto/-fno-lto, dependency files match
// a local compile (deps.cpp), and @files are expanded with gcc's quoting.
#include "planner.h"

#include <algorithm>
#include <map>

#include "deps.h"
#include "language.h"
#include "options.h"
#include "response_file.h"

namespace ferry::gcc_family {
namespace {

using sdk::local_plan;

constexpr uint8_t k_cpp = FERRY_ARG_CPP;
constexpr uint8_t k_remote = FERRY_ARG_REMOTE;
constexpr uint8_t k_both = FERRY_ARG_CPP | FERRY_ARG_REMOTE;

bool starts_with(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

bool ends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

std::vector<std::string> split_commas(const std::string& s) {
  std::vector<std::string> out;
  size_t start = 0;
  while (true) {
    size_t comma = s.find(',', start);
    out.push_back(s.substr(start, comma - start));
    if (comma == std::string::npos) {
      return out;
    }
    start = comma + 1;
  }
}

// The argv items of one option, for messages: "-o x", "-Wa,-adhln".
std::string arg_text(const std::vector<std::string>& argv, const ParsedArg& a) {
  std::string out;
  for (size_t i = a.index; i < a.index + a.count && i < argv.size(); ++i) {
    if (!out.empty()) {
      out += ' ';
    }
    out += argv[i];
  }
  return out;
}

uint8_t tags_for(const Dialect& d, const ParsedArg& a) {
  if (d.arg_tags != nullptr) {
    if (auto t = d.arg_tags(a)) {
      return *t;
    }
  }
  switch (a.id) {
    case OPT_c:
    case OPT_S:
    case OPT_o:
    case OPT_d:
    case OPT_d_r:
    case OPT_Wa_COMMA:
    case OPT_Xassembler:
      return k_remote;
    case OPT_x:
    case OPT_E:
    case OPT_M:
    case OPT_MM:
    case OPT_MD:
    case OPT_MMD:
    case OPT_MF:
    case OPT_MT:
    case OPT_MQ:
    case OPT_Wp_COMMA:
    case OPT_Xpreprocessor:
      return k_cpp;
    default:
      break;
  }
  switch (a.group) {
    case OPT_grp_cpp:
    // Link-only options do nothing under -c/-S. They go to the local driver
    // (which ignores them under -E, as it would under -c) rather than to the
    // remote, whose daemon refuses linker options outright.
    case OPT_grp_link:
      return k_cpp;
    case OPT_grp_remote:
      return k_remote;
    default:
      return k_both;
  }
}

// -Wa,ITEM / -Xassembler ITEM: the assembler runs remotely, so it must
// neither write a file beside the object nor read one of this host.
std::optional<Local> assembler_reason(const std::string& item, const std::string& text) {
  if (starts_with(item, "-a") || starts_with(item, "--MD") || starts_with(item, "-o")) {
    return Local{FERRY_REASON_EXTRA_OUTPUT,
                 text + ": the assembler writes a listing or file a remote compile would lose"};
  }
  if (starts_with(item, "@") || starts_with(item, "-I") || item.find('/') != std::string::npos) {
    return Local{FERRY_REASON_UNSUPPORTED, text + ": the assembler would read a file of this host"};
  }
  return std::nullopt;
}

// -dLETTERS: D M N I U only list macros under -E and A p P x annotate the
// assembler output; every other letter writes RTL dump files (gcc 12: -da).
std::optional<Local> dump_letters_reason(const std::string& letters, const std::string& text) {
  if (letters.find_first_not_of("DMNIUApPx") == std::string::npos) {
    return std::nullopt;
  }
  return Local{FERRY_REASON_EXTRA_OUTPUT, text + ": writes compiler dump files"};
}

std::optional<Local> group_reason(const Dialect& d, const ParsedArg& a, const std::string& text) {
  switch (a.group) {
    case OPT_grp_unsafe:
      return Local{FERRY_REASON_UNSAFE_OPTION,
                   text + ": changes the compiler's programs, specs or plugins"};
    case OPT_grp_profiling:
      return Local{FERRY_REASON_PROFILING, text + ": profiling or coverage files"};
    case OPT_grp_extra_output:
      return Local{FERRY_REASON_EXTRA_OUTPUT,
                   text + ": writes a file besides the object, which a remote compile would lose"};
    case OPT_grp_unsupported:
      if (a.id == OPT_fsyntax_only) {
        return Local{FERRY_REASON_UNSUPPORTED, text + ": no object to bring back"};
      }
      return Local{FERRY_REASON_UNSUPPORTED,
                   text + ": not distributed by the " + d.name + " plugin"};
    case OPT_grp_host_specific:
      return Local{FERRY_REASON_HOST_SPECIFIC, text + ": code for this host's CPU"};
    case OPT_grp_link_time:
      return Local{FERRY_REASON_UNSUPPORTED, text + ": code generation happens at link time"};
    default:
      return std::nullopt;
  }
}

// Why one argument keeps the job local, if it does (-march= and -flto are
// decided once the last of them is known).
std::optional<Local> option_reason(const Dialect& d, const ParsedArg& a,
                                   const std::string& text) {
  if (d.arg_reason != nullptr) {
    if (auto r = d.arg_reason(a, text)) {
      return r;
    }
  }
  switch (a.id) {
    case OPT_d:
      return dump_letters_reason(a.value(), text);
    case OPT_Wa_COMMA:
      for (const std::string& item : split_commas(a.value())) {
        if (auto r = assembler_reason(item, text)) {
          return r;
        }
      }
      return std::nullopt;
    case OPT_Xassembler:
      return assembler_reason(a.value(), text);
    case OPT_fopt_info:
      if (a.value().find('=') != std::string::npos) {
        return Local{FERRY_REASON_EXTRA_OUTPUT, text + ": writes optimisation notes to a file"};
      }
      return std::nullopt;
    case OPT_fdiagnostics_format_EQ:
      if (ends_with(a.value(), "-file")) {
        return Local{FERRY_REASON_EXTRA_OUTPUT, text + ": writes diagnostics to a file"};
      }
      return std::nullopt;
    default:
      return group_reason(d, a, text);
  }
}

struct InputRef {
  const ParsedArg* arg = nullptr;
  std::optional<std::string> x;  // the -x language in effect, if any
};

// Everything the decision needs, gathered in one pass over the arguments.
struct Scan {
  std::vector<uint8_t> tags;  // per ParsedArg
  std::optional<Local> query;
  std::optional<Local> preprocess_only;
  bool compile = false;
  bool assemble = false;  // -S: the output is assembler, and -S beats -c
  std::vector<std::pair<size_t, Local>> arg_reasons;  // argv index, reason
  std::map<OptId, const ParsedArg*> last_cpu;         // -march= -mtune= -mcpu=
  const ParsedArg* lto = nullptr;                     // the -flto in force
  std::vector<const ParsedArg*> outputs;              // -o
  std::vector<InputRef> inputs;
  bool driver_md = false;
  const ParsedArg* last_md = nullptr;
  std::optional<std::string> mf;
  bool has_target = false;
  std::vector<std::string> raw_pp;  // -Wp,a,b and -Xpreprocessor a, in order
  bool directives_incompatible = false;
};

void scan_mode(Scan& s, const ParsedArg& a, const std::string& text) {
  switch (a.id) {
    case OPT_c:
      s.compile = true;
      break;
    case OPT_S:
      s.compile = true;
      s.assemble = true;
      break;
    case OPT_E:
    case OPT_M:
    case OPT_MM:
      if (!s.preprocess_only) {
        s.preprocess_only = Local{FERRY_REASON_PREPROCESS_ONLY, text + ": preprocessing only"};
      }
      break;
    case OPT_o:
      s.outputs.push_back(&a);
      break;
    default:
      break;
  }
}

// clang's driver rewrites `-Wp,-MD...` / `-Wp,-MMD...` itself and never
// hands them to the preprocessor (clang 14 Driver::TranslateInputArgs):
// `-Wp,-MD,FILE`, exactly two items, becomes `-MD -MF FILE`; one item or
// more than two (`-Wp,-MD,FILE,-MP`, the kernel's style) becomes a bare -MD,
// so FILE and -MP are dropped and the .d file gets the default name beside
// the object (measured: `clang -Wp,-MD,deps/wp.d,-MP -c src/vec.c -o
// build/obj/vec.o` writes build/obj/vec.d with the target build/obj/vec.o
// and no phony targets; deps/wp.d is not written).
bool driver_style_wp_md(const Dialect& d, const ParsedArg& a, Scan& s) {
  if (!d.wp_md_is_driver_md || a.id != OPT_Wp_COMMA) {
    return false;
  }
  std::vector<std::string> items = split_commas(a.value());
  if (items[0] != "-MD" && items[0] != "-MMD") {
    return false;
  }
  s.driver_md = true;
  s.last_md = &a;
  if (items.size() == 2) {
    s.mf = items[1];
  }
  return true;
}

void scan_deps(const Dialect& d, Scan& s, const ParsedArg& a) {
  if (driver_style_wp_md(d, a, s)) {
    return;
  }
  switch (a.id) {
    case OPT_MD:
    case OPT_MMD:
      s.driver_md = true;
      s.last_md = &a;
      break;
    case OPT_MF:
      s.mf = a.value();
      break;
    case OPT_MT:
    case OPT_MQ:
      s.has_target = true;
      break;
    case OPT_Wp_COMMA:
      for (std::string& item : split_commas(a.value())) {
        s.raw_pp.push_back(std::move(item));
      }
      break;
    case OPT_Xpreprocessor:
      s.raw_pp.push_back(a.value());
      break;
    default:
      break;
  }
}

void scan_reasons(const Dialect& d, Scan& s, const ParsedArg& a, const std::string& text) {
  if (a.group == OPT_grp_query && !s.query) {
    s.query = Local{FERRY_REASON_NOT_COMPILE, text + ": a driver query, not a compile"};
  }
  if (a.group == OPT_grp_cpu) {
    s.last_cpu[a.id] = &a;
  }
  if (a.id == OPT_flto || a.id == OPT_flto_EQ) {
    s.lto = &a;
  } else if (a.id == OPT_fno_lto) {
    s.lto = nullptr;
  }
  if (a.id == OPT_traditional || a.id == OPT_traditional_cpp || a.id == OPT_Wunused_macros) {
    s.directives_incompatible = true;
  }
  if (auto r = option_reason(d, a, text)) {
    s.arg_reasons.emplace_back(a.index, std::move(*r));
  }
}

Scan scan_args(const Dialect& d, const ParsedArgs& parsed, const std::vector<std::string>& argv) {
  Scan s;
  std::optional<std::string> x;
  for (const ParsedArg& a : parsed.args) {
    s.tags.push_back(tags_for(d, a));
    std::string text = arg_text(argv, a);
    if (a.id == OPT_x) {
      x = a.value() == "none" ? std::nullopt : std::optional<std::string>(a.value());
    } else if (a.id == OPT_INPUT) {
      s.inputs.push_back({&a, x});
    }
    scan_mode(s, a, text);
    scan_deps(d, s, a);
    scan_reasons(d, s, a, text);
  }
  for (const auto& [id, a] : s.last_cpu) {
    if (a->value() == "native") {
      s.arg_reasons.emplace_back(a->index, Local{FERRY_REASON_HOST_SPECIFIC,
                                                 arg_text(argv, *a) + ": code for this host's CPU"});
    }
  }
  if (s.lto != nullptr) {
    s.arg_reasons.emplace_back(
        s.lto->index, Local{FERRY_REASON_UNSUPPORTED,
                            arg_text(argv, *s.lto) + ": code generation happens at link time"});
  }
  return s;
}

bool is_autoconf(std::string_view path) {
  std::string_view base = base_name(path);
  return starts_with(base, "conftest.") || starts_with(base, "tmp.conftest.");
}

// g++ and c++ compile .c and .i files as C++ (gcc 12: cc1plus, and
// cc1plus -fpreprocessed for .i), unless -x says otherwise.
bool is_cxx_driver(const Dialect& d, std::string_view compiler) {
  std::string_view base = base_name(compiler);
  if (d.cxx_driver != nullptr) {
    return d.cxx_driver(base);
  }
  return base.find("++") != std::string_view::npos;
}

// What the single input is: a distributable source, or why not.
std::optional<Local> classify_input(const InputRef& in, bool cxx_driver, SourceKind& kind) {
  const std::string& path = in.arg->value();
  if (path.empty()) {
    return Local{FERRY_REASON_BAD_ARGUMENTS, "an empty argument"};
  }
  if (path == "-") {
    return Local{FERRY_REASON_NO_INPUT, "the source comes from standard input"};
  }
  if (in.x) {
    if (classify_x(*in.x, &kind) == XClass::Source) {
      return std::nullopt;
    }
    return Local{FERRY_REASON_LANGUAGE, "-x " + *in.x + ": language not distributed"};
  }
  switch (classify_extension(path, &kind)) {
    case InputClass::Source:
      if (cxx_driver && kind.lang == Lang::C) {
        kind.lang = Lang::Cxx;
      }
      return std::nullopt;
    case InputClass::Assembler:
      return Local{FERRY_REASON_LANGUAGE, path + ": assembler is not distributed"};
    case InputClass::Header:
      return Local{FERRY_REASON_LANGUAGE, path + ": a header (gcc writes a precompiled header)"};
    case InputClass::OtherLanguage:
      return Local{FERRY_REASON_LANGUAGE, path + ": language not distributed"};
    case InputClass::NotSource:
      break;
  }
  return Local{FERRY_REASON_NO_INPUT, path + ": not a source file"};
}

std::optional<Local> check_outputs(const Scan& s) {
  std::vector<std::string> outs;
  for (const ParsedArg* o : s.outputs) {
    outs.push_back("-o " + o->value());
  }
  // distcc counts a bare "x.o" operand as an output too.
  for (const InputRef& in : s.inputs) {
    if (!in.x && extension(in.arg->value()) == ".o") {
      outs.push_back(in.arg->value());
    }
  }
  if (outs.size() > 1) {
    return Local{FERRY_REASON_MULTIPLE_OUTPUTS, outs[0] + " and " + outs[1] + ": more than one output"};
  }
  if (!s.outputs.empty() && s.outputs.front()->value() == "-") {
    return Local{FERRY_REASON_OUTPUT_TO_STDOUT, "-o -: output to stdout"};
  }
  return std::nullopt;
}

std::optional<Local> check_inputs(const Scan& s, bool cxx_driver, SourceKind& kind) {
  if (s.inputs.empty()) {
    return Local{FERRY_REASON_NO_INPUT, "no source file on the command line"};
  }
  if (s.inputs.size() > 1) {
    return Local{FERRY_REASON_MULTIPLE_INPUTS, s.inputs[0].arg->value() + " and " +
                                                   s.inputs[1].arg->value() +
                                                   ": more than one input"};
  }
  return classify_input(s.inputs.front(), cxx_driver, kind);
}

// The checks in order; the first that applies is the reason.
std::optional<Local> decide_local(const ParsedArgs& parsed, const std::vector<std::string>& argv,
                                  const Scan& s, bool cxx_driver, SourceKind& kind) {
  if (parsed.missing_value_index) {
    return Local{FERRY_REASON_BAD_ARGUMENTS,
                 "argument to '" + argv[*parsed.missing_value_index] + "' is missing"};
  }
  if (s.query) {
    return s.query;
  }
  if (s.preprocess_only) {
    return s.preprocess_only;
  }
  RawPreprocessorDeps raw = scan_raw_preprocessor_args(s.raw_pp);
  if (raw.preprocess_only) {
    return Local{FERRY_REASON_PREPROCESS_ONLY, "-M or -MM passed to the preprocessor"};
  }
  if (!s.compile) {
    return Local{FERRY_REASON_NOT_COMPILE, "no -c or -S: linking or a driver query"};
  }
  for (const InputRef& in : s.inputs) {
    if (is_autoconf(in.arg->value())) {
      return Local{FERRY_REASON_AUTOCONF, in.arg->value() + ": an autoconf probe"};
    }
  }
  if (!s.arg_reasons.empty()) {
    return std::min_element(s.arg_reasons.begin(), s.arg_reasons.end(),
                            [](const auto& x, const auto& y) { return x.first < y.first; })
        ->second;
  }
  if (auto r = check_outputs(s)) {
    return r;
  }
  if (auto r = check_inputs(s, cxx_driver, kind)) {
    return r;
  }
  if (raw.error) {
    return Local{FERRY_REASON_BAD_ARGUMENTS, *raw.error};
  }
  if (raw.alters_preprocessed_text) {
    return Local{FERRY_REASON_UNSUPPORTED, *raw.alters_preprocessed_text +
                                               " passed to the preprocessor would change the "
                                               "preprocessed text a remote compile gets"};
  }
  if (s.driver_md && raw.any) {
    return Local{FERRY_REASON_UNSUPPORTED,
                 "-MD/-MMD together with -M options passed straight to the preprocessor"};
  }
  return std::nullopt;
}

std::vector<uint8_t> item_tags(const ParsedArgs& parsed, const Scan& s, size_t argc) {
  std::vector<uint8_t> tags(argc, k_both);
  for (size_t i = 0; i < parsed.args.size(); ++i) {
    const ParsedArg& a = parsed.args[i];
    for (size_t j = a.index; j < a.index + a.count && j < argc; ++j) {
      tags[j] = s.tags[i];
    }
  }
  return tags;
}

void append_items(std::vector<std::string>& out, const std::vector<std::string>& argv,
                  const ParsedArg& a) {
  for (size_t i = a.index; i < a.index + a.count && i < argv.size(); ++i) {
    out.push_back(argv[i]);
  }
}

struct Build {
  const std::vector<std::string>& argv;
  const ParsedArgs& parsed;
  const Scan& scan;
  DepPlan deps;
  const Strategy* strategy = nullptr;  // null: plain -E, or no preprocessing
  std::string remote_input;
  bool implied_object = false;
  const char* language = "c";
};

std::vector<std::string> build_cpp_argv(const std::string& compiler, const Build& b) {
  std::vector<std::string> out = {compiler};
  for (size_t i = 0; i < b.parsed.args.size(); ++i) {
    const ParsedArg& a = b.parsed.args[i];
    if ((b.scan.tags[i] & k_cpp) == 0) {
      continue;
    }
    append_items(out, b.argv, a);
    if (&a == b.scan.last_md) {
      out.insert(out.end(), b.deps.extra_cpp_args.begin(), b.deps.extra_cpp_args.end());
    }
  }
  out.push_back("-E");
  if (b.strategy != nullptr) {
    out.insert(out.end(), b.strategy->cpp_args.begin(), b.strategy->cpp_args.end());
  }
  return out;
}

std::vector<std::string> build_remote_argv(const std::string& compiler, const std::string& object,
                                           const Build& b) {
  std::vector<std::string> out = {std::string(base_name(compiler))};
  if (b.strategy != nullptr && b.strategy->remote_names_language) {
    out.push_back("-x");
    out.push_back(b.language);
  }
  for (size_t i = 0; i < b.parsed.args.size(); ++i) {
    const ParsedArg& a = b.parsed.args[i];
    if ((b.scan.tags[i] & k_remote) == 0) {
      continue;
    }
    if (a.id == OPT_INPUT) {
      out.push_back(b.remote_input);
    } else if (a.aliased && (a.id == OPT_o || a.id == OPT_c || a.id == OPT_S)) {
      // distccd knows only -o/-c/-S, not --output/--compile/--assemble.
      out.push_back(a.id == OPT_o ? "-o" : a.id == OPT_c ? "-c" : "-S");
      if (a.id == OPT_o) {
        out.push_back(a.value());
      }
    } else {
      append_items(out, b.argv, a);
    }
  }
  if (b.strategy != nullptr) {
    out.insert(out.end(), b.strategy->remote_args.begin(), b.strategy->remote_args.end());
  }
  if (b.implied_object) {
    out.push_back("-o");
    out.push_back(object);
  }
  return out;
}

Plan distribute(Plan plan, const Dialect& d, const Strategy& strategy, const PlanRequest& request,
                const ParsedArgs& parsed, const Scan& s, const SourceKind& kind) {
  const InputRef& in = s.inputs.front();
  plan.distribute = true;
  plan.reason = FERRY_REASON_NONE;
  plan.language = language_name(kind.lang);
  plan.input = in.arg->value();
  plan.preprocessed_ext = preprocessed_ext(kind.lang);
  plan.input_is_preprocessed = kind.preprocessed;

  Build b{plan.args,
          parsed,
          s,
          {},
          nullptr,
          replace_extension(plan.input, plan.preprocessed_ext),
          s.outputs.empty(),
          plan.language.c_str()};
  plan.object = b.implied_object
                    ? replace_extension(base_name(plan.input), s.assemble ? ".s" : ".o")
                    : s.outputs.front()->value();
  RawPreprocessorDeps raw = scan_raw_preprocessor_args(s.raw_pp);
  bool incompatible =
      strategy.directives_only && (s.directives_incompatible || raw.traditional);
  b.strategy = kind.preprocessed || incompatible ? nullptr : &strategy;
  if (!kind.preprocessed) {
    DepRequest dr;
    dr.driver_md = s.driver_md;
    dr.mf = s.mf;
    dr.has_target = s.has_target;
    if (!s.outputs.empty()) {
      dr.explicit_object = plan.object;
    }
    dr.input = plan.input;
    dr.raw_dep_file = raw.dep_file;
    b.deps = plan_dependencies(dr);
    plan.dep_file = b.deps.dep_file;
    plan.cpp_argv = build_cpp_argv(request.compiler, b);
  }
  plan.remote_argv = build_remote_argv(request.compiler, plan.object, b);
  if (d.add_remote_args != nullptr) {
    d.add_remote_args(plan.remote_argv, RemoteContext{request.cwd, parsed, plan.args});
  }
  return plan;
}

// Macro options go to the remote compile as well (Strategy::macros_remote).
void send_macros(const ParsedArgs& parsed, Scan& s) {
  for (size_t i = 0; i < parsed.args.size(); ++i) {
    switch (parsed.args[i].id) {
      case OPT_D:
      case OPT_U:
      case OPT_A:
      case OPT_undef:
        s.tags[i] |= k_remote;
        break;
      default:
        break;
    }
  }
}

// The strategy asked for, or null with the list of known ones in `known`.
const Strategy* find_strategy(const Dialect& d, const std::optional<std::string>& name,
                              std::string& known) {
  for (const Strategy& st : d.strategies) {
    if (!name || *name == st.name) {
      return &st;
    }
    known += (known.empty() ? "" : ", ") + std::string(st.name);
  }
  return nullptr;
}

}  // namespace

Plan make_plan(const Dialect& d, const PlanRequest& request) {
  Plan plan;
  plan.local_argv.push_back(request.compiler);
  plan.local_argv.insert(plan.local_argv.end(), request.args.begin(), request.args.end());
  plan.args = request.args;
  if (auto err = expand_response_files(plan.args, request.cwd)) {
    plan.args = request.args;
    plan.tags.assign(plan.args.size(), k_both);
    return local_plan(std::move(plan), {FERRY_REASON_RESPONSE_FILE, *err});
  }
  ParsedArgs parsed = parse_args(d.table(), plan.args);
  if (d.refine != nullptr) {
    d.refine(parsed);
  }
  Scan scan = scan_args(d, parsed, plan.args);
  std::string known;
  const Strategy* strategy = find_strategy(d, request.strategy, known);
  if (strategy != nullptr && strategy->macros_remote) {
    send_macros(parsed, scan);
  }
  plan.tags = item_tags(parsed, scan, plan.args.size());
  // A local plan names its inputs too, for the client's log and monitor
  // (a link's objects, say); distribute() keeps the single source.
  for (const InputRef& in : scan.inputs) {
    plan.input += (plan.input.empty() ? "" : " ") + in.arg->value();
  }

  SourceKind kind;
  if (auto why = decide_local(parsed, plan.args, scan, is_cxx_driver(d, request.compiler), kind)) {
    return local_plan(std::move(plan), std::move(*why));
  }
  if (strategy == nullptr) {
    return local_plan(std::move(plan),
                      {FERRY_REASON_UNSUPPORTED, "unknown preprocessing strategy '" +
                                                     *request.strategy + "' (known: " + known +
                                                     ")"});
  }
  Plan base = plan;
  Plan out = distribute(std::move(plan), d, *strategy, request, parsed, scan, kind);
  // The dependency file must not mix with the preprocessed text on stdout.
  if (out.dep_file && *out.dep_file == "-") {
    return local_plan(std::move(base),
                      {FERRY_REASON_OUTPUT_TO_STDOUT, "dependency output to stdout"});
  }
  return out;
}

}  // namespace ferry::gcc_family
