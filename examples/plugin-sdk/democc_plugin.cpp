// A whole ferry plugin in C++ on the plugin SDK (<ferry/sdk/abi.h>), for a
// made-up gcc-like C compiler `democc`: the planner and the daemon check are
// plain C++ on values (ferry::abi::Plan / ServerJob); the SDK reads the
// core's requests, marshals the answers into the C structures, frees them,
// and keeps exceptions from crossing the C boundary.
//
// The rules are deliberately tiny (a real plugin knows every option of its
// compiler, see examples/plugin-tcc and docs/plugin-guide.md): `democc -c
// X.c [-o Y.o]` with options that are all -I/-D/-O/-W* is distributed,
// anything else stays local.
#include <ferry/plugin.h>
#include <ferry/sdk/abi.h>
#include <ferry/sdk/verdicts.h>

#include <array>
#include <string>

namespace {

using ferry::sdk::Local;

bool ends_with(const std::string& s, const std::string& tail) {
  return s.size() >= tail.size() && s.compare(s.size() - tail.size(), tail.size(), tail) == 0;
}

std::string stem(const std::string& path) { return path.substr(0, path.rfind('.')); }

ferry::abi::Plan make_plan(const ferry::sdk::PlanRequest& r) {
  ferry::abi::Plan p;
  p.local_argv = {r.compiler};
  p.local_argv.insert(p.local_argv.end(), r.args.begin(), r.args.end());
  p.args = r.args;
  bool compile = false;
  std::string input, object;
  std::vector<std::string> cpp, remote;
  for (size_t i = 0; i < r.args.size(); ++i) {
    const std::string& a = r.args[i];
    uint8_t tag = FERRY_ARG_CPP | FERRY_ARG_REMOTE;
    if (a == "-c") {
      compile = true;
      tag = FERRY_ARG_REMOTE;
    } else if (a == "-o" && i + 1 < r.args.size()) {
      object = r.args[i + 1];
      p.tags.push_back(FERRY_ARG_REMOTE);
      tag = FERRY_ARG_REMOTE;
      ++i;
    } else if (a.rfind("-I", 0) == 0 || a.rfind("-D", 0) == 0) {
      tag = FERRY_ARG_CPP;
      cpp.push_back(a);
    } else if (a.rfind("-O", 0) == 0 || a.rfind("-W", 0) == 0) {
      cpp.push_back(a);
      remote.push_back(a);
    } else if (a[0] != '-' && ends_with(a, ".c") && input.empty()) {
      input = a;
    } else {
      p.tags.assign(r.args.size(), FERRY_ARG_CPP | FERRY_ARG_REMOTE);
      return ferry::sdk::local_plan(std::move(p), Local{FERRY_REASON_UNSUPPORTED,
                                                        a + ": not distributed by democc"});
    }
    p.tags.push_back(tag);
  }
  if (!compile || input.empty()) {
    return ferry::sdk::local_plan(std::move(p), Local{FERRY_REASON_NOT_COMPILE,
                                                      "not a compile of one .c file"});
  }
  p.distribute = true;
  p.language = "c";
  p.input = input;
  p.object = object.empty() ? stem(input.substr(input.rfind('/') + 1)) + ".o" : object;
  p.preprocessed_ext = ".i";
  p.cpp_argv = {r.compiler};
  p.cpp_argv.insert(p.cpp_argv.end(), cpp.begin(), cpp.end());
  p.cpp_argv.insert(p.cpp_argv.end(), {input, "-E"});
  p.remote_argv = {"democc"};
  p.remote_argv.insert(p.remote_argv.end(), remote.begin(), remote.end());
  p.remote_argv.insert(p.remote_argv.end(), {"-c", stem(input) + ".i", "-o", p.object});
  return p;
}

// The daemon accepts exactly what make_plan sends: -O/-W options, -c, one
// .i or .c input (distcc sends the source name), -o.
ferry::abi::ServerJob check(const ferry::sdk::ServerRequest& r) {
  ferry::abi::ServerJob j;
  j.input_path = ferry::sdk::in_dir(r.job_dir, "input.i");
  j.object_path = ferry::sdk::in_dir(r.job_dir, "output.o");
  j.exec_argv = {r.argv.empty() ? std::string() : r.argv[0]};
  bool compile = false, input = false;
  for (size_t i = 1; i < r.argv.size(); ++i) {
    const std::string& a = r.argv[i];
    if (a == "-c") {
      compile = true;
      j.exec_argv.push_back(a);
    } else if (a == "-o" && i + 1 < r.argv.size()) {
      ++i;
    } else if (a.rfind("-O", 0) == 0 || a.rfind("-W", 0) == 0) {
      j.exec_argv.push_back(a);
    } else if (a[0] != '-' && (ends_with(a, ".i") || ends_with(a, ".c")) && !input) {
      input = true;
      j.exec_argv.push_back(j.input_path);
    } else {
      return ferry::sdk::refused({FERRY_REASON_UNSAFE_OPTION, a + ": not accepted"});
    }
  }
  if (!compile || !input) {
    return ferry::sdk::refused({FERRY_REASON_NOT_COMPILE, "not a compile of one input"});
  }
  j.exec_argv.insert(j.exec_argv.end(), {"-o", j.object_path});
  j.accepted = true;
  return j;
}

constexpr std::array<const char*, 1> k_claims = {"democc"};

constexpr ferry_plugin k_plugin = {
    FERRY_PLUGIN_ABI_VERSION,
    sizeof(ferry_plugin),
    "democc",
    "democc, a made-up C compiler: the plugin SDK example",
    [](const char* name) { return ferry::sdk::claims_any(k_claims, name) ? 1 : 0; },
    [](const ferry_plan_request* r, ferry_plan** out) {
      return ferry::sdk::plan_shell(r, out, make_plan);
    },
    ferry::sdk::free_plan,
    [](const ferry_server_request* r, ferry_server_job** out) {
      return ferry::sdk::server_check_shell(r, out, check);
    },
    ferry::sdk::free_server_job,
};

}  // namespace

extern "C" FERRY_PLUGIN_EXPORT const ferry_plugin* ferry_plugin_entry(void) { return &k_plugin; }
