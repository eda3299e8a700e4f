#include "daemon/stats.h"

#include <dirent.h>
#include <sys/statvfs.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <vector>

#include <nlohmann/json.hpp>

#include "daemon/options.h"

namespace ferry::daemon {
namespace {

constexpr JobCategory kAllCategories[] = {
    JobCategory::CompileOk, JobCategory::CompileError, JobCategory::RejBadReq,
    JobCategory::RejAccess, JobCategory::CliDisconn,   JobCategory::Timeout,
    JobCategory::CompileTimeout, JobCategory::Other};

// Client-sent text goes into a line-based pipe format, an HTTP page and
// JSON: no control characters, no tabs, bounded length.
std::string cleaned(std::string_view s) {
  constexpr size_t kMax = 200;
  std::string out;
  for (char c : s.substr(0, kMax)) {
    unsigned char u = static_cast<unsigned char>(c);
    out += (u < 0x20 || u == 0x7f || u >= 0x80) ? '?' : c;
  }
  return out;
}

std::optional<JobCategory> category_from(std::string_view name) {
  for (JobCategory c : kAllCategories) {
    if (name == category_name(c)) {
      return c;
    }
  }
  return std::nullopt;
}

std::vector<std::string_view> split_tabs(std::string_view line) {
  std::vector<std::string_view> out;
  size_t start = 0;
  for (;;) {
    size_t tab = line.find('\t', start);
    out.push_back(line.substr(start, tab == std::string_view::npos ? tab : tab - start));
    if (tab == std::string_view::npos) {
      return out;
    }
    start = tab + 1;
  }
}

std::optional<int64_t> to_int64(std::string_view s) {
  if (s.empty() || s.size() > 18) {
    return std::nullopt;
  }
  int64_t n = 0;
  for (char c : s) {
    if (c < '0' || c > '9') {
      return std::nullopt;
    }
    n = n * 10 + (c - '0');
  }
  return n;
}

int count_procs_in_d() {
  DIR* proc = ::opendir("/proc");
  if (proc == nullptr) {
    return 0;
  }
  int n = 0;
  while (const dirent* e = ::readdir(proc)) {
    if (e->d_name[0] < '0' || e->d_name[0] > '9') {
      continue;
    }
    std::ifstream stat(std::string("/proc/") + e->d_name + "/stat");
    std::string text;
    std::getline(stat, text);
    // "pid (comm) S ...": the state follows the last ')'.
    size_t paren = text.rfind(')');
    if (paren != std::string::npos && paren + 2 < text.size() && text[paren + 2] == 'D') {
      ++n;
    }
  }
  ::closedir(proc);
  return n;
}

std::string format_load(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f", v);
  return buf;
}

}  // namespace

std::string encode_event(const JobEvent& e) {
  return "job\t" + std::string(category_name(e.category)) + "\t" +
         std::to_string(std::max<int64_t>(e.time_ms, 0)) + "\t" +
         std::to_string(std::max<int64_t>(e.max_rss_kb, 0)) + "\t" + cleaned(e.compiler) +
         "\t" + cleaned(e.input) + "\n";
}

std::optional<JobEvent> decode_event(std::string_view line) {
  if (!line.empty() && line.back() == '\n') {
    line.remove_suffix(1);
  }
  std::vector<std::string_view> f = split_tabs(line);
  if (f.size() != 6 || f[0] != "job") {
    return std::nullopt;
  }
  auto category = category_from(f[1]);
  auto ms = to_int64(f[2]);
  auto rss = to_int64(f[3]);
  if (!category || !ms || !rss) {
    return std::nullopt;
  }
  return JobEvent{*category, cleaned(f[4]), cleaned(f[5]), *ms, *rss};
}

SystemFacts read_system_facts(const std::string& tmpdir) {
  SystemFacts facts;
  double load[3];
  if (::getloadavg(load, 3) == 3) {
    facts.load = {load[0], load[1], load[2]};
  }
  facts.procs_in_d = count_procs_in_d();
  struct statvfs vfs{};
  if (::statvfs(tmpdir.c_str(), &vfs) == 0) {
    facts.free_space_mb =
        static_cast<int64_t>(static_cast<unsigned long long>(vfs.f_bavail) * vfs.f_frsize >> 20);
  }
  return facts;
}

DaemonStats::DaemonStats(unsigned max_jobs, Clock::time_point start)
    : m_max_jobs(max_jobs), m_start(start) {}

void DaemonStats::tick(unsigned running, Clock::time_point now) {
  auto second = std::chrono::duration_cast<std::chrono::seconds>(now - m_start).count();
  if (second - m_second >= static_cast<int64_t>(kWindow)) {
    m_second = second - static_cast<int64_t>(kWindow);  // the whole window is stale
  }
  while (m_second < second) {
    ++m_second;
    size_t slot = static_cast<size_t>(m_second) % kWindow;
    // Seconds we slept through had the load we last saw.
    m_running_at[slot] = m_running;
    m_compiles_at[slot] = 0;
    m_seconds_seen = std::min(m_seconds_seen + 1, kWindow);
  }
  m_running = running;
  size_t slot = static_cast<size_t>(m_second) % kWindow;
  m_running_at[slot] = std::max(m_running_at[slot], running);
}

void DaemonStats::record(const JobEvent& e, Clock::time_point now) {
  tick(m_running, now);
  size_t index = static_cast<size_t>(e.category);
  ++m_outcomes[index];
  std::string name = e.compiler.empty() ? "-" : e.compiler;
  if (m_by_compiler.size() >= kMaxCompilers && m_by_compiler.count(name) == 0) {
    name = "(other)";  // client-chosen names must not grow us without bound
  }
  ++m_by_compiler[name][index];
  if (e.category == JobCategory::CompileOk || e.category == JobCategory::CompileError) {
    ++m_compiles_at[static_cast<size_t>(m_second) % kWindow];
  }
  // As distccd: the longest successful compile.
  if (e.category == JobCategory::CompileOk && e.time_ms > m_longest_ms) {
    m_longest_ms = e.time_ms;
    m_longest_input = e.input;
    m_longest_compiler = e.compiler;
  }
  if (e.max_rss_kb > m_max_rss_kb) {
    m_max_rss_kb = e.max_rss_kb;
    m_max_rss_compiler = e.compiler;
  }
}

double DaemonStats::average_running(size_t seconds) const {
  size_t n = std::min(seconds, m_seconds_seen);
  if (n == 0) {
    return m_running;
  }
  double sum = 0;
  for (size_t i = 0; i < n; ++i) {
    sum += m_running_at[static_cast<size_t>(m_second - static_cast<int64_t>(i)) % kWindow];
  }
  return sum / static_cast<double>(n);
}

uint64_t DaemonStats::compiles_in(size_t seconds) const {
  size_t n = std::min(seconds, m_seconds_seen);
  uint64_t sum = 0;
  for (size_t i = 0; i < n; ++i) {
    sum += m_compiles_at[static_cast<size_t>(m_second - static_cast<int64_t>(i)) % kWindow];
  }
  return sum;
}

std::string DaemonStats::text_page(const SystemFacts& facts) const {
  auto n = [this](JobCategory c) { return count(c); };
  std::string b;
  auto kv = [&b](const char* key, const std::string& value) {
    b += key;
    b += ' ';
    b += value;
    b += '\n';
  };
  auto num = [](auto v) { return std::to_string(v); };
  b += "argv /ferryd\n<distccstats>\n";
  kv("dcc_tcp_accept", num(m_accepted));
  // distccd's categories are coarser: an access refusal is a bad request,
  // a stalled client a disconnect (the JSON form keeps them apart).
  kv("dcc_rej_bad_req", num(n(JobCategory::RejBadReq) + n(JobCategory::RejAccess)));
  kv("dcc_rej_overload", "0");  // never: excess clients wait in the listen queue
  kv("dcc_compile_ok", num(n(JobCategory::CompileOk)));
  kv("dcc_compile_error", num(n(JobCategory::CompileError)));
  kv("dcc_compile_timeout", num(n(JobCategory::CompileTimeout)));
  kv("dcc_cli_disconnect", num(n(JobCategory::CliDisconn) + n(JobCategory::Timeout)));
  kv("dcc_other", num(n(JobCategory::Other)));
  bool any = m_longest_ms >= 0;
  kv("dcc_longest_job", any ? m_longest_input : "(none)");
  kv("dcc_longest_job_compiler", any ? m_longest_compiler : "(none)");
  kv("dcc_longest_job_time_msecs", num(any ? m_longest_ms : 0));
  kv("dcc_max_kids", num(m_max_jobs));
  kv("dcc_avg_kids1", num(static_cast<long>(average_running(60))));
  kv("dcc_avg_kids2", num(static_cast<long>(average_running(300))));
  kv("dcc_avg_kids3", num(static_cast<long>(average_running(900))));
  kv("dcc_current_load", num(m_running));
  kv("dcc_load1", format_load(facts.load[0]));
  kv("dcc_load2", format_load(facts.load[1]));
  kv("dcc_load3", format_load(facts.load[2]));
  kv("dcc_num_compiles1", num(compiles_in(60)));
  kv("dcc_num_compiles2", num(compiles_in(300)));
  kv("dcc_num_compiles3", num(compiles_in(900)));
  kv("dcc_num_procstate_D", num(facts.procs_in_d));
  kv("dcc_max_RSS", num(m_max_rss_kb));
  kv("dcc_max_RSS_name", "(" + (m_max_rss_compiler.empty() ? std::string("none") : m_max_rss_compiler) + ")");
  kv("dcc_io_rate", "-1");
  kv("dcc_free_space", num(facts.free_space_mb) + " MB");
  b += "</distccstats>\n";
  return "HTTP/1.0 200 OK\nContent-Type: text/plain\nConnection: close\n\n" + b;
}

std::string DaemonStats::json_page(const SystemFacts& facts, Clock::time_point now) const {
  using nlohmann::json;
  json doc;
  doc["version"] = kVersionText;
  doc["uptime_seconds"] =
      std::chrono::duration_cast<std::chrono::seconds>(now - m_start).count();
  doc["max_jobs"] = m_max_jobs;
  doc["current_load"] = m_running;
  doc["accepted"] = m_accepted;
  json outcomes = json::object();
  for (JobCategory c : kAllCategories) {
    outcomes[category_name(c)] = count(c);
  }
  doc["outcomes"] = outcomes;
  json compilers = json::object();
  for (const auto& [name, counts] : m_by_compiler) {
    json per = json::object();
    for (JobCategory c : kAllCategories) {
      if (counts[static_cast<size_t>(c)] != 0) {
        per[category_name(c)] = counts[static_cast<size_t>(c)];
      }
    }
    compilers[name] = per;
  }
  doc["compilers"] = compilers;
  if (m_longest_ms >= 0) {
    doc["longest_job"] = {{"input", m_longest_input},
                          {"compiler", m_longest_compiler},
                          {"time_ms", m_longest_ms}};
  } else {
    doc["longest_job"] = nullptr;
  }
  doc["compiles"] = {{"last_1min", compiles_in(60)},
                     {"last_5min", compiles_in(300)},
                     {"last_15min", compiles_in(900)}};
  doc["average_load"] = {{"last_1min", average_running(60)},
                         {"last_5min", average_running(300)},
                         {"last_15min", average_running(900)}};
  doc["max_rss_kb"] = m_max_rss_kb;
  doc["max_rss_compiler"] = m_max_rss_compiler.empty() ? json(nullptr) : json(m_max_rss_compiler);
  doc["system"] = {{"load_average", facts.load},
                   {"processes_in_d_state", facts.procs_in_d},
                   {"free_space_mb", facts.free_space_mb}};
  // The names are cleaned to ASCII already, so dump() cannot throw.
  return "HTTP/1.0 200 OK\nContent-Type: application/json\nConnection: close\n\n" +
         doc.dump(2) + "\n";
}

}  // namespace ferry::daemon
