// The client side: from a Sun C command line to a plan (distribute or local).
#pragma once

#include <string>

#include "ferry/sdk/abi.h"

namespace ferry::suncc {

/// The bare name the remote compile runs. Sun's `cc` is ambiguous on a
/// volunteer that also has gcc (ferryd would hand it to the gcc plugin);
/// Oracle Developer Studio on Linux installs `suncc` for exactly this reason.
inline constexpr const char* k_remote_compiler = "suncc";

/// The plugin SDK's request and the ABI's plan as C++ values (the SDK's
/// shell in abi.cpp converts; Sun C has no @files, so cwd is unused).
using PlanRequest = sdk::PlanRequest;
using Plan = abi::Plan;

Plan make_plan(const PlanRequest& request);

/// "src/a.c" -> "a.c"
std::string base_name(const std::string& path);
/// The last suffix of the base name replaced (or appended): "b/a.x.o" -> "b/a.x.d".
std::string replace_extension(const std::string& path, const std::string& ext);
/// ".c", ".i", "" (of the base name).
std::string extension(const std::string& path);

}  // namespace ferry::suncc
