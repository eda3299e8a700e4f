// The client's whole flow for one compiler invocation: plan with the
// compiler's plugin, pick a host, compile there, or compile here — and never
// fail a build because a host failed.
#pragma once

#include <string>

#include "client/client_config.h"
#include "client/invocation.h"
#include "util/log.h"

namespace ferry::client {

struct ClientContext {
  std::string self_exe;  // to find the plugin directory
  const Logger& log;
  // The policy layers read for this process (core/config); nullptr: the
  // environment alone, as before the configuration existed.
  const ProcessConfig* config = nullptr;
};

// Returns the exit code for main(). Local compiles replace this process
// (exec), so the compiler's status and signals reach the caller untouched.
int run_client(const Invocation& inv, const ClientContext& ctx);

// `ferry --plan COMPILER ARGS...`: prints the plan, runs nothing.
int print_plan(const Invocation& inv, const ClientContext& ctx);

}  // namespace ferry::client
