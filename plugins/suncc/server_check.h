// The daemon side: is a received Sun C argv a pure compile of one input?
#pragma once

#include <string>
#include <vector>

#include "ferry/plugin.h"

namespace ferry::suncc {

struct ServerRequest {
  std::vector<std::string> argv;  ///< as received; argv[0] is the compiler
  std::string job_dir;
};

struct ServerJob {
  ferry_verdict verdict = FERRY_VERDICT_LOCAL;
  ferry_reason reason = FERRY_REASON_NONE;
  std::string reason_text;
  std::string input_path;
  std::string object_path;
  std::vector<std::string> exec_argv;
};

ServerJob check_server_job(const ServerRequest& request);

}  // namespace ferry::suncc
