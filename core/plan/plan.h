// The core's copy of a plugin's answer, as C++ values, so nothing
// outlives the plugin's memory and the rest of the core never sees the ABI.
// The value types are the public C++ layer over the ABI (ferry/plugin.hpp),
// shared with the plugin SDK and the tests: one definition of "ferry_plan as
// values" instead of a core copy that could drift from the plugins' one.
#pragma once

#include <string>

#include "ferry/plugin.h"
#include "ferry/plugin.hpp"

namespace ferry::plan {

using Plan = abi::Plan;
using ServerJob = abi::ServerJob;
using abi::from_abi;
using abi::to_vector;

// A short stable name for a reason ("not-compile", "host-specific", ...),
// used in logs, statistics and the monitor.
const char* reason_name(ferry_reason r);

// The human-readable plan that `ferry --plan` prints.
std::string format_plan(const Plan& p);

}  // namespace ferry::plan
