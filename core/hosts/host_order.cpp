#include "hosts/host_order.h"

#include <unistd.h>

#include <chrono>
#include <utility>

namespace ferry::hosts {
namespace {

// splitmix64: a full-avalanche step, so seeds that differ in one low bit
// (consecutive pids) give unrelated sequences. std::minstd_rand seeded with
// consecutive pids changes its first draw by a fixed small step, which made
// every process of a build shuffle alike.
uint64_t next(uint64_t& state) {
  uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

// Uniform in [0, n) up to a bias below n / 2^64 (negligible for host lists).
size_t below(uint64_t& state, size_t n) {
  return static_cast<size_t>((static_cast<unsigned __int128>(next(state)) * n) >> 64);
}

}  // namespace

void shuffle_hosts(HostList& list, uint64_t seed) {
  auto& h = list.hosts;
  uint64_t state = seed;
  // Fisher-Yates.
  for (size_t i = h.size(); i > 1; --i) {
    size_t j = below(state, i);
    if (j != i - 1) {
      std::swap(h[i - 1], h[j]);
    }
  }
}

uint64_t process_seed() {
  auto now = std::chrono::steady_clock::now().time_since_epoch();
  return (static_cast<uint64_t>(::getpid()) << 32) ^
         static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::nanoseconds>(now).count());
}

}  // namespace ferry::hosts
