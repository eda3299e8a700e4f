// The real, built ferryd as a process: options and exit codes, a compile
// over TCP, SIGTERM with and without a running job, the --jobs limit,
// detaching, SIGHUP and --inetd. Only 127.0.0.1 is used.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <fcntl.h>
#include <pwd.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <optional>
#include <thread>

#include "daemon_test_util.h"
#include "net/tcp.h"

extern char** environ;

namespace ferry::daemon {
namespace {

using namespace std::chrono_literals;
using test::list_dir;
using test::read_text;
using test::request_bytes;
using test::write_text;

// How long a start or a stop may take. Generous: under heavy load (a load
// average of 20 on 2 cores was seen) or under ASan, loading the plugins and
// the start-up checks take seconds, and 10 s was once not enough. A healthy
// run takes a fraction of a second; a hung ferryd still fails.
constexpr auto kStartLimit = 60s;
constexpr auto kStopLimit = 60s;

const std::string kFerryd = std::string(FERRY_BIN_DIR) + "/ferryd";
const std::vector<std::string> kFakeArgv = {"fakecc", "-c", "x.c", "-o", "x.o"};

struct Stdio {
  int in = -1;   // -1: /dev/null
  int out = -1;  // -1: /dev/null
  std::string err_file;  // empty: /dev/null
};

pid_t start(const std::vector<std::string>& args, const std::vector<std::string>& env,
            const Stdio& stdio) {
  std::vector<std::string> all_env;
  for (char** e = environ; *e != nullptr; ++e) {
    std::string entry = *e;
    bool overridden = false;
    for (const std::string& o : env) {
      overridden |= entry.substr(0, entry.find('=')) == o.substr(0, o.find('='));
    }
    if (!overridden) {
      all_env.push_back(entry);
    }
  }
  all_env.insert(all_env.end(), env.begin(), env.end());
  std::vector<std::string> argv = {kFerryd};
  argv.insert(argv.end(), args.begin(), args.end());
  pid_t pid = ::fork();
  if (pid == 0) {
    int null = ::open("/dev/null", O_RDWR);
    int err = stdio.err_file.empty()
                  ? null
                  : ::open(stdio.err_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    ::dup2(stdio.in >= 0 ? stdio.in : null, 0);
    ::dup2(stdio.out >= 0 ? stdio.out : null, 1);
    ::dup2(err, 2);
    std::vector<char*> a, e;
    for (auto& s : argv) a.push_back(s.data());
    for (auto& s : all_env) e.push_back(s.data());
    a.push_back(nullptr);
    e.push_back(nullptr);
    ::execve(kFerryd.c_str(), a.data(), e.data());
    ::_exit(127);
  }
  return pid;
}

std::optional<int> wait_exit(pid_t pid, std::chrono::milliseconds limit) {
  auto deadline = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < deadline) {
    int status = 0;
    if (::waitpid(pid, &status, WNOHANG) == pid) {
      return status;
    }
    std::this_thread::sleep_for(10ms);
  }
  ::kill(pid, SIGKILL);
  ::waitpid(pid, nullptr, 0);
  return std::nullopt;
}

bool wait_for_file(const std::string& path, std::chrono::milliseconds limit) {
  auto deadline = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < deadline) {
    if (!read_text(path).empty()) {
      return true;
    }
    std::this_thread::sleep_for(10ms);
  }
  return false;
}

bool process_alive(pid_t pid) { return ::kill(pid, 0) == 0; }

// The user a ferryd started as root serves as (its default --user).
std::optional<passwd> job_user() {
  for (const char* name : {"ferryd", "nobody"}) {
    if (const passwd* pw = ::getpwnam(name)) {
      return *pw;
    }
  }
  return std::nullopt;
}

// The value of "Name:" in /proc/PID/status, tabs turned into spaces.
std::string proc_status(pid_t pid, const std::string& name) {
  std::string text = read_text("/proc/" + std::to_string(pid) + "/status");
  size_t at = text.find("\n" + name + ":\t");
  if (at == std::string::npos) {
    return {};
  }
  at += name.size() + 3;
  std::string value = text.substr(at, text.find('\n', at) - at);
  std::replace(value.begin(), value.end(), '\t', ' ');
  while (!value.empty() && value.back() == ' ') {
    value.pop_back();
  }
  return value;
}

// The children of `parent` now (from /proc/PID/stat's ppid field).
std::vector<pid_t> children_of(pid_t parent) {
  std::vector<pid_t> out;
  for (const std::string& entry : list_dir("/proc")) {
    if (entry.find_first_not_of("0123456789") != std::string::npos) {
      continue;
    }
    std::string stat = read_text("/proc/" + entry + "/stat");
    size_t close = stat.rfind(')');
    int ppid = 0;
    if (close != std::string::npos &&
        std::sscanf(stat.c_str() + close + 1, " %*c %d", &ppid) == 1 && ppid == parent) {
      out.push_back(std::atoi(entry.c_str()));
    }
  }
  return out;
}

bool wait_for_text(const std::string& path, const std::string& text,
                   std::chrono::milliseconds limit) {
  auto deadline = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < deadline) {
    if (read_text(path).find(text) != std::string::npos) {
      return true;
    }
    std::this_thread::sleep_for(10ms);
  }
  return false;
}

// Connects, sends, and reads the whole reply.
std::string compile_over_tcp(uint16_t port, const std::string& request) {
  auto conn = net::connect_tcp("127.0.0.1", port, 5s);
  if (!conn) {
    ADD_FAILURE() << summarize(conn.takeError()).message;
    return {};
  }
  ::send(conn->get(), request.data(), request.size(), MSG_NOSIGNAL);
  return test::read_to_eof(conn->get());
}

// A private tree with a fakecc on PATH, job dirs in TMPDIR, and files.
class FerrydProcess : public ::testing::Test {
 protected:
  void SetUp() override {
    if (::access(kFerryd.c_str(), X_OK) != 0) {
      GTEST_SKIP() << kFerryd << " is not built";
    }
    m_bin = m_tree.sub("bin");
    write_text(m_bin + "/fakecc", test::kFakeCompiler, 0755);
    m_jobs = m_tree.sub("jobs");
    // Run as root, ferryd serves jobs as an unprivileged user, who must
    // reach the job directories (and the fake compiler's pid file).
    ::chmod(m_tree.path().c_str(), 01777);
    ::chmod(m_jobs.c_str(), 01777);
    m_port_file = m_tree.path() + "/port";
    // As an operator would (/run/ferryd): the pid file's directory belongs
    // to the user a root ferryd serves as, who removes the file at SIGTERM.
    std::string run = m_tree.sub("run");
    if (std::optional<passwd> user = job_user(); user && ::geteuid() == 0) {
      EXPECT_EQ(::chown(run.c_str(), user->pw_uid, user->pw_gid), 0);
    }
    m_pid_file = run + "/pid";
    m_log = m_tree.path() + "/stderr";
    m_env = {"TMPDIR=" + m_jobs, "PATH=" + m_bin + ":/usr/bin:/bin",
             "FAKECC_PIDFILE=" + m_tree.path() + "/fakecc.pid"};
  }
  void TearDown() override {
    EXPECT_TRUE(list_dir(m_jobs).empty()) << "a job directory was left behind";
  }
  // ferryd --no-detach on a free port, with the fake plugin.
  pid_t start_foreground(std::vector<std::string> extra = {}) {
    std::vector<std::string> args = {"--no-detach", "--port", "0", "--port-file",
                                     m_port_file, "--log-stderr", "--pid-file",
                                     m_pid_file, "--plugin-path", DAEMON_FIXTURE_DIR};
    args.insert(args.end(), extra.begin(), extra.end());
    pid_t pid = start(args, m_env, {-1, -1, m_log});
    EXPECT_TRUE(wait_for_file(m_port_file, kStartLimit)) << read_text(m_log);
    return pid;
  }
  uint16_t port() const { return static_cast<uint16_t>(std::atoi(read_text(m_port_file).c_str())); }
  void stop(pid_t pid) {
    ASSERT_EQ(::kill(pid, SIGTERM), 0);
    std::optional<int> status = wait_exit(pid, kStopLimit);
    ASSERT_TRUE(status.has_value()) << "ferryd did not stop";
    EXPECT_TRUE(WIFEXITED(*status) && WEXITSTATUS(*status) == 0) << *status;
    EXPECT_NE(::access(m_pid_file.c_str(), F_OK), 0) << "pid file left behind";
  }

  test::TempTree m_tree;
  std::string m_bin, m_jobs, m_port_file, m_pid_file, m_log;
  std::vector<std::string> m_env;
};

TEST_F(FerrydProcess, BadOptionsExit101WithOneLine) {
  for (const std::vector<std::string>& args :
       {std::vector<std::string>{"--bogus"}, {"--port", "70000"}, {"--jobs", "0"},
        {"--allow", "1.2.3.4/40"}}) {
    pid_t pid = start(args, m_env, {-1, -1, m_log});
    std::optional<int> status = wait_exit(pid, kStopLimit);
    ASSERT_TRUE(status.has_value());
    EXPECT_TRUE(WIFEXITED(*status) && WEXITSTATUS(*status) == 101) << args[0];
    std::string err = read_text(m_log);
    EXPECT_EQ(err.rfind("ferryd: error: ", 0), 0u) << err;
    EXPECT_EQ(err.find('\n'), err.size() - 1) << err;
  }
}

TEST_F(FerrydProcess, VersionAndHelp) {
  int fds[2];
  ASSERT_EQ(::pipe(fds), 0);
  pid_t pid = start({"--version"}, m_env, {-1, fds[1], ""});
  ::close(fds[1]);
  EXPECT_EQ(test::read_to_eof(fds[0]), "ferryd 0.1.0\n");
  ::close(fds[0]);
  EXPECT_EQ(wait_exit(pid, kStopLimit), std::optional<int>(0));
  ASSERT_EQ(::pipe(fds), 0);
  pid = start({"--help"}, m_env, {-1, fds[1], ""});
  ::close(fds[1]);
  EXPECT_NE(test::read_to_eof(fds[0]).find("--allow"), std::string::npos);
  ::close(fds[0]);
  EXPECT_EQ(wait_exit(pid, kStopLimit), std::optional<int>(0));
}

TEST_F(FerrydProcess, ABusyPortExits102) {
  auto taken = net::listen_tcp("127.0.0.1", 0, 1);
  ASSERT_TRUE(static_cast<bool>(taken));
  std::string port = std::to_string(net::local_port(taken->get()));
  pid_t pid = start({"--no-detach", "--listen", "127.0.0.1", "--port", port, "--plugin-path",
                     DAEMON_FIXTURE_DIR},
                    m_env, {-1, -1, m_log});
  std::optional<int> status = wait_exit(pid, kStopLimit);
  ASSERT_TRUE(status.has_value());
  EXPECT_TRUE(WIFEXITED(*status) && WEXITSTATUS(*status) == 102)
      << *status << " " << read_text(m_log);
  EXPECT_EQ(read_text(m_log).rfind("ferryd: error: ", 0), 0u) << read_text(m_log);
}

TEST_F(FerrydProcess, CompilesWithGccThenStopsOnSigterm) {
  if (::access(FERRY_BUILD_PLUGIN_DIR "/gcc.plugin", R_OK) != 0) {
    GTEST_SKIP() << "the gcc plugin is not built";
  }
  pid_t pid = start_foreground();
  EXPECT_EQ(std::atoi(read_text(m_pid_file).c_str()), pid);
  for (uint32_t version : {1u, 2u}) {
    std::string reply = compile_over_tcp(
        port(), request_bytes(version, {"gcc", "-c", "x.c", "-o", "x.o"},
                              "int f(int x) { return x * 2; }\n"));
    proto::Response r = test::decode(reply, version);
    EXPECT_EQ(r.status, 0u) << r.stderr_text;
    EXPECT_TRUE(test::is_elf(r.object));
  }
  stop(pid);
  std::string log = read_text(m_log);
  EXPECT_NE(log.find("COMPILE_OK status=0"), std::string::npos) << log;
  EXPECT_NE(log.find("job client=127.0.0.1:"), std::string::npos) << log;
}

TEST_F(FerrydProcess, SigtermLetsTheRunningJobFinish) {
  pid_t pid = start_foreground();
  std::string reply;
  std::thread client([&] {
    reply = compile_over_tcp(port(), request_bytes(1, kFakeArgv, "SLOW\n"));
  });
  // Wait until the job directory exists: the job is running.
  for (int i = 0; i < 6000 && list_dir(m_jobs).empty(); ++i) {
    std::this_thread::sleep_for(10ms);
  }
  ASSERT_FALSE(list_dir(m_jobs).empty());
  stop(pid);
  client.join();
  proto::Response r = test::decode(reply, 1);
  EXPECT_EQ(r.status, 0u);
  EXPECT_EQ(r.object, "SLOW\n");
}

TEST_F(FerrydProcess, ExcessConnectionsWaitAndAreNotDropped) {
  pid_t pid = start_foreground({"--jobs", "1"});
  auto begin = std::chrono::steady_clock::now();
  std::string replies[3];
  std::vector<std::thread> clients;
  for (int i = 0; i < 3; ++i) {
    clients.emplace_back([&, i] {
      replies[i] = compile_over_tcp(port(), request_bytes(1, kFakeArgv, "SLOW\n"));
    });
  }
  for (auto& t : clients) {
    t.join();
  }
  // One at a time: three one-second compiles take at least three seconds.
  EXPECT_GE(std::chrono::steady_clock::now() - begin, 2900ms);
  for (const std::string& reply : replies) {
    EXPECT_EQ(test::decode(reply, 1).object, "SLOW\n");
  }
  stop(pid);
}

TEST_F(FerrydProcess, DetachesWritesThePidFileAndStops) {
  pid_t fg = start({"--daemon", "--port", "0", "--port-file", m_port_file, "--pid-file",
                    m_pid_file, "--plugin-path", DAEMON_FIXTURE_DIR, "--log-file",
                    m_tree.path() + "/daemon.log"},
                   m_env, {-1, -1, m_log});
  // The foreground process exits 0 once the pid file is written.
  EXPECT_EQ(wait_exit(fg, kStartLimit), std::optional<int>(0)) << read_text(m_log);
  pid_t daemon = std::atoi(read_text(m_pid_file).c_str());
  ASSERT_GT(daemon, 0);
  EXPECT_NE(daemon, fg);
  ASSERT_TRUE(wait_for_file(m_port_file, kStartLimit));
  proto::Response r = test::decode(compile_over_tcp(port(), request_bytes(1, kFakeArgv, "d\n")), 1);
  EXPECT_EQ(r.object, "d\n");
  ASSERT_EQ(::kill(daemon, SIGTERM), 0);
  for (int i = 0; i < 6000 && process_alive(daemon); ++i) {
    std::this_thread::sleep_for(10ms);
  }
  EXPECT_FALSE(process_alive(daemon));
  EXPECT_NE(::access(m_pid_file.c_str(), F_OK), 0);
  EXPECT_NE(read_text(m_tree.path() + "/daemon.log").find("COMPILE_OK"), std::string::npos);
}

TEST_F(FerrydProcess, SighupReopensTheLogFile) {
  std::string log = m_tree.path() + "/ferryd.log";
  std::vector<std::string> args = {"--no-detach", "--port", "0", "--port-file", m_port_file,
                                   "--pid-file", m_pid_file, "--log-file", log,
                                   "--plugin-path", DAEMON_FIXTURE_DIR};
  pid_t pid = start(args, m_env, {-1, -1, m_log});
  ASSERT_TRUE(wait_for_file(m_port_file, kStartLimit));
  ASSERT_EQ(::rename(log.c_str(), (log + ".1").c_str()), 0);
  ASSERT_EQ(::kill(pid, SIGHUP), 0);
  for (int i = 0; i < 6000 && ::access(log.c_str(), F_OK) != 0; ++i) {
    std::this_thread::sleep_for(10ms);
  }
  // Run as root, the daemon has switched to its user by now: that user
  // made the new file.
  ASSERT_EQ(::access(log.c_str(), F_OK), 0) << "SIGHUP did not make a new log file";
  test::decode(compile_over_tcp(port(), request_bytes(1, kFakeArgv, "h\n")), 1);
  stop(pid);
  EXPECT_NE(read_text(log).find("COMPILE_OK"), std::string::npos) << read_text(log);
  EXPECT_NE(read_text(log + ".1").find("listening on * port "), std::string::npos);
}

// Started as root, the listening process itself switches to the user before
// it serves: its uid, gid and groups, no-new-privileges; a job process (and
// so its compiler) is that user too, and the job still succeeds.
TEST_F(FerrydProcess, AsRootTheWholeDaemonServesAsTheUser) {
  std::optional<passwd> user = job_user();
  if (::geteuid() != 0 || !user) {
    GTEST_SKIP() << "needs root and a 'ferryd' or 'nobody' user";
  }
  std::string uid = std::to_string(user->pw_uid), gid = std::to_string(user->pw_gid);
  std::string log = m_tree.path() + "/ferryd.log";
  pid_t pid = start({"--no-detach", "--port", "0", "--port-file", m_port_file, "--pid-file",
                     m_pid_file, "--log-file", log, "--plugin-path", DAEMON_FIXTURE_DIR},
                    m_env, {-1, -1, m_log});
  ASSERT_TRUE(wait_for_text(log, "dropped root: the daemon runs as user", kStartLimit))
      << read_text(log) << read_text(m_log);
  EXPECT_EQ(proc_status(pid, "Uid"), uid + " " + uid + " " + uid + " " + uid);
  EXPECT_EQ(proc_status(pid, "Gid"), gid + " " + gid + " " + gid + " " + gid);
  EXPECT_EQ(proc_status(pid, "Groups"), gid);
  EXPECT_EQ(proc_status(pid, "NoNewPrivs"), "1");
  std::string reply;
  std::thread client([&] {
    reply = compile_over_tcp(port(), request_bytes(1, kFakeArgv, "SLOW\n"));
  });
  std::vector<pid_t> jobs;
  for (int i = 0; i < 6000 && jobs.empty(); ++i) {
    std::this_thread::sleep_for(10ms);
    jobs = children_of(pid);
  }
  ASSERT_FALSE(jobs.empty()) << "no job process appeared";
  EXPECT_EQ(proc_status(jobs[0], "Uid"), uid + " " + uid + " " + uid + " " + uid);
  EXPECT_EQ(proc_status(jobs[0], "NoNewPrivs"), "1");
  client.join();
  EXPECT_EQ(test::decode(reply, 1).object, "SLOW\n");
  stop(pid);
  // The log file it opened as root was handed over, so it can reopen it.
  struct stat st {};
  ASSERT_EQ(::stat(log.c_str(), &st), 0);
  EXPECT_EQ(st.st_uid, user->pw_uid);
  EXPECT_NE(read_text(log).find("COMPILE_OK"), std::string::npos) << read_text(log);
}

// A pid file in a directory the user cannot change outlives the daemon, and
// the log says why (docs/ferryd.md: give the user the pid file directory).
TEST_F(FerrydProcess, APidFileTheUserCannotRemoveIsReported) {
  if (::geteuid() != 0 || !job_user()) {
    GTEST_SKIP() << "needs root and a 'ferryd' or 'nobody' user";
  }
  m_pid_file = m_tree.sub("rootonly") + "/pid";  // 0755, root's
  pid_t pid = start_foreground();
  ASSERT_TRUE(wait_for_text(m_log, "dropped root", kStartLimit)) << read_text(m_log);
  ASSERT_EQ(::kill(pid, SIGTERM), 0);
  std::optional<int> status = wait_exit(pid, kStopLimit);
  ASSERT_TRUE(status.has_value());
  EXPECT_TRUE(WIFEXITED(*status) && WEXITSTATUS(*status) == 0) << *status;
  EXPECT_EQ(::access(m_pid_file.c_str(), F_OK), 0);
  EXPECT_NE(read_text(m_log).find("cannot remove the pid file '" + m_pid_file +
                                  "': Permission denied (its directory must be writable by user"),
            std::string::npos)
      << read_text(m_log);
}

TEST_F(FerrydProcess, InetdServesOneJobOnStdinStdout) {
  int sv[2];
  ASSERT_EQ(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv), 0);
  pid_t pid = start({"--inetd", "--plugin-path", DAEMON_FIXTURE_DIR}, m_env,
                    {sv[1], sv[1], m_log});
  ::close(sv[1]);
  std::string req = request_bytes(2, kFakeArgv, "over inetd\n");
  ASSERT_EQ(::write(sv[0], req.data(), req.size()), (ssize_t)req.size());
  proto::Response r = test::decode(test::read_to_eof(sv[0]), 2);
  ::close(sv[0]);
  EXPECT_EQ(r.object, "over inetd\n");
  EXPECT_EQ(wait_exit(pid, kStopLimit), std::optional<int>(0));
  // An inetd job logs nowhere by default: its stderr may be a user's terminal.
  EXPECT_EQ(read_text(m_log), "");
}

TEST_F(FerrydProcess, NoPluginsIsAnError) {
  std::string empty = m_tree.sub("empty");
  // The build's own plugin dir is found beside the binary, so point
  // everything at an empty tree by running a copy of ferryd from it.
  std::string copy = m_tree.sub("lonely") + "/ferryd";
  write_text(copy, read_text(kFerryd), 0755);
  pid_t pid = ::fork();
  if (pid == 0) {
    int null = ::open("/dev/null", O_RDWR);
    ::dup2(null, 0);
    ::dup2(null, 1);
    ::dup2(null, 2);
    std::vector<std::string> args = {copy, "--no-detach", "--port", "0"};
    std::vector<char*> a;
    for (auto& s : args) a.push_back(s.data());
    a.push_back(nullptr);
    ::setenv("FERRY_PLUGIN_PATH", empty.c_str(), 1);
    ::execv(copy.c_str(), a.data());
    ::_exit(127);
  }
  std::optional<int> status = wait_exit(pid, kStopLimit);
  ASSERT_TRUE(status.has_value());
  EXPECT_TRUE(WIFEXITED(*status) && WEXITSTATUS(*status) == 110) << *status;
}

}  // namespace
}  // namespace ferry::daemon
