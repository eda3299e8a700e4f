// A gcc-family plugin's ferry_plugin table (plain C ABI, see ferry/plugin.h),
// made from its Dialect: the plugin's module exports
//
//   extern "C" FERRY_PLUGIN_EXPORT const ferry_plugin* ferry_plugin_entry(void) {
//     return ferry::gcc_family::plugin_table<k_dialect>();
//   }
#pragma once

#include "dialect.h"
#include "ferry/plugin.h"
#include "ferry/sdk/abi.h"

namespace ferry::gcc_family {

/// True when a compiler basename matches one of the dialect's claim globs,
/// as the core matches the manifest (fnmatch without flags).
bool claims_compiler(const Dialect& d, const char* compiler_basename);

namespace abi_detail {
int plan(const Dialect& d, const ferry_plan_request* request, ferry_plan** out);
int server_check(const Dialect& d, const ferry_server_request* request, ferry_server_job** out);
}  // namespace abi_detail

/// The plugin table of dialect D: claims, plan, free_plan, server_check,
/// free_server_job. Unit tests call through it exactly as the core does
/// after dlopen.
template <const Dialect& D>
const ferry_plugin* plugin_table() {
  static constexpr ferry_plugin k_table = {
      FERRY_PLUGIN_ABI_VERSION,
      sizeof(ferry_plugin),
      D.name,
      D.description,
      [](const char* name) { return claims_compiler(D, name) ? 1 : 0; },
      [](const ferry_plan_request* r, ferry_plan** out) { return abi_detail::plan(D, r, out); },
      sdk::free_plan,
      [](const ferry_server_request* r, ferry_server_job** out) {
        return abi_detail::server_check(D, r, out);
      },
      sdk::free_server_job,
  };
  return &k_table;
}

}  // namespace ferry::gcc_family
