// The plugin SDK's C ABI shell: everything a C++ plugin would otherwise
// write again around its planner and its daemon check. It reads the core's
// requests into C++ values (checking what a request must hold and reading
// only the fields its struct_size covers), marshals the answers
// (ferry::abi::Plan / ServerJob, ferry/plugin.hpp) into the C structures
// with their free functions, and keeps exceptions from crossing the C
// boundary. A plugin's functions then shrink to
//
//   int my_plan(const ferry_plan_request* r, ferry_plan** out) {
//     return ferry::sdk::plan_shell(r, out, [](const ferry::sdk::PlanRequest& q) {
//       return make_my_plan(q);  // -> ferry::abi::Plan
//     });
//   }
//
// with ferry::sdk::free_plan as the table's free_plan (and likewise for
// server_check). Installed with ferry as <ferry/sdk/abi.h>, library
// Ferry::plugin_sdk (CMake) or ferry-plugin-sdk (pkg-config).
#pragma once

#include <optional>
#include <span>
#include <string>
#include <vector>

#include "ferry/plugin.h"
#include "ferry/plugin.hpp"

namespace ferry::sdk {

/// ferry_plan_request as values.
struct PlanRequest {
  std::string compiler;                 ///< as the core runs it locally
  std::vector<std::string> args;        ///< after the compiler name
  std::string cwd;                      ///< the client's working directory
  std::optional<std::string> strategy;  ///< nullopt: the plugin's default
};

/// ferry_server_request as values.
struct ServerRequest {
  std::vector<std::string> argv;  ///< as received; argv[0] is the compiler
  std::string job_dir;            ///< private, empty, absolute
};

/// False when the request lacks what every request must hold (a compiler,
/// well-formed args); fields beyond the caller's struct_size are not read.
bool read_request(const ferry_plan_request* request, PlanRequest& out);
/// False without argv or job_dir.
bool read_request(const ferry_server_request* request, ServerRequest& out);

/// One malloc'ed block each (struct, pointer arrays, strings, tags), so the
/// free functions are a single free(); nullptr when out of memory. Empty
/// optional strings (reason_text, language, ...) become NULL.
ferry_plan* to_abi(const abi::Plan& plan);
ferry_server_job* to_abi(const abi::ServerJob& job);
void free_plan(ferry_plan* plan);
void free_server_job(ferry_server_job* job);

namespace detail {
// Both shells: read the request, answer it in C++, marshal the answer.
template <typename Request, typename CRequest, typename CAnswer, typename Answer>
int shell(const CRequest* request, CAnswer** out, Answer&& answer) noexcept {
  if (out == nullptr) {
    return 1;
  }
  *out = nullptr;
  try {
    Request r;
    if (!read_request(request, r)) {
      return 1;
    }
    *out = to_abi(answer(static_cast<const Request&>(r)));
  } catch (...) {  // std::bad_alloc or a plugin's own: must not cross the C boundary
    return 1;
  }
  return *out == nullptr ? 1 : 0;
}
}  // namespace detail

/// plan() around a C++ planner: `make(const PlanRequest&) -> abi::Plan`.
/// Returns nonzero for a malformed request or an exception (std::bad_alloc),
/// and the core then compiles locally.
template <typename MakePlan>
int plan_shell(const ferry_plan_request* request, ferry_plan** out, MakePlan&& make) noexcept {
  return detail::shell<PlanRequest>(request, out, make);
}

/// server_check() around a C++ check: `check(const ServerRequest&) -> abi::ServerJob`.
template <typename Check>
int server_check_shell(const ferry_server_request* request, ferry_server_job** out,
                       Check&& check) noexcept {
  return detail::shell<ServerRequest>(request, out, check);
}

/// claims(): true when the basename matches one of the globs, as the core
/// matches a manifest's claim lines (fnmatch without flags).
bool claims_any(std::span<const char* const> globs, const char* compiler_basename);

}  // namespace ferry::sdk
