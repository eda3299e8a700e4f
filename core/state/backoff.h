// Per-host backoff after a transport failure, shared by every ferry process
// through files: lock/backoff_<host key>, whose mtime is the last failure. A
// host is skipped while now - mtime < period (FERRY_BACKOFF_PERIOD, 60 s).
#pragma once

#include <chrono>
#include <string>

namespace ferry::state {

std::string backoff_path(const std::string& lock_dir, const std::string& host_key);

// Seconds left in the host's backoff, 0 when it may be used.
long backoff_left(const std::string& lock_dir, const std::string& host_key,
                  std::chrono::seconds period);

// Marks (or re-marks) the host as failed now. Best effort: a backoff that
// cannot be recorded only costs another failed attempt later.
void mark_backoff(const std::string& lock_dir, const std::string& host_key);

}  // namespace ferry::state
