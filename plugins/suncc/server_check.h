// The daemon side: is a received Sun C argv a pure compile of one input?
#pragma once

#include "ferry/sdk/abi.h"

namespace ferry::suncc {

/// The SDK's and the ABI's C++ values (the SDK's shell in abi.cpp converts).
using ServerRequest = sdk::ServerRequest;
using ServerJob = abi::ServerJob;

ServerJob check_server_job(const ServerRequest& request);

}  // namespace ferry::suncc
