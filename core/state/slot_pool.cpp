#include "state/slot_pool.h"

#include <poll.h>
#include <sys/inotify.h>
#include <unistd.h>

#include <algorithm>
#include <thread>

#include "util/error.h"

namespace ferry::state {
namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

// When inotify is unavailable (out of instances: the default limit is 128
// per user, fewer than a big make -j may have waiting), or as a safety net
// for a missed event, we look again after this long at most.
constexpr milliseconds kMaxNap{500};
constexpr milliseconds kFirstNap{20};

struct Candidate {
  size_t pool;
  int slot;
  UniqueFd fd;  // opened on first try, kept open while waiting
};

// Candidates in the order they are tried: slot level first, then pools.
std::vector<Candidate> order_candidates(const std::vector<Pool>& pools) {
  int max_slots = 0;
  for (const auto& p : pools) {
    max_slots = std::max(max_slots, p.slots);
  }
  std::vector<Candidate> out;
  for (int s = 0; s < max_slots; ++s) {
    for (size_t i = 0; i < pools.size(); ++i) {
      if (s < pools[i].slots) {
        out.push_back({i, s, UniqueFd()});
      }
    }
  }
  return out;
}

// Tries every candidate once, in order. Waiters keep their files open, so
// their retries do not raise close events that would wake each other.
llvm::Expected<int> try_all(const std::string& lock_dir, const std::vector<Pool>& pools,
                            std::vector<Candidate>& cands) {
  for (size_t i = 0; i < cands.size(); ++i) {
    Candidate& c = cands[i];
    if (!c.fd.valid()) {
      auto fd = open_lock_file(slot_path(lock_dir, pools[c.pool].name, c.slot));
      if (!fd) {
        return fd.takeError();
      }
      c.fd = std::move(*fd);
    }
    if (try_flock(c.fd.get())) {
      return static_cast<int>(i);
    }
  }
  return -1;
}

// Sleeps until a file in lock_dir is closed after writing (a slot freed),
// or `nap` passes.
void wait_for_release(int inotify_fd, milliseconds nap) {
  if (inotify_fd < 0) {
    std::this_thread::sleep_for(nap);
    return;
  }
  pollfd p{inotify_fd, POLLIN, 0};
  if (::poll(&p, 1, static_cast<int>(nap.count())) > 0) {
    alignas(inotify_event) char buf[4096];
    while (::read(inotify_fd, buf, sizeof buf) > 0) {
    }
  }
}

}  // namespace

std::string slot_path(const std::string& lock_dir, const std::string& pool, int slot) {
  return lock_dir + "/cpu_" + pool + "_" + std::to_string(slot);
}

llvm::Expected<Acquired> acquire_slot(const std::string& lock_dir, const std::vector<Pool>& pools,
                                      milliseconds timeout) {
  std::vector<Candidate> cands = order_candidates(pools);
  if (cands.empty()) {
    return make_error(ExitCode::DistccFailed, "no slots to choose from");
  }
  auto start = Clock::now();
  auto deadline = start + timeout;
  UniqueFd watch;
  milliseconds nap = kFirstNap;
  while (true) {
    auto got = try_all(lock_dir, pools, cands);
    if (!got) {
      return got.takeError();
    }
    if (*got >= 0) {
      Candidate& c = cands[static_cast<size_t>(*got)];
      return Acquired{c.pool, c.slot, SlotLock(std::move(c.fd)),
                      std::chrono::duration_cast<milliseconds>(Clock::now() - start)};
    }
    auto now = Clock::now();
    if (now >= deadline) {
      return make_error(ExitCode::Timeout,
                        "every slot stayed busy for " +
                            std::to_string(std::chrono::duration_cast<milliseconds>(now - start)
                                               .count() / 1000) + "s");
    }
    if (!watch.valid() && nap == kFirstNap) {
      // First time everything is busy: watch the directory. A watch set up
      // after our tries may miss a release in between; the first nap is
      // short for that reason.
      watch.reset(::inotify_init1(IN_NONBLOCK | IN_CLOEXEC));
      if (watch.valid() &&
          ::inotify_add_watch(watch.get(), lock_dir.c_str(), IN_CLOSE_WRITE) < 0) {
        watch.reset();
      }
    }
    auto left = std::chrono::duration_cast<milliseconds>(deadline - now);
    wait_for_release(watch.get(), std::min({nap, left + milliseconds(1)}));
    // Without inotify, back off the polling so waiting stays cheap; with
    // it, the nap is only the safety net.
    nap = watch.valid() ? kMaxNap : std::min(nap * 2, kMaxNap);
  }
}

}  // namespace ferry::state
