// The core's own copy of a plugin's answer, as C++ values, so nothing
// outlives the plugin's memory and the rest of the core never sees the ABI.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "ferry/plugin.h"

namespace ferry::plan {

struct TaggedArg {
  std::string text;
  uint8_t tags = 0;  // FERRY_ARG_* bits
};

struct Plan {
  bool distribute = false;
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
  std::vector<TaggedArg> args;
};

struct ServerJob {
  bool accepted = false;
  ferry_reason reason = FERRY_REASON_NONE;
  std::string reason_text;
  std::string input_path;
  std::string object_path;
  std::vector<std::string> exec_argv;
};

std::vector<std::string> to_vector(ferry_strv v);
Plan from_abi(const ferry_plan& p);
ServerJob from_abi(const ferry_server_job& j);

// A short stable name for a reason ("not-compile", "host-specific", ...),
// used in logs, statistics and the monitor.
const char* reason_name(ferry_reason r);

// The human-readable plan that `ferry --plan` prints.
std::string format_plan(const Plan& p);

}  // namespace ferry::plan
