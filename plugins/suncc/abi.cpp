// The C ABI of the suncc plugin: the plugin SDK's shells (ferry/sdk/abi.h:
// request checks, marshalling, no exception across the C boundary) around
// the Sun C planner and daemon check.
#include "abi.h"

#include "claims.h"
#include "ferry/sdk/abi.h"
#include "planner.h"
#include "server_check.h"

namespace ferry::suncc {
namespace {

int abi_claims(const char* compiler_basename) {
  return claims_compiler(compiler_basename) ? 1 : 0;
}

int abi_plan(const ferry_plan_request* request, ferry_plan** out) {
  return sdk::plan_shell(request, out, make_plan);
}

int abi_server_check(const ferry_server_request* request, ferry_server_job** out) {
  return sdk::server_check_shell(request, out, check_server_job);
}

constexpr ferry_plugin k_table = {
    FERRY_PLUGIN_ABI_VERSION,
    sizeof(ferry_plugin),
    "suncc",
    "Sun/Oracle Studio C (cc, suncc): cc -E to stdout, -xMD/-xMF dependencies; CC local",
    abi_claims,
    abi_plan,
    sdk::free_plan,
    abi_server_check,
    sdk::free_server_job,
};

}  // namespace

const ferry_plugin* plugin_table() { return &k_table; }

}  // namespace ferry::suncc
