// One job on one remote host: start the local preprocessor, connect and send
// the argv while it runs, then send its output and read the answer.
#pragma once

#include <string>

#include <llvm/Support/Error.h>

#include "client/settings.h"
#include "hosts/host_spec.h"
#include "plan/plan.h"
#include "proto/codec.h"

namespace ferry::client {

struct RemoteResult {
  // The local preprocessor failed: nothing was compiled remotely. The caller
  // compiles locally so the user sees the compiler's own diagnostics.
  bool cpp_failed = false;
  std::string cpp_stderr;   // the preprocessor's warnings, to show the user
  proto::Response response; // when !cpp_failed
  uint64_t bytes_sent = 0;
  uint64_t bytes_received = 0;
};

// Transport failures (refused, timeout, protocol error, closed without an
// answer) are returned as errors carrying their distcc exit code.
llvm::Expected<RemoteResult> compile_remotely(const plan::Plan& plan, const hosts::Host& host,
                                              const ClientSettings& settings);

}  // namespace ferry::client
