// The plugin SDK's verdict helpers: a reason to keep a job local (client) or
// refuse it (daemon), and the plan or job that says so, in one line.
#pragma once

#include <string>

#include "ferry/plugin.h"
#include "ferry/plugin.hpp"

namespace ferry::sdk {

/// Why a job stays local (plan) or is refused (server check).
struct Local {
  ferry_reason reason = FERRY_REASON_UNSUPPORTED;
  std::string text;
};

/// The text as one line: arguments may hold newlines, and the core logs
/// and prints reasons one per line.
std::string one_line(std::string text);

/// `plan` turned local with that reason (what it already holds, such as
/// local_argv, args and tags, is kept).
abi::Plan local_plan(abi::Plan plan, Local why);

/// A refused server job.
abi::ServerJob refused(Local why);

/// "DIR/NAME" whether or not dir ends with '/'.
std::string in_dir(const std::string& dir, const std::string& name);

}  // namespace ferry::sdk
