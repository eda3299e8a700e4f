#include "client/monitor.h"

#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <thread>

#include "state/state_dir.h"

namespace ferry::client {
namespace {

long long wall_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string pad(std::string s, size_t width) {
  if (s.size() < width) {
    s.append(width - s.size(), ' ');
  }
  return s;
}

}  // namespace

std::string format_jobs(std::vector<state::JobInfo> jobs, long long now_ms) {
  std::sort(jobs.begin(), jobs.end(), [](const auto& a, const auto& b) {
    return a.started_ms != b.started_ms ? a.started_ms < b.started_ms : a.pid < b.pid;
  });
  size_t host_w = 4;
  for (const auto& j : jobs) {
    host_w = std::max(host_w, j.host.size());
  }
  std::string out = pad("PID", 8) + pad("HOST", host_w + 2) + pad("PHASE", 12) +
                    pad("TIME", 8) + "INPUT\n";
  for (const auto& j : jobs) {
    char secs[32];
    std::snprintf(secs, sizeof secs, "%.1fs",
                  static_cast<double>(std::max(0LL, now_ms - j.started_ms)) / 1000.0);
    out += pad(std::to_string(j.pid), 8) + pad(j.host.empty() ? "-" : j.host, host_w + 2) +
           pad(j.phase, 12) + pad(secs, 8) + j.input + "\n";
  }
  return out;
}

int run_monitor(const std::string& state_root, bool once, std::chrono::milliseconds interval) {
  std::string job_dir = state::StateDir{state_root}.job_dir();
  bool tty = ::isatty(STDOUT_FILENO) == 1 && !once;
  while (true) {
    auto jobs = state::list_jobs(job_dir, /*remove_stale=*/true);
    std::string text = std::to_string(jobs.size()) + " job" + (jobs.size() == 1 ? "" : "s") +
                       " running (" + job_dir + ")\n" + format_jobs(jobs, wall_ms());
    if (tty) {
      text = "\x1b[H\x1b[2J" + text;  // home and clear: redraw in place
    }
    std::fputs(text.c_str(), stdout);
    std::fflush(stdout);
    if (once) {
      return 0;
    }
    std::this_thread::sleep_for(interval);
  }
}

}  // namespace ferry::client
