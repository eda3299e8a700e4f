// The client side: from a gcc-family command line to a plan (distribute or
// local), with the plugin's Dialect for what is its own.
#pragma once

#include "dialect.h"
#include "ferry/sdk/abi.h"

namespace ferry::gcc_family {

/// The request and the plan are the plugin SDK's and the ABI's C++ values
/// (the SDK's shell in abi.cpp converts; request.cwd is for relative @file
/// names, strategy nullopt is the dialect's default).
using PlanRequest = sdk::PlanRequest;
using Plan = abi::Plan;

Plan make_plan(const Dialect& dialect, const PlanRequest& request);

}  // namespace ferry::gcc_family
