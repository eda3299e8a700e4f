// The daemon's statistics: what --stats serves.
//
// Job processes are separate processes, so each reports its outcome to the
// listening process as one short line on a pipe (a single write below
// PIPE_BUF, so reports from concurrent jobs never interleave); the listener
// keeps the counters. A statistics request is served by a forked process,
// which renders the snapshot it inherited: the listener never blocks on a
// statistics client.
//
// Two renderings: distccd's text page (distcc-reference §4.3, same keys in
// the same order, so distcc's monitors can read it) and a JSON document
// with more detail (per outcome, per compiler, current load, longest job).
#pragma once

#include <sys/types.h>

#include <array>
#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "daemon/job.h"

namespace ferry::daemon {

// What a job process reports about its job.
struct JobEvent {
  JobCategory category = JobCategory::Other;
  std::string compiler;  // may be anything a client sent; cleaned
  std::string input;
  int64_t time_ms = 0;
  int64_t max_rss_kb = 0;  // the largest process of the compile
};

// One line, ending in '\n', shorter than PIPE_BUF.
std::string encode_event(const JobEvent& event);
// nullopt for a line that is not an event.
std::optional<JobEvent> decode_event(std::string_view line);

// Facts about the machine, read when a page is rendered.
struct SystemFacts {
  std::array<double, 3> load{-1, -1, -1};  // getloadavg
  int procs_in_d = 0;                      // processes in state D (/proc)
  int64_t free_space_mb = -1;              // in the job directories' file system
};
SystemFacts read_system_facts(const std::string& tmpdir);

class DaemonStats {
 public:
  using Clock = std::chrono::steady_clock;

  DaemonStats(unsigned max_jobs, Clock::time_point start);

  void accepted() { ++m_accepted; }
  // Before each wait of the listener, with the number of running jobs:
  // feeds the 1/5/15 minute averages.
  void tick(unsigned running, Clock::time_point now);
  void record(const JobEvent& event, Clock::time_point now);

  // distccd's page, HTTP header included.
  std::string text_page(const SystemFacts& facts) const;
  // The JSON document, HTTP header included.
  std::string json_page(const SystemFacts& facts, Clock::time_point now) const;

  uint64_t count(JobCategory c) const { return m_outcomes[static_cast<size_t>(c)]; }
  uint64_t accepted_count() const { return m_accepted; }

 private:
  static constexpr size_t kCategories = 8;
  static constexpr size_t kWindow = 15 * 60;  // seconds kept for the averages
  static constexpr size_t kMaxCompilers = 64;  // distinct names kept; then "(other)"

  // Sums of the per-second samples over the last `seconds`.
  double average_running(size_t seconds) const;
  uint64_t compiles_in(size_t seconds) const;

  unsigned m_max_jobs;
  Clock::time_point m_start;
  uint64_t m_accepted = 0;
  std::array<uint64_t, kCategories> m_outcomes{};
  std::map<std::string, std::array<uint64_t, kCategories>> m_by_compiler;
  std::string m_longest_input, m_longest_compiler;
  int64_t m_longest_ms = -1;
  int64_t m_max_rss_kb = 0;
  std::string m_max_rss_compiler;
  unsigned m_running = 0;
  // Ring of per-second samples: running jobs, and compiles finished.
  std::array<unsigned, kWindow> m_running_at{};
  std::array<unsigned, kWindow> m_compiles_at{};
  int64_t m_second = -1;  // the second (since m_start) of the newest slot
  size_t m_seconds_seen = 0;
};

}  // namespace ferry::daemon
