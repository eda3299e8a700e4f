#include "hosts/host_order.h"

#include <gtest/gtest.h>

#include <map>
#include <set>
#include <string>

#include "util/error.h"

namespace ferry::hosts {
namespace {

HostList three_hosts() {
  auto l = parse_host_list("--randomize a/1 b:4000/2,lzo c/3,down");
  if (!l) {
    ADD_FAILURE() << summarize(l.takeError()).message;
    return {};
  }
  return *l;
}

std::string order_of(const HostList& l) {
  std::string out;
  for (const Host& h : l.hosts) {
    out += h.hostname;
  }
  return out;
}

TEST(ShuffleHosts, IsAPermutationAndHostsKeepTheirOptions) {
  for (uint64_t seed = 0; seed < 50; ++seed) {
    HostList l = three_hosts();
    shuffle_hosts(l, seed);
    ASSERT_EQ(l.hosts.size(), 3u);
    std::set<std::string> names;
    for (const Host& h : l.hosts) {
      names.insert(h.hostname);
      if (h.hostname == "a") {
        EXPECT_EQ(h.slots, 1);
        EXPECT_FALSE(h.lzo);
        EXPECT_FALSE(h.down);
      } else if (h.hostname == "b") {
        EXPECT_EQ(h.slots, 2);
        EXPECT_EQ(h.port, 4000);
        EXPECT_TRUE(h.lzo);
      } else {
        EXPECT_EQ(h.slots, 3);
        EXPECT_TRUE(h.down);
      }
    }
    EXPECT_EQ(names.size(), 3u);
    EXPECT_TRUE(l.randomize);
    EXPECT_EQ(l.local_slots, 4);
  }
}

TEST(ShuffleHosts, SameSeedSameOrder) {
  HostList a = three_hosts();
  HostList b = three_hosts();
  shuffle_hosts(a, 12345);
  shuffle_hosts(b, 12345);
  EXPECT_EQ(order_of(a), order_of(b));
}

// The processes of one build have consecutive pids: their first hosts must
// still be spread evenly (std::minstd_rand seeded with the pid gave the same
// first host to 1000 consecutive pids). Deterministic: fixed seeds.
TEST(ShuffleHosts, ConsecutivePidsSpreadTheFirstHost) {
  std::map<std::string, int> first;
  std::set<std::string> orders;
  for (uint64_t pid = 20000; pid < 23000; ++pid) {
    HostList l = three_hosts();
    shuffle_hosts(l, pid << 32);
    first[l.hosts[0].hostname]++;
    orders.insert(order_of(l));
  }
  ASSERT_EQ(first.size(), 3u);
  for (const auto& [host, n] : first) {
    EXPECT_GT(n, 800) << host;  // 1000 expected
    EXPECT_LT(n, 1200) << host;
  }
  EXPECT_EQ(orders.size(), 6u);  // every order of three hosts occurs
}

TEST(ShuffleHosts, EmptyAndSingleLists) {
  HostList empty;
  shuffle_hosts(empty, 7);
  EXPECT_TRUE(empty.hosts.empty());
  auto one = parse_host_list("solo/2");
  ASSERT_TRUE(static_cast<bool>(one));
  shuffle_hosts(*one, 7);
  ASSERT_EQ(one->hosts.size(), 1u);
  EXPECT_EQ(one->hosts[0].hostname, "solo");
}

}  // namespace
}  // namespace ferry::hosts
