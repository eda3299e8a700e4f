#include "state/job_state.h"

#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <utility>

namespace ferry::state {
namespace {

long long now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

bool pid_alive(long pid) { return ::kill(static_cast<pid_t>(pid), 0) == 0 || errno == EPERM; }

// When the process started, in ms since the epoch (0 when unknown): boot
// time (/proc/stat btime) plus its start in clock ticks (/proc/PID/stat).
long long process_start_ms(long pid) {
  std::ifstream st("/proc/" + std::to_string(pid) + "/stat");
  std::string text((std::istreambuf_iterator<char>(st)), std::istreambuf_iterator<char>());
  size_t paren = text.rfind(')');
  if (paren == std::string::npos) {
    return 0;
  }
  std::istringstream fields(text.substr(paren + 2));
  std::string f;
  // Fields after "(comm)" start at 3 (state); starttime is field 22.
  for (int i = 3; i <= 22 && fields >> f; ++i) {
  }
  long long ticks = std::atoll(f.c_str());
  std::ifstream ps("/proc/stat");
  std::string key;
  long long btime = 0;
  while (ps >> key) {
    if (key == "btime") {
      ps >> btime;
      break;
    }
  }
  long hz = ::sysconf(_SC_CLK_TCK);
  if (btime == 0 || hz <= 0) {
    return 0;
  }
  return btime * 1000 + ticks * 1000 / hz;
}

}  // namespace

std::string format_job(const JobInfo& j) {
  return std::to_string(j.pid) + "\t" + std::to_string(j.started_ms) + "\t" + j.host + "\t" +
         j.phase + "\t" + j.input + "\n";
}

JobInfo parse_job(const std::string& line) {
  JobInfo j;
  std::vector<std::string> f;
  size_t start = 0;
  while (f.size() < 4) {
    size_t tab = line.find('\t', start);
    if (tab == std::string::npos) {
      return {};
    }
    f.push_back(line.substr(start, tab - start));
    start = tab + 1;
  }
  size_t end = line.find('\n', start);
  if (end == std::string::npos) {
    return {};  // torn write: skip it this time
  }
  j.pid = std::atol(f[0].c_str());
  j.started_ms = std::atoll(f[1].c_str());
  j.host = f[2];
  j.phase = f[3];
  j.input = line.substr(start, end - start);
  return j;
}

JobStateFile::~JobStateFile() { remove(); }

JobStateFile::JobStateFile(JobStateFile&& other) noexcept
    : m_path(std::exchange(other.m_path, std::string())),
      m_fd(std::move(other.m_fd)),
      m_started_ms(other.m_started_ms),
      m_input(std::move(other.m_input)) {}

JobStateFile& JobStateFile::operator=(JobStateFile&& other) noexcept {
  if (this != &other) {
    remove();
    m_path = std::exchange(other.m_path, std::string());
    m_fd = std::move(other.m_fd);
    m_started_ms = other.m_started_ms;
    m_input = std::move(other.m_input);
  }
  return *this;
}

void JobStateFile::remove() {
  m_fd.reset();
  if (!m_path.empty()) {
    ::unlink(m_path.c_str());
    m_path.clear();
  }
}

JobStateFile JobStateFile::create(const std::string& job_dir, const std::string& input) {
  JobStateFile f;
  f.m_path = job_dir + "/job_" + std::to_string(::getpid());
  f.m_fd.reset(::open(f.m_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666));
  if (!f.m_fd.valid()) {
    f.m_path.clear();
  }
  f.m_started_ms = now_ms();
  f.m_input = input;
  return f;
}

void JobStateFile::update(const std::string& host, const std::string& phase) {
  if (!m_fd.valid()) {
    return;
  }
  std::string line = format_job({::getpid(), m_started_ms, host, phase, m_input});
  // One pwrite: a reader sees the old line, the new one, or a torn one it
  // skips (no newline); a shorter line is cut to length after.
  if (::pwrite(m_fd.get(), line.data(), line.size(), 0) == static_cast<ssize_t>(line.size())) {
    (void)!::ftruncate(m_fd.get(), static_cast<off_t>(line.size()));
  }
}

std::vector<JobInfo> list_jobs(const std::string& job_dir, bool remove_stale) {
  std::vector<JobInfo> out;
  DIR* d = ::opendir(job_dir.c_str());
  if (d == nullptr) {
    return out;
  }
  while (dirent* e = ::readdir(d)) {
    std::string name = e->d_name;
    if (name.rfind("job_", 0) != 0) {
      continue;
    }
    std::string path = job_dir + "/" + name;
    std::ifstream in(path);
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    long pid = std::atol(name.c_str() + 4);
    JobInfo j = parse_job(text);
    bool stale = !pid_alive(pid);
    if (!stale && j.pid == pid) {
      // A pid reused by a process that started after the job was written.
      long long started = process_start_ms(pid);
      stale = started != 0 && started > j.started_ms + 2000;
    }
    if (stale) {
      if (remove_stale) {
        ::unlink(path.c_str());
      }
      continue;
    }
    if (j.pid == pid) {
      out.push_back(std::move(j));
    }
  }
  ::closedir(d);
  return out;
}

}  // namespace ferry::state
