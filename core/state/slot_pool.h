// Choosing a slot across every ferry process of the user, as distcc does:
// slot level first, then list order (A/4 B/4 gives A0 B0 A1 B1 ...), each
// slot an exclusive non-blocking lock on lock/cpu_<pool>_<N>. When every
// slot is taken the caller sleeps until a lock file is closed (inotify), not
// in a polling loop, and gives up after a timeout.
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include <llvm/Support/Error.h>

#include "state/slot_lock.h"

namespace ferry::state {

struct Pool {
  std::string name;  // "tcp_10.0.0.1_3632", "ssh_box", "localhost", "cpp"
  int slots = 0;
};

struct Acquired {
  size_t pool = 0;  // index into the pools given
  int slot = 0;
  SlotLock lock;
  std::chrono::milliseconds waited{0};
};

// The lock file of one slot.
std::string slot_path(const std::string& lock_dir, const std::string& pool, int slot);

// Timeout (ExitCode::Timeout) when nothing frees up within `timeout`;
// IoError when lock files cannot be opened; DistccFailed for no slots.
llvm::Expected<Acquired> acquire_slot(const std::string& lock_dir, const std::vector<Pool>& pools,
                                      std::chrono::milliseconds timeout);

}  // namespace ferry::state
