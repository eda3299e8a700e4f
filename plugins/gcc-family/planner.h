// The client side: from a gcc-family command line to a plan (distribute or
// local), with the plugin's Dialect for what is its own.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "dialect.h"
#include "ferry/plugin.h"

namespace ferry::gcc_family {

struct PlanRequest {
  std::string compiler;               ///< as the core runs it locally
  std::vector<std::string> args;      ///< after the compiler name
  std::string cwd;                    ///< for relative @file names
  std::optional<std::string> strategy;  ///< nullopt: the dialect's default
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
  std::vector<std::string> args;  ///< after @file expansion
  std::vector<uint8_t> tags;      ///< FERRY_ARG_* per item of args
};

Plan make_plan(const Dialect& dialect, const PlanRequest& request);

}  // namespace ferry::gcc_family
