// One small file per job being distributed, state/job_<pid>, so `ferry
// --monitor` can show what this client is compiling where. Written with one
// write() per phase change on a descriptor kept open, removed when the job
// ends - also before a local compile replaces ferry (exec), as nothing could
// remove it after. A file whose process was killed is recognised as stale
// once that pid is gone (or reused): readers skip and remove such files.
#pragma once

#include <string>
#include <vector>

#include "util/unique_fd.h"

namespace ferry::state {

struct JobInfo {
  long pid = 0;
  long long started_ms = 0;  // wall clock, milliseconds since the epoch
  std::string host;          // "127.0.0.1:3632", "bob@box", "localhost"
  std::string phase;         // "cpp", "send", "compile", "local", ...
  std::string input;
};

class JobStateFile {
 public:
  JobStateFile() = default;
  // A moved-from file owns nothing: only one object may unlink the path.
  JobStateFile(JobStateFile&& other) noexcept;
  JobStateFile& operator=(JobStateFile&& other) noexcept;
  JobStateFile(const JobStateFile&) = delete;
  JobStateFile& operator=(const JobStateFile&) = delete;
  ~JobStateFile();

  // Best effort: monitoring must never fail or slow a compile noticeably.
  static JobStateFile create(const std::string& job_dir, const std::string& input);
  void update(const std::string& host, const std::string& phase);
  // Removes the file now (the job is over for the monitor, e.g. before exec).
  void remove();

 private:
  std::string m_path;
  UniqueFd m_fd;
  long long m_started_ms = 0;
  std::string m_input;
};

// The jobs whose process is alive and started no later than its file; stale
// files are removed when remove_stale is set.
std::vector<JobInfo> list_jobs(const std::string& job_dir, bool remove_stale);

// "PID\tSTARTED_MS\tHOST\tPHASE\tINPUT\n" and back (nullopt-like: pid 0).
std::string format_job(const JobInfo& j);
JobInfo parse_job(const std::string& line);

}  // namespace ferry::state
