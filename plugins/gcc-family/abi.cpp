// The C ABI shared by the gcc-family plugins: the plugin SDK's shells
// (ferry/sdk/abi.h: request checks, marshalling, no exception across the C
// boundary) around the family's planner and daemon check.
#include "abi.h"

#include "ferry/sdk/abi.h"
#include "planner.h"
#include "server_check.h"

namespace ferry::gcc_family {

namespace abi_detail {

int plan(const Dialect& d, const ferry_plan_request* request, ferry_plan** out) {
  return sdk::plan_shell(request, out, [&](const PlanRequest& r) { return make_plan(d, r); });
}

int server_check(const Dialect& d, const ferry_server_request* request, ferry_server_job** out) {
  return sdk::server_check_shell(request, out,
                                 [&](const ServerRequest& r) { return check_server_job(d, r); });
}

}  // namespace abi_detail

bool claims_compiler(const Dialect& d, const char* compiler_basename) {
  return sdk::claims_any(d.claims, compiler_basename);
}

}  // namespace ferry::gcc_family
