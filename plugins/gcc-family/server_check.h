// The daemon side: is a received gcc-family argv a pure compile of one preprocessed
// input, and how to run it inside the job directory.
#pragma once

#include <string>
#include <vector>

#include "dialect.h"
#include "ferry/plugin.h"

namespace ferry::gcc_family {

struct ServerRequest {
  std::vector<std::string> argv;  ///< as received; argv[0] is the compiler
  std::string job_dir;            ///< private, empty, absolute
};

/// ferry_server_job as C++ values (abi.cpp converts).
struct ServerJob {
  ferry_verdict verdict = FERRY_VERDICT_LOCAL;
  ferry_reason reason = FERRY_REASON_NONE;
  std::string reason_text;
  std::string input_path;
  std::string object_path;
  std::vector<std::string> exec_argv;
};

ServerJob check_server_job(const Dialect& dialect, const ServerRequest& request);

}  // namespace ferry::gcc_family
