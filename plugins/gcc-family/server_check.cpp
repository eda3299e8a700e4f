// What ferryd accepts from a client, for every gcc-family plugin (a
// Dialect's server_refusal adds the plugin's own refusals first).
//
// Clients are ferry (its plan's remote_argv: `gcc -O2 -c src/a.i
// -fpreprocessed -fdirectives-only -o build/a.o`) and real distcc 3.4, which
// strips cpp options and sends the ORIGINAL source name though the body is
// preprocessed (`x86_64-linux-gnu-gcc -O2 -g -c x.c -o x.o`). Like distccd,
// the input is the one operand with a source extension and the output is the
// -o value; both are replaced by files in the job directory. The input file
// gets distcc's preprocessed extension (.c/.i -> .i, C++ -> .ii, .m/.mi ->
// .mi, .mm/.M/.mii -> .mii) so gcc does not preprocess it again.
//
// Refused before anything runs: whatever makes gcc load code or specs
// (-fplugin=, -specs=, -B, -wrapper), run a program (-fmodule-mapper=|cmd, so
// all of C++ modules), read a file of the daemon's host (@file, -include,
// -imacros, -fprofile-use=, -Wa,@file) or write one outside the job
// directory (-MD/-MF and all -M*, -Wp,, -save-temps, -aux-info, -dumpdir,
// -fdump-*, -fopt-info=, -time=, -Wa,-a=, -o -), and anything that is not a
// compile of exactly one C-family source to one output (-E, linking, two
// inputs, .s/.S).
//
// Not refused: include-path and macro options (-I, -iquote, -D, --sysroot;
// distcc sends -iquote and --sysroot, and they only steer #include, which a
// preprocessed input has done already), link-only options other than
// -Wl/-Xlinker (ignored under -c), outputs that land beside the object in the
// job directory (-gsplit-dwarf, -fstack-usage), and -flto.
//
// What argv checks cannot stop: the preprocessed BODY is the client's. An
// `asm(".incbin \"/etc/passwd\"")` copies a daemon file into the object in
// any mode, and with -fpreprocessed -fdirectives-only gcc still obeys
// #include (measured: `#include "/etc/hostname"` in the body is read). The
// daemon must run compilers as an unprivileged user, ideally sandboxed.
#include "server_check.h"

#include "language.h"
#include "options.h"

namespace ferry::gcc_family {
namespace {

using Refusal = Local;
using sdk::in_dir;
using sdk::refused;

bool starts_with(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

bool ends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

std::string arg_text(const std::vector<std::string>& args, const ParsedArg& a) {
  std::string out;
  for (size_t i = a.index; i < a.index + a.count && i < args.size(); ++i) {
    out += (out.empty() ? "" : " ") + args[i];
  }
  return out;
}

bool assembler_item_unsafe(std::string_view item) {
  return starts_with(item, "-a") || starts_with(item, "--MD") || starts_with(item, "-o") ||
         starts_with(item, "@") || starts_with(item, "-I") ||
         item.find('/') != std::string_view::npos;
}

bool assembler_value_unsafe(const std::string& value, bool comma_list) {
  if (!comma_list) {
    return assembler_item_unsafe(value);
  }
  size_t start = 0;
  while (true) {
    size_t comma = value.find(',', start);
    if (assembler_item_unsafe(std::string_view(value).substr(start, comma - start))) {
      return true;
    }
    if (comma == std::string::npos) {
      return false;
    }
    start = comma + 1;
  }
}

Refusal unsafe(const std::string& text, const char* why) {
  return {FERRY_REASON_UNSAFE_OPTION, text + ": " + why};
}

// Refusals decided by the option alone, by id.
std::optional<Refusal> refuse_by_id(const ParsedArg& a, const std::string& text) {
  switch (a.id) {
    case OPT_E:
    case OPT_M:
    case OPT_MM:
      return Refusal{FERRY_REASON_PREPROCESS_ONLY, text + ": preprocessing is the client's job"};
    case OPT_MD:
    case OPT_MMD:
    case OPT_MF:
    case OPT_MT:
    case OPT_MQ:
    case OPT_MP:
    case OPT_MG:
    case OPT_Wp_COMMA:
    case OPT_Xpreprocessor:
      return unsafe(text, "preprocessor and dependency options are the client's job");
    case OPT_include_:
    case OPT_imacros:
      return unsafe(text, "would read a file of this host");
    case OPT_Wl_COMMA:
    case OPT_Xlinker:
      return unsafe(text, "linker options are not accepted");
    case OPT_Wa_COMMA:
    case OPT_Xassembler:
      if (assembler_value_unsafe(a.value(), a.id == OPT_Wa_COMMA)) {
        return unsafe(text, "the assembler would read or write a file outside the job");
      }
      return std::nullopt;
    case OPT_fprofile:
    case OPT_fopt_info:
      if (a.value().find('=') != std::string::npos) {
        return unsafe(text, "names a file");
      }
      return std::nullopt;
    case OPT_fauto_profile:
      return unsafe(text, "reads a profile file");
    case OPT_fdiagnostics_format_EQ:
      if (ends_with(a.value(), "-file")) {
        return unsafe(text, "writes a file outside the job");
      }
      return std::nullopt;
    case OPT_fdump:
      return Refusal{FERRY_REASON_EXTRA_OUTPUT, text + ": compiler dumps are not sent back"};
    case OPT_fsyntax_only:
      return Refusal{FERRY_REASON_UNSUPPORTED, text + ": no object"};
    case OPT_fmodules_ts:
    case OPT_fmodule:
      return unsafe(text, "C++ modules read and write files and may run a mapper program");
    case OPT_march_EQ:
    case OPT_mtune_EQ:
    case OPT_mcpu_EQ:
      if (a.value() == "native") {
        return Refusal{FERRY_REASON_HOST_SPECIFIC, text + ": would target this host's CPU"};
      }
      return std::nullopt;
    case OPT_x: {
      SourceKind kind;
      if (classify_x(a.value(), &kind) == XClass::Unsupported) {
        return Refusal{FERRY_REASON_LANGUAGE, text + ": language not accepted"};
      }
      return std::nullopt;
    }
    default:
      return std::nullopt;
  }
}

// Refusals decided by the option's class.
std::optional<Refusal> refuse_by_group(const ParsedArg& a, const std::string& text) {
  switch (a.group) {
    case OPT_grp_host_specific:
      return Refusal{FERRY_REASON_HOST_SPECIFIC, text + ": would target this host's CPU"};
    case OPT_grp_link_time:
      return Refusal{FERRY_REASON_UNSUPPORTED, text + ": code generation happens at link time"};
    case OPT_grp_query:
      return Refusal{FERRY_REASON_NOT_COMPILE, text + ": a driver query, not a compile"};
    case OPT_grp_unsafe:
      return unsafe(text, "changes the compiler's programs, specs or plugins");
    case OPT_grp_unsupported:
      // -dumpdir/-dumpbase move auxiliary outputs; the others name files of
      // other languages (-J, -Hf, ...). -fpch-preprocess is harmless here.
      if (a.id == OPT_fpch_preprocess) {
        return std::nullopt;
      }
      return unsafe(text, "names a file or directory outside the job");
    case OPT_grp_extra_output:
      switch (a.id) {
        case OPT_gsplit_dwarf:
        case OPT_fstack_usage:
        case OPT_fcallgraph_info:
        case OPT_fcallgraph_info_EQ:
        case OPT_fsave_optimization_record:
          return std::nullopt;  // written beside the object, in the job
        default:
          return unsafe(text, "writes a file outside the job");
      }
    default:
      return std::nullopt;
  }
}

struct Facts {
  bool compile = false;
  bool assemble = false;
  std::vector<const ParsedArg*> outputs;
  std::vector<const ParsedArg*> inputs;
};

std::optional<Refusal> check_shape(const Facts& f, SourceKind& kind, const ParsedArg*& source) {
  if (!f.compile) {
    return Refusal{FERRY_REASON_NOT_COMPILE, "no -c or -S: not a compile"};
  }
  if (f.outputs.size() > 1) {
    return Refusal{FERRY_REASON_MULTIPLE_OUTPUTS, "more than one -o"};
  }
  if (!f.outputs.empty() && f.outputs.front()->value() == "-") {
    return Refusal{FERRY_REASON_OUTPUT_TO_STDOUT, "-o -: output to stdout"};
  }
  if (f.inputs.size() > 1) {
    return Refusal{FERRY_REASON_MULTIPLE_INPUTS, f.inputs[0]->value() + " and " +
                                                     f.inputs[1]->value() +
                                                     ": more than one input"};
  }
  if (f.inputs.empty()) {
    return Refusal{FERRY_REASON_NO_INPUT, "no input file"};
  }
  source = f.inputs.front();
  switch (classify_extension(source->value(), &kind)) {
    case InputClass::Source:
      return std::nullopt;
    case InputClass::Assembler:
      return Refusal{FERRY_REASON_LANGUAGE, source->value() + ": assembler is not accepted"};
    default:
      return Refusal{FERRY_REASON_NO_INPUT, source->value() + ": not a source file name"};
  }
}

std::vector<std::string> exec_argv(const std::vector<std::string>& argv,
                                   const std::vector<ParsedArg>& parsed, const ServerJob& job) {
  // `parsed` indexes argv without argv[0].
  std::vector<std::string> out = {argv.front()};
  bool saw_output = false;
  for (const ParsedArg& a : parsed) {
    const std::string& first = argv[a.index + 1];
    if (a.id == OPT_INPUT) {
      out.push_back(job.input_path);
    } else if (a.id == OPT_o) {
      saw_output = true;
      if (a.count == 2) {
        out.push_back(first);  // "-o" or "--output"
        out.push_back(job.object_path);
      } else {                 // "-ox" or "--output=x"
        out.push_back(first.substr(0, first.size() - a.value().size()) + job.object_path);
      }
    } else {
      for (size_t i = a.index; i < a.index + a.count; ++i) {
        out.push_back(argv[i + 1]);
      }
    }
  }
  if (!saw_output) {
    out.push_back("-o");
    out.push_back(job.object_path);
  }
  return out;
}

}  // namespace

ServerJob check_server_job(const Dialect& d, const ServerRequest& request) {
  if (request.argv.empty()) {
    return refused({FERRY_REASON_BAD_ARGUMENTS, "empty argv"});
  }
  std::vector<std::string> args(request.argv.begin() + 1, request.argv.end());
  for (const std::string& a : args) {
    if (starts_with(a, "@")) {
      return refused(unsafe(a, "response files are not accepted"));
    }
  }
  ParsedArgs parsed = parse_args(d.table(), args);
  if (d.refine != nullptr) {
    d.refine(parsed);
  }
  if (parsed.missing_value_index) {
    return refused({FERRY_REASON_BAD_ARGUMENTS,
                    "argument to '" + args[*parsed.missing_value_index] + "' is missing"});
  }
  Facts f;
  for (const ParsedArg& a : parsed.args) {
    std::string text = arg_text(args, a);
    if (d.server_refusal != nullptr) {
      if (auto r = d.server_refusal(a, text)) {
        return refused(std::move(*r));
      }
    }
    if (auto r = refuse_by_id(a, text)) {
      return refused(std::move(*r));
    }
    if (auto r = refuse_by_group(a, text)) {
      return refused(std::move(*r));
    }
    f.compile = f.compile || a.id == OPT_c || a.id == OPT_S;
    f.assemble = f.assemble || a.id == OPT_S;
    if (a.id == OPT_o) {
      f.outputs.push_back(&a);
    } else if (a.id == OPT_INPUT) {
      f.inputs.push_back(&a);
    }
  }
  SourceKind kind;
  const ParsedArg* source = nullptr;
  if (auto r = check_shape(f, kind, source)) {
    return refused(std::move(*r));
  }
  ServerJob job;
  job.accepted = true;
  job.input_path = in_dir(request.job_dir, std::string("input") + preprocessed_ext(kind.lang));
  job.object_path = in_dir(request.job_dir, f.assemble ? "output.s" : "output.o");
  job.exec_argv = exec_argv(request.argv, parsed.args, job);
  return job;
}

}  // namespace ferry::gcc_family
