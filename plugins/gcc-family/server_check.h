// The daemon side: is a received gcc-family argv a pure compile of one preprocessed
// input, and how to run it inside the job directory.
#pragma once

#include "dialect.h"
#include "ferry/sdk/abi.h"

namespace ferry::gcc_family {

/// The SDK's and the ABI's C++ values (the SDK's shell in abi.cpp converts).
using ServerRequest = sdk::ServerRequest;
using ServerJob = abi::ServerJob;

ServerJob check_server_job(const Dialect& dialect, const ServerRequest& request);

}  // namespace ferry::gcc_family
