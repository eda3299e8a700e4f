#include "client/scheduler.h"

#include "state/backoff.h"
#include "state/slot_pool.h"
#include "util/error.h"

namespace ferry::client {

Candidates usable_hosts(const std::vector<hosts::Host>& list, const std::set<size_t>& tried,
                        const std::string& lock_dir, std::chrono::seconds backoff_period) {
  Candidates c;
  for (size_t i = 0; i < list.size(); ++i) {
    const hosts::Host& h = list[i];
    if (h.down || tried.count(i) != 0) {
      continue;
    }
    if (h.kind != hosts::HostKind::Local && !lock_dir.empty()) {
      long left = state::backoff_left(lock_dir, h.lock_key(), backoff_period);
      if (left > 0) {
        c.skipped += (c.skipped.empty() ? "" : ", ") + h.display() + " backed off for " +
                     std::to_string(left) + "s more";
        continue;
      }
    }
    c.hosts.push_back(i);
  }
  return c;
}

llvm::Expected<HostSlot> take_host_slot(const std::vector<hosts::Host>& list,
                                        const std::vector<size_t>& candidates,
                                        const std::string& lock_dir,
                                        std::chrono::milliseconds timeout) {
  std::vector<state::Pool> pools;
  for (size_t i : candidates) {
    pools.push_back({list[i].lock_key(), list[i].slots});
  }
  auto got = state::acquire_slot(lock_dir, pools, timeout);
  if (!got) {
    return got.takeError();
  }
  return HostSlot{candidates[got->pool], std::move(got->lock), got->waited};
}

state::SlotLock take_local_slot(const std::string& lock_dir, const char* pool, int slots,
                                std::chrono::milliseconds timeout, const Logger& log) {
  if (lock_dir.empty()) {
    return {};
  }
  auto got = state::acquire_slot(lock_dir, {{pool, slots}}, timeout);
  if (!got) {
    ErrorSummary s = summarize(got.takeError());
    log.notice(std::string("no free local ") + (std::string(pool) == kCppPool ? "preprocessing " : "") +
               "slot (" + s.message + "); going ahead without one");
    return {};
  }
  if (got->waited.count() > 0) {
    log.debug(std::string("waited ") + std::to_string(got->waited.count()) + "ms for slot " +
              pool + "_" + std::to_string(got->slot));
  }
  return std::move(got->lock);
}

}  // namespace ferry::client
