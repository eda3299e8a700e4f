// What ferryd accepts for Sun C: the plan's remote_argv (`suncc -xO3 -c
// src/a.i -o build/a.o`), or a distcc client's argv with the original .c
// name (distcc sends the source name though the body is preprocessed).
//
// Accepted: exactly one compile (-c) of one .c or .i operand to at most one
// -o. The input is written to <job_dir>/input.i (Sun's driver then compiles
// without preprocessing), the object is <job_dir>/output.o.
//
// Refused before anything runs: options or programs handed to compiler
// phases (-Qoption, -Y*, -W*), anything that reads a file of this host
// (-include, -xprofile=use, -xpch=use, .il templates) or writes one outside
// the job (-xMD, -xMMD, -xMF, -keeptmp, -xsb), preprocessing or dependency
// runs (-E, -P, -xM, -xM1), linker options, driver queries, this host's CPU
// (-native, -fast, -x...=native), and every argument starting with '@'.
// Include-path and macro options (-I, -D, -U) are harmless: the body is
// already preprocessed.
#include "server_check.h"

#include "ferry/sdk/verdicts.h"
#include "options.h"
#include "planner.h"

namespace ferry::suncc {
namespace {

using Refusal = sdk::Local;
using sdk::in_dir;
using sdk::refused;

std::optional<Refusal> refuse(const ParsedArg& a, const std::string& text) {
  auto unsafe = [&](const char* why) {
    return Refusal{FERRY_REASON_UNSAFE_OPTION, text + ": " + why};
  };
  switch (a.opt) {
    case Opt::Preprocess:
    case Opt::DepsOnly:
      return Refusal{FERRY_REASON_PREPROCESS_ONLY, text + ": preprocessing is the client's job"};
    case Opt::DepsMD:
    case Opt::DepsFile:
      return unsafe("dependency output is the client's job");
    case Opt::Link:
      return unsafe("linker options are not accepted");
    case Opt::Query:
      return Refusal{FERRY_REASON_NOT_COMPILE, text + ": a driver query, not a compile"};
    case Opt::Unsafe:
      return unsafe("hands options or programs to the compiler's phases");
    case Opt::Profiling:
      return unsafe("profile feedback files");
    case Opt::Pch:
      return unsafe("precompiled header files");
    case Opt::ExtraOutput:
      return unsafe("writes files outside the job");
    case Opt::NoObject:
    case Opt::Assemble:
      return Refusal{FERRY_REASON_UNSUPPORTED, text + ": not a compile to an object"};
    case Opt::LinkTimeOpt:
      return a.value == "=0" ? std::nullopt
                             : std::optional<Refusal>(Refusal{FERRY_REASON_UNSUPPORTED,
                                                              text + ": link-time code"});
    case Opt::Native:
      return Refusal{FERRY_REASON_HOST_SPECIFIC, text + ": would target this host's CPU"};
    case Opt::Cpu:
      if (a.value == "native") {
        return Refusal{FERRY_REASON_HOST_SPECIFIC, text + ": would target this host's CPU"};
      }
      return std::nullopt;
    case Opt::Cpp:
      if (text.rfind("-include", 0) == 0) {
        return unsafe("would read a file of this host");
      }
      return std::nullopt;
    default:
      return std::nullopt;
  }
}

}  // namespace

ServerJob check_server_job(const ServerRequest& request) {
  if (request.argv.empty()) {
    return refused({FERRY_REASON_BAD_ARGUMENTS, "empty argv"});
  }
  std::vector<std::string> args(request.argv.begin() + 1, request.argv.end());
  for (const std::string& a : args) {
    if (!a.empty() && a[0] == '@') {
      return refused({FERRY_REASON_UNSAFE_OPTION, a + ": response files are not accepted"});
    }
  }
  ParsedArgs parsed = parse_suncc_args(args);
  if (parsed.missing_value) {
    return refused({FERRY_REASON_BAD_ARGUMENTS,
                    "argument to '" + args[parsed.missing_index] + "' is missing"});
  }
  bool compile = false;
  std::vector<const ParsedArg*> outputs;
  std::vector<const ParsedArg*> inputs;
  for (const ParsedArg& a : parsed.args) {
    std::string text = args[a.index] + (a.count > 1 ? " " + a.value : "");
    if (auto r = refuse(a, text)) {
      return refused(std::move(*r));
    }
    compile = compile || a.opt == Opt::Compile;
    if (a.opt == Opt::Output) {
      outputs.push_back(&a);
    } else if (a.opt == Opt::Input) {
      inputs.push_back(&a);
    }
  }
  if (!compile) {
    return refused({FERRY_REASON_NOT_COMPILE, "no -c: not a compile"});
  }
  if (outputs.size() > 1) {
    return refused({FERRY_REASON_MULTIPLE_OUTPUTS, "more than one -o"});
  }
  if (!outputs.empty() && outputs.front()->value == "-") {
    return refused({FERRY_REASON_OUTPUT_TO_STDOUT, "-o -: output to stdout"});
  }
  if (inputs.size() != 1) {
    return refused(inputs.empty() ? Refusal{FERRY_REASON_NO_INPUT, "no input file"}
                                  : Refusal{FERRY_REASON_MULTIPLE_INPUTS, "more than one input"});
  }
  std::string ext = extension(inputs.front()->value);
  if (ext != ".c" && ext != ".i") {
    return refused({FERRY_REASON_LANGUAGE, inputs.front()->value + ": not a C source name"});
  }

  ServerJob job;
  job.accepted = true;
  job.input_path = in_dir(request.job_dir, "input.i");
  job.object_path = in_dir(request.job_dir, "output.o");
  job.exec_argv.push_back(request.argv.front());
  for (const ParsedArg& a : parsed.args) {
    if (a.opt == Opt::Input) {
      job.exec_argv.push_back(job.input_path);
    } else if (a.opt == Opt::Output) {
      job.exec_argv.push_back("-o");
      job.exec_argv.push_back(job.object_path);
    } else {
      for (size_t i = a.index; i < a.index + a.count; ++i) {
        job.exec_argv.push_back(args[i]);
      }
    }
  }
  if (outputs.empty()) {
    job.exec_argv.push_back("-o");
    job.exec_argv.push_back(job.object_path);
  }
  return job;
}

}  // namespace ferry::suncc
