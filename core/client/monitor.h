// `ferry --monitor`: what this client is compiling where, right now, read
// from the job files every running ferry keeps in $FERRY_DIR/state.
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "state/job_state.h"

namespace ferry::client {

// The table for a set of jobs, oldest first; `now_ms` for the elapsed time.
std::string format_jobs(std::vector<state::JobInfo> jobs, long long now_ms);

// Prints the table once (`once`) or every `interval` until interrupted,
// redrawing in place on a terminal. Returns main()'s exit code.
int run_monitor(const std::string& state_root, bool once, std::chrono::milliseconds interval);

}  // namespace ferry::client
