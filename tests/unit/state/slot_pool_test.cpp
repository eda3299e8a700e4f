#include "state/slot_pool.h"

#include <gtest/gtest.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <thread>

#include "state/state_dir.h"
#include "test_dir.h"
#include "util/error.h"

namespace ferry::state {
namespace {

using std::chrono::milliseconds;

struct Taken {
  size_t pool;
  int slot;
};

Taken take(const std::string& dir, const std::vector<Pool>& pools, std::vector<SlotLock>& held) {
  auto got = acquire_slot(dir, pools, milliseconds(0));
  EXPECT_TRUE(static_cast<bool>(got)) << (got ? "" : summarize(got.takeError()).message);
  Taken t{got->pool, got->slot};
  held.push_back(std::move(got->lock));
  return t;
}

TEST(SlotPool, SlotLevelFirstThenListOrder) {
  TestDir d;
  std::vector<Pool> pools{{"tcp_a_1", 2}, {"tcp_b_1", 3}};
  std::vector<SlotLock> held;
  std::vector<std::pair<size_t, int>> order;
  for (int i = 0; i < 5; ++i) {
    Taken t = take(d.path(), pools, held);
    order.emplace_back(t.pool, t.slot);
  }
  std::vector<std::pair<size_t, int>> want{{0, 0}, {1, 0}, {0, 1}, {1, 1}, {1, 2}};
  EXPECT_EQ(order, want);
  // All five taken: nothing left, and the wait ends with Timeout.
  auto none = acquire_slot(d.path(), pools, milliseconds(50));
  ASSERT_FALSE(static_cast<bool>(none));
  EXPECT_EQ(summarize(none.takeError()).code, ExitCode::Timeout);
  // A released slot is the next one given.
  held[2].release();  // a/1
  Taken again = take(d.path(), pools, held);
  EXPECT_EQ(again.pool, 0U);
  EXPECT_EQ(again.slot, 1);
  EXPECT_TRUE(std::filesystem::exists(slot_path(d.path(), "tcp_a_1", 1)));
}

// Locks hold across processes: a child cannot take what the parent holds,
// and gets it once the parent lets go.
TEST(SlotPool, ExclusiveAcrossProcesses) {
  TestDir d;
  std::vector<Pool> pools{{"localhost", 1}};
  std::vector<SlotLock> held;
  take(d.path(), pools, held);
  pid_t child = ::fork();
  if (child == 0) {
    auto got = acquire_slot(d.path(), pools, milliseconds(0));
    ::_exit(got ? 1 : 0);
  }
  int status = 0;
  ::waitpid(child, &status, 0);
  EXPECT_EQ(WEXITSTATUS(status), 0) << "the child took a slot the parent holds";
  held.clear();
  child = ::fork();
  if (child == 0) {
    auto got = acquire_slot(d.path(), pools, milliseconds(0));
    ::_exit(got ? 0 : 1);
  }
  ::waitpid(child, &status, 0);
  EXPECT_EQ(WEXITSTATUS(status), 0) << "the child could not take a released slot";
}

// Waiting is cheap and prompt: a waiter blocked on a busy pool wakes soon
// after another process releases the slot, having used little CPU.
TEST(SlotPool, WaiterWakesOnReleaseWithoutSpinning) {
  TestDir d;
  std::vector<Pool> pools{{"cpp", 1}};
  int ready[2];
  ASSERT_EQ(::pipe(ready), 0);
  pid_t holder = ::fork();
  if (holder == 0) {
    auto got = acquire_slot(d.path(), pools, milliseconds(0));
    char c = got ? 'y' : 'n';
    (void)!::write(ready[1], &c, 1);
    std::this_thread::sleep_for(milliseconds(1500));
    ::_exit(0);  // the kernel drops the lock: a killed client frees its slot
  }
  char c = 0;
  ASSERT_EQ(::read(ready[0], &c, 1), 1);
  ASSERT_EQ(c, 'y');
  rusage before{};
  ::getrusage(RUSAGE_SELF, &before);
  auto start = std::chrono::steady_clock::now();
  auto got = acquire_slot(d.path(), pools, milliseconds(10000));
  auto waited = std::chrono::steady_clock::now() - start;
  rusage after{};
  ::getrusage(RUSAGE_SELF, &after);
  ASSERT_TRUE(static_cast<bool>(got)) << summarize(got.takeError()).message;
  EXPECT_GE(waited, milliseconds(1000));
  EXPECT_LT(waited, milliseconds(3000)) << "the waiter did not wake when the slot was freed";
  auto cpu_us = [](const rusage& r) {
    return (r.ru_utime.tv_sec + r.ru_stime.tv_sec) * 1000000L + r.ru_utime.tv_usec +
           r.ru_stime.tv_usec;
  };
  EXPECT_LT(cpu_us(after) - cpu_us(before), 100000L) << "waiting used too much CPU (busy loop?)";
  ::waitpid(holder, nullptr, 0);
}

TEST(SlotPool, NoSlotsIsAnError) {
  TestDir d;
  auto got = acquire_slot(d.path(), {}, milliseconds(0));
  ASSERT_FALSE(static_cast<bool>(got));
  EXPECT_EQ(summarize(got.takeError()).code, ExitCode::DistccFailed);
}

TEST(StateDir, CreatesLockAndStateDirs) {
  TestDir d;
  auto s = open_state_dir(d.path() + "/ferry");
  ASSERT_TRUE(static_cast<bool>(s));
  EXPECT_TRUE(std::filesystem::is_directory(s->lock_dir()));
  EXPECT_TRUE(std::filesystem::is_directory(s->job_dir()));
  auto bad = open_state_dir(d.path() + "/no/such/parent");
  ASSERT_FALSE(static_cast<bool>(bad));
  ErrorSummary e = summarize(bad.takeError());
  EXPECT_EQ(e.code, ExitCode::IoError);
  EXPECT_NE(e.message.find("no/such/parent"), std::string::npos) << e.message;
}

}  // namespace
}  // namespace ferry::state
