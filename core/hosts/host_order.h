// `--randomize`: the per-process shuffle of a host list, so that many clients
// (one `ferry` per compile) do not all pick the same first host.
#pragma once

#include <cstdint>

#include "hosts/host_spec.h"

namespace ferry::hosts {

// Shuffles list.hosts (each host keeps its slots and options) in an order
// that depends on every bit of `seed`: processes started one after another
// have nearly equal pids, and a seed that only moved the first draw a little
// would send them all to the same host.
void shuffle_hosts(HostList& list, uint64_t seed);

// A seed for this process: its pid and the time.
uint64_t process_seed();

}  // namespace ferry::hosts
