// The client side: from a Sun C command line to a plan (distribute or local).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "ferry/plugin.h"

namespace ferry::suncc {

/// The bare name the remote compile runs. Sun's `cc` is ambiguous on a
/// volunteer that also has gcc (ferryd would hand it to the gcc plugin);
/// Oracle Developer Studio on Linux installs `suncc` for exactly this reason.
inline constexpr const char* k_remote_compiler = "suncc";

struct PlanRequest {
  std::string compiler;           ///< as the core runs it locally
  std::vector<std::string> args;  ///< after the compiler name
  std::optional<std::string> strategy;
};

/// ferry_plan as C++ values (abi.cpp converts).
struct Plan {
  ferry_verdict verdict = FERRY_VERDICT_LOCAL;
  ferry_reason reason = FERRY_REASON_NONE;
  std::string reason_text;
  std::string language;
  std::string input;
  std::string object;
  std::optional<std::string> dep_file;
  std::string preprocessed_ext;
  bool input_is_preprocessed = false;
  std::vector<std::string> cpp_argv;
  std::vector<std::string> remote_argv;
  std::vector<std::string> local_argv;
  std::vector<std::string> args;
  std::vector<uint8_t> tags;  ///< FERRY_ARG_* per item of args
};

Plan make_plan(const PlanRequest& request);

/// "src/a.c" -> "a.c"
std::string base_name(const std::string& path);
/// The last suffix of the base name replaced (or appended): "b/a.x.o" -> "b/a.x.d".
std::string replace_extension(const std::string& path, const std::string& ext);
/// ".c", ".i", "" (of the base name).
std::string extension(const std::string& path);

}  // namespace ferry::suncc
