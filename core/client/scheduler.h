// Which host runs a job, across every ferry process of the user: hosts that
// are down or backed off are skipped; among the rest a free slot is taken
// slot level first, then in list order (distcc's rule: put fast hosts first);
// when every slot is busy we wait, cheaply, up to the I/O timeout.
#pragma once

#include <chrono>
#include <set>
#include <string>
#include <vector>

#include <llvm/Support/Error.h>

#include "hosts/host_spec.h"
#include "state/slot_lock.h"
#include "util/log.h"

namespace ferry::client {

// Pool names of the local pools (lock/cpu_<name>_<N>). "localhost" is shared
// with a `localhost/N` host, as distcc shares cpu_localhost_N.
inline constexpr const char* kLocalPool = "localhost";
inline constexpr const char* kCppPool = "cpp";

struct Candidates {
  std::vector<size_t> hosts;  // indexes into the list, in order
  std::string skipped;        // why hosts were left out, for messages
};

// Hosts that may be tried now: not ,down, not already tried by this job
// (`tried`), not backed off (period 0 disables backoff).
Candidates usable_hosts(const std::vector<hosts::Host>& list, const std::set<size_t>& tried,
                        const std::string& lock_dir, std::chrono::seconds backoff_period);

struct HostSlot {
  size_t host = 0;  // index into the list
  state::SlotLock lock;
  std::chrono::milliseconds waited{0};
};

// Timeout when every slot stayed busy for `timeout`.
llvm::Expected<HostSlot> take_host_slot(const std::vector<hosts::Host>& list,
                                        const std::vector<size_t>& candidates,
                                        const std::string& lock_dir,
                                        std::chrono::milliseconds timeout);

// A slot in a local pool. After `timeout` the job goes ahead without one
// (an unheld lock), with a notice: a stuck build is worse than a busy one.
state::SlotLock take_local_slot(const std::string& lock_dir, const char* pool, int slots,
                                std::chrono::milliseconds timeout, const Logger& log);

}  // namespace ferry::client
