#include "daemon/stats.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace ferry::daemon {
namespace {

using namespace std::chrono_literals;
using Clock = DaemonStats::Clock;

TEST(DaemonStats, EventsRoundTripAndHostileNamesAreCleaned) {
  JobEvent e{JobCategory::CompileOk, "gcc", "x.c", 165, 70092};
  auto back = decode_event(encode_event(e));
  ASSERT_TRUE(back.has_value());
  EXPECT_EQ(back->category, JobCategory::CompileOk);
  EXPECT_EQ(back->compiler, "gcc");
  EXPECT_EQ(back->input, "x.c");
  EXPECT_EQ(back->time_ms, 165);
  EXPECT_EQ(back->max_rss_kb, 70092);

  // A client-chosen compiler name cannot add fields or lines.
  JobEvent bad{JobCategory::RejBadReq, "sh\t-c\nrm -rf /\x80", std::string(5000, 'a'), 0, 0};
  std::string line = encode_event(bad);
  EXPECT_EQ(line.find('\n'), line.size() - 1);
  EXPECT_LT(line.size(), 512u);
  auto cleaned = decode_event(line);
  ASSERT_TRUE(cleaned.has_value());
  EXPECT_EQ(cleaned->compiler, "sh?-c?rm -rf /?");

  EXPECT_FALSE(decode_event("job\tNOPE\t1\t1\tgcc\tx.c\n").has_value());
  EXPECT_FALSE(decode_event("job\tCOMPILE_OK\tx\t1\tgcc\tx.c\n").has_value());
  EXPECT_FALSE(decode_event("garbage").has_value());
}

DaemonStats sample(Clock::time_point t0) {
  DaemonStats s(4, t0);
  s.accepted();
  s.accepted();
  s.accepted();
  s.accepted();
  s.tick(2, t0 + 1s);
  s.record({JobCategory::CompileOk, "gcc", "a.c", 100, 5000}, t0 + 2s);
  s.record({JobCategory::CompileOk, "g++", "b.cc", 300, 9000}, t0 + 2s);
  s.record({JobCategory::CompileError, "gcc", "c.c", 900, 100}, t0 + 3s);
  s.record({JobCategory::RejAccess, "-", "", 0, 0}, t0 + 3s);
  s.tick(1, t0 + 4s);
  return s;
}

TEST(DaemonStats, TextPageHasDistccdsKeysInOrder) {
  Clock::time_point t0 = Clock::now();
  DaemonStats s = sample(t0);
  SystemFacts facts;
  facts.load = {1.5, 0.25, 0};
  facts.free_space_mb = 1234;
  std::string page = s.text_page(facts);
  EXPECT_EQ(page.rfind("HTTP/1.0 200 OK\nContent-Type: text/plain\nConnection: close\n\n"
                       "argv /ferryd\n<distccstats>\n",
                       0),
            0u)
      << page;
  const char* keys[] = {"dcc_tcp_accept 4\n", "dcc_rej_bad_req 1\n", "dcc_rej_overload 0\n",
                        "dcc_compile_ok 2\n", "dcc_compile_error 1\n",
                        "dcc_compile_timeout 0\n", "dcc_cli_disconnect 0\n", "dcc_other 0\n",
                        "dcc_longest_job b.cc\n", "dcc_longest_job_compiler g++\n",
                        "dcc_longest_job_time_msecs 300\n", "dcc_max_kids 4\n",
                        "dcc_avg_kids1 ", "dcc_avg_kids2 ", "dcc_avg_kids3 ",
                        "dcc_current_load 1\n", "dcc_load1 1.50\n", "dcc_load2 0.25\n",
                        "dcc_load3 0.00\n", "dcc_num_compiles1 3\n", "dcc_num_compiles2 3\n",
                        "dcc_num_compiles3 3\n", "dcc_num_procstate_D 0\n",
                        "dcc_max_RSS 9000\n", "dcc_max_RSS_name (g++)\n", "dcc_io_rate -1\n",
                        "dcc_free_space 1234 MB\n", "</distccstats>\n"};
  size_t at = 0;
  for (const char* key : keys) {
    size_t found = page.find(key, at);
    ASSERT_NE(found, std::string::npos) << "missing or out of order: " << key << "\n" << page;
    at = found;
  }
}

TEST(DaemonStats, JsonHasOutcomesCompilersLoadAndLongestJob) {
  Clock::time_point t0 = Clock::now();
  DaemonStats s = sample(t0);
  std::string page = s.json_page(SystemFacts{}, t0 + 5s);
  size_t body = page.find("\n\n");
  ASSERT_NE(body, std::string::npos);
  EXPECT_EQ(page.substr(0, body).find("Content-Type: application/json"), 16u) << page;
  auto doc = nlohmann::json::parse(page.substr(body + 2));
  EXPECT_EQ(doc["accepted"], 4);
  EXPECT_EQ(doc["max_jobs"], 4);
  EXPECT_EQ(doc["current_load"], 1);
  EXPECT_EQ(doc["uptime_seconds"], 5);
  EXPECT_EQ(doc["outcomes"]["COMPILE_OK"], 2);
  EXPECT_EQ(doc["outcomes"]["COMPILE_ERROR"], 1);
  EXPECT_EQ(doc["outcomes"]["REJ_ACCESS"], 1);
  EXPECT_EQ(doc["outcomes"]["TIMEOUT"], 0);
  EXPECT_EQ(doc["compilers"]["gcc"]["COMPILE_OK"], 1);
  EXPECT_EQ(doc["compilers"]["gcc"]["COMPILE_ERROR"], 1);
  EXPECT_EQ(doc["compilers"]["g++"]["COMPILE_OK"], 1);
  EXPECT_EQ(doc["longest_job"]["input"], "b.cc");
  EXPECT_EQ(doc["longest_job"]["time_ms"], 300);
  EXPECT_EQ(doc["compiles"]["last_1min"], 3);
}

TEST(DaemonStats, ClientChosenCompilerNamesAreBounded) {
  Clock::time_point t0 = Clock::now();
  DaemonStats s(1, t0);
  for (int i = 0; i < 1000; ++i) {
    s.record({JobCategory::RejBadReq, "evil" + std::to_string(i), "", 0, 0}, t0);
  }
  auto doc = nlohmann::json::parse(s.json_page(SystemFacts{}, t0).substr(
      s.json_page(SystemFacts{}, t0).find("\n\n") + 2));
  EXPECT_LE(doc["compilers"].size(), 65u);
  EXPECT_GT(doc["compilers"]["(other)"]["REJ_BAD_REQ"], 900);
}

}  // namespace
}  // namespace ferry::daemon
