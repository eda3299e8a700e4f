// serve_job() end to end over a socketpair (and once over TCP), with the
// fake plugin and the fakecc script, so every path of a job — success,
// compile error, each refusal, disconnects, timeouts — is exercised
// without depending on the gcc plugin. job_gcc_test.cpp does the same with
// real gcc.
#include "daemon/job.h"

#include <gtest/gtest.h>

#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <thread>

#include "daemon/compile_run.h"
#include "daemon/compiler_policy.h"
#include "daemon_test_util.h"
#include "net/tcp.h"

namespace ferry::daemon {
namespace {

using namespace std::chrono_literals;
using test::exchange;
using test::list_dir;
using test::read_text;
using test::request_bytes;
using test::write_text;

const std::vector<std::string> kArgv = {"fakecc", "-c", "x.c", "-o", "x.o"};

bool process_gone(pid_t pid) {
  for (int i = 0; i < 100; ++i) {
    std::string stat = read_text("/proc/" + std::to_string(pid) + "/stat");
    // Gone, or a zombie waiting for a reaper that is not us.
    if (stat.empty() || stat.find(") Z ") != std::string::npos) {
      return true;
    }
    std::this_thread::sleep_for(20ms);
  }
  return false;
}

class FakeJob : public ::testing::Test {
 protected:
  void SetUp() override {
    m_plugins = PluginSet::load({DAEMON_FIXTURE_DIR}, m_quiet);
    ASSERT_EQ(m_plugins.size(), 1u);
    m_bin = m_tree.sub("bin");
    write_text(m_bin + "/fakecc", test::kFakeCompiler, 0755);
    write_text(m_bin + "/fakecc-broken", "#!/nonexistent/interpreter\n", 0755);
    m_jobs = m_tree.sub("jobs");
    m_old_tmpdir = std::getenv("TMPDIR") ? std::getenv("TMPDIR") : "";
    ::setenv("TMPDIR", m_jobs.c_str(), 1);
    ::setenv("FAKECC_PIDFILE", (m_tree.path() + "/fakecc.pid").c_str(), 1);
    m_log_path = m_tree.path() + "/log";
    auto log = DaemonLog::open_file(m_log_path, true);
    ASSERT_TRUE(static_cast<bool>(log));
    m_log = std::move(*log);
    m_config.plugins = &m_plugins;
    m_config.allow = net::loopback_rules();
    m_config.search_path = m_bin;
    m_config.compiler_env = compiler_environment();
    m_config.tmpdir = temp_root();
    m_config.io_timeout = 5s;
    m_config.poll_interval = 50ms;
  }
  void TearDown() override {
    // The job directory is gone on every path.
    EXPECT_TRUE(list_dir(m_jobs).empty()) << list_dir(m_jobs)[0];
    if (m_old_tmpdir.empty()) {
      ::unsetenv("TMPDIR");
    } else {
      ::setenv("TMPDIR", m_old_tmpdir.c_str(), 1);
    }
  }
  std::string log_text() const { return read_text(m_log_path); }
  void expect_log(const std::string& needle) const {
    std::string log = log_text();
    EXPECT_NE(log.find(needle), std::string::npos) << "log lacks '" << needle << "':\n"
                                                   << log;
  }
  // A refused request: no byte comes back, and the reason is logged.
  void expect_refused(const std::string& request, const std::string& reason) {
    test::Exchange ex = exchange(m_config, m_log, request);
    EXPECT_EQ(ex.reply, "");
    EXPECT_FALSE(ex.outcome.replied);
    EXPECT_EQ(ex.outcome.category, JobCategory::RejBadReq);
    EXPECT_NE(ex.outcome.reason.find(reason), std::string::npos) << ex.outcome.reason;
    expect_log("refused client=local: " + reason);
    expect_log("REJ_BAD_REQ status=-");
  }

  test::TempTree m_tree;
  DaemonLog m_quiet;
  DaemonLog m_log;
  std::string m_log_path;
  PluginSet m_plugins;
  std::string m_bin;
  std::string m_jobs;
  std::string m_old_tmpdir;
  JobConfig m_config;
};

TEST_F(FakeJob, V1CompileReturnsTheObject) {
  std::string source = "int x;\n";
  test::Exchange ex = exchange(m_config, m_log, request_bytes(1, kArgv, source));
  proto::Response r = test::decode(ex.reply, 1);
  EXPECT_EQ(r.version, 1u);
  EXPECT_EQ(r.status, 0u);
  EXPECT_EQ(r.stderr_text, "");
  EXPECT_EQ(r.object, source);
  EXPECT_TRUE(ex.outcome.replied);
  EXPECT_EQ(ex.outcome.category, JobCategory::CompileOk);
  expect_log("job client=local COMPILE_OK status=0 time=");
  expect_log("ms compiler=fakecc input=x.c");
}

TEST_F(FakeJob, V2CompileRoundTripsThroughLzo) {
  std::string source;
  for (int i = 0; i < 5000; ++i) {
    source += "int v" + std::to_string(i) + " = " + std::to_string(i * 7) + ";\n";
  }
  test::Exchange ex = exchange(m_config, m_log, request_bytes(2, kArgv, source));
  proto::Response r = test::decode(ex.reply, 2);
  EXPECT_EQ(r.version, 2u);
  EXPECT_EQ(r.status, 0u);
  EXPECT_TRUE(r.object == source) << r.object.size() << " bytes vs " << source.size();
}

TEST_F(FakeJob, Version0IsAnsweredAsVersion0) {
  test::Exchange ex = exchange(m_config, m_log, request_bytes(0, kArgv, "int y;\n"));
  EXPECT_EQ(ex.reply.compare(0, 12, "DONE00000000"), 0) << ex.reply.substr(0, 12);
}

TEST_F(FakeJob, ACompileErrorSendsStatusAndDiagnosticsButNoObject) {
  test::Exchange ex = exchange(m_config, m_log, request_bytes(1, kArgv, "FAIL\n"));
  proto::Response r = test::decode(ex.reply, 1);
  EXPECT_EQ(r.status, 1u << 8);
  EXPECT_NE(r.stderr_text.find("error: FAIL found"), std::string::npos) << r.stderr_text;
  EXPECT_EQ(r.object, "");
  EXPECT_EQ(ex.outcome.category, JobCategory::CompileError);
  expect_log("COMPILE_ERROR status=1 ");
}

TEST_F(FakeJob, StdoutAndTheCompilersEnvironment) {
  test::Exchange ex =
      exchange(m_config, m_log, request_bytes(1, kArgv, "STDOUT ENV\n"));
  proto::Response r = test::decode(ex.reply, 1);
  EXPECT_EQ(r.status, 0u);
  // Recursion guards one above ours, and the job dir as the cwd.
  std::string expected = "hello from fakecc\n1 1 " + m_jobs + "/ferryd_";
  EXPECT_EQ(r.stdout_text.compare(0, expected.size(), expected), 0) << r.stdout_text;
}

TEST_F(FakeJob, AnUnsafeArgumentIsRefusedSilently) {
  expect_refused(request_bytes(1, {"fakecc", "-fplugin=/x.so", "-c", "x.c", "-o", "x.o"},
                               "int x;\n"),
                 "argument '-fplugin=/x.so' is refused");
}

TEST_F(FakeJob, AnUnclaimedCompilerIsRefusedBeforeTheSourceIsRead) {
  // Only the head is sent: the refusal must not wait for DOTI.
  expect_refused(proto::encode_request_head(1, {"sh", "-c", "touch /tmp/pwned"}),
                 "compiler 'sh' is not claimed by any plugin");
}

TEST_F(FakeJob, ACompilerPathIsRefused) {
  expect_refused(request_bytes(1, {"/tmp/fakecc", "-c", "x.c", "-o", "x.o"}, "int x;\n"),
                 "compiler '/tmp/fakecc' must be a bare name, not a path");
}

TEST_F(FakeJob, UsrBinIsStrippedAndTheDaemonsCompilerRuns) {
  test::Exchange ex = exchange(
      m_config, m_log, request_bytes(1, {"/usr/bin/fakecc", "-c", "x.c", "-o", "x.o"}, "z\n"));
  EXPECT_EQ(test::decode(ex.reply, 1).object, "z\n");
}

TEST_F(FakeJob, AnUnsupportedVersionIsRefused) {
  expect_refused("DIST00000003ARGC00000001ARGV00000006fakecc",
                 "unsupported protocol version 3");
}

TEST_F(FakeJob, GarbageIsRefused) {
  test::Exchange ex = exchange(m_config, m_log, "GET / HTTP/1.0\r\n\r\n");
  EXPECT_EQ(ex.reply, "");
  EXPECT_EQ(ex.outcome.category, JobCategory::RejBadReq);
  expect_log("refused client=local: ");
}

TEST_F(FakeJob, TheI_OTimeoutEndsAStalledClient) {
  m_config.io_timeout = 300ms;
  auto start = std::chrono::steady_clock::now();
  // The head but no source, and the connection stays open.
  test::Exchange ex = exchange(m_config, m_log, proto::encode_request_head(1, kArgv));
  EXPECT_EQ(ex.reply, "");
  EXPECT_EQ(ex.outcome.category, JobCategory::Timeout);
  EXPECT_LT(std::chrono::steady_clock::now() - start, 4s);
  expect_log("TIMEOUT status=-");
}

TEST_F(FakeJob, AClientThatHangsUpMidRequestIsADisconnect) {
  int sv[2];
  ASSERT_EQ(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv), 0);
  UniqueFd client(sv[0]), server(sv[1]);
  std::string head = proto::encode_request_head(1, kArgv) + "DOTI00000100abc";
  ASSERT_EQ(::write(client.get(), head.data(), head.size()), (ssize_t)head.size());
  client.reset();
  JobOutcome o = serve_job(server.get(), server.get(), m_config, m_log);
  EXPECT_EQ(o.category, JobCategory::CliDisconn);
  expect_log("CLI_DISCONN status=-");
}

TEST_F(FakeJob, ACompilerThatCannotStartGivesStatus110) {
  test::Exchange ex = exchange(
      m_config, m_log, request_bytes(1, {"fakecc-broken", "-c", "x.c", "-o", "x.o"}, "q\n"));
  proto::Response r = test::decode(ex.reply, 1);
  EXPECT_EQ(r.status, 110u << 8);
  EXPECT_NE(r.stderr_text.find("] ERROR: "), std::string::npos) << r.stderr_text;
  EXPECT_NE(r.stderr_text.find("fakecc-broken"), std::string::npos) << r.stderr_text;
  EXPECT_EQ(r.object, "");
}

TEST_F(FakeJob, SuccessWithoutAnObjectClosesWithoutAnAnswer) {
  test::Exchange ex = exchange(m_config, m_log, request_bytes(1, kArgv, "NOOBJ\n"));
  EXPECT_EQ(ex.reply, "");
  EXPECT_EQ(ex.outcome.category, JobCategory::Other);
  expect_log("wrote no 'out.o'");
}

// Starts a SLEEP job in a thread and waits until the compiler is running.
class RunningJob {
 public:
  RunningJob(const JobConfig& config, const DaemonLog& log, const std::string& pidfile) {
    int sv[2];
    EXPECT_EQ(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv), 0);
    client.reset(sv[0]);
    m_server.reset(sv[1]);
    ::unlink(pidfile.c_str());
    std::string req = request_bytes(1, kArgv, "SLEEP\n");
    EXPECT_EQ(::write(client.get(), req.data(), req.size()), (ssize_t)req.size());
    m_thread = std::thread([&, this] {
      outcome = serve_job(m_server.get(), m_server.get(), config, log);
      m_server.reset();  // as the job process would, by exiting
    });
    for (int i = 0; i < 250 && sleeper <= 0; ++i) {
      std::this_thread::sleep_for(20ms);
      sleeper = std::atoi(read_text(pidfile).c_str());
    }
    EXPECT_GT(sleeper, 0) << "the compiler never started";
  }
  void join() { m_thread.join(); }

  UniqueFd client;
  pid_t sleeper = 0;
  JobOutcome outcome;

 private:
  UniqueFd m_server;
  std::thread m_thread;
};

TEST_F(FakeJob, AClientDisconnectKillsTheCompilersProcessGroup) {
  RunningJob job(m_config, m_log, m_tree.path() + "/fakecc.pid");
  auto start = std::chrono::steady_clock::now();
  job.client.reset();
  job.join();
  EXPECT_LT(std::chrono::steady_clock::now() - start, 5s);
  EXPECT_EQ(job.outcome.category, JobCategory::CliDisconn);
  EXPECT_FALSE(job.outcome.replied);
  EXPECT_TRUE(process_gone(job.sleeper)) << "pid " << job.sleeper << " survived";
  expect_log("client disconnected during the compile; compiler killed");
}

TEST_F(FakeJob, TheCancelFlagKillsTheCompilerAndCleansUp) {
  volatile std::sig_atomic_t cancel = 0;
  m_config.cancel = &cancel;
  RunningJob job(m_config, m_log, m_tree.path() + "/fakecc.pid");
  cancel = 1;
  job.join();
  EXPECT_EQ(job.outcome.category, JobCategory::Other);
  EXPECT_TRUE(process_gone(job.sleeper));
  EXPECT_EQ(test::read_to_eof(job.client.get()), "");
}

TEST_F(FakeJob, TheJobLifetimeKillsALongCompileWithoutAnAnswer) {
  m_config.job_lifetime = 1s;
  RunningJob job(m_config, m_log, m_tree.path() + "/fakecc.pid");
  auto start = std::chrono::steady_clock::now();
  job.join();
  EXPECT_LT(std::chrono::steady_clock::now() - start, 10s);
  EXPECT_EQ(job.outcome.category, JobCategory::CompileTimeout);
  EXPECT_FALSE(job.outcome.replied);
  EXPECT_TRUE(process_gone(job.sleeper)) << "pid " << job.sleeper << " survived";
  EXPECT_EQ(test::read_to_eof(job.client.get()), "");
  expect_log("the compile ran longer than --job-lifetime (1 s); compiler killed");
  expect_log("COMPILE_TIMEOUT status=-");
}

TEST_F(FakeJob, ARequestTrickledPastTheRequestTimeoutIsCut) {
  m_config.request_timeout = 500ms;
  int sv[2];
  ASSERT_EQ(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv), 0);
  UniqueFd client(sv[0]);
  UniqueFd server(sv[1]);
  std::string req = request_bytes(1, kArgv, "int x;\n");
  std::thread drip([&] {
    for (char c : req) {
      if (::send(client.get(), &c, 1, MSG_NOSIGNAL) != 1) {
        return;
      }
      std::this_thread::sleep_for(20ms);  // far below the 5 s I/O timeout
    }
  });
  JobOutcome o = serve_job(server.get(), server.get(), m_config, m_log);
  server.reset();
  drip.join();
  EXPECT_EQ(o.category, JobCategory::Timeout);
  EXPECT_FALSE(o.replied);
  expect_log("the request timeout (0.5 s) ran out");
}

TEST_F(FakeJob, OverTcpTheAllowListDecides) {
  auto listener = net::listen_tcp("127.0.0.1", 0, 8);
  ASSERT_TRUE(static_cast<bool>(listener)) << summarize(listener.takeError()).message;
  uint16_t port = net::local_port(listener->get());
  auto run = [&](const std::string& request) {
    auto conn = net::connect_tcp("127.0.0.1", port, 2s);
    EXPECT_TRUE(static_cast<bool>(conn));
    UniqueFd accepted(::accept(listener->get(), nullptr, nullptr));
    std::thread t(
        [&] { ::send(conn->get(), request.data(), request.size(), MSG_NOSIGNAL); });
    JobOutcome o = serve_job(accepted.get(), accepted.get(), m_config, m_log);
    accepted.reset();
    t.join();
    std::string reply = test::read_to_eof(conn->get());
    return std::make_pair(o, reply);
  };
  // Default rules: loopback is allowed.
  auto [ok, reply] = run(request_bytes(1, kArgv, "tcp\n"));
  EXPECT_EQ(ok.category, JobCategory::CompileOk);
  EXPECT_EQ(test::decode(reply, 1).object, "tcp\n");
  expect_log("job client=127.0.0.1:");
  // Only 10/8 allowed: refused before a byte is read.
  auto rule = net::parse_allow_rule("10.0.0.0/8");
  ASSERT_TRUE(static_cast<bool>(rule));
  m_config.allow = {*rule};
  auto [denied, nothing] = run(request_bytes(1, kArgv, "tcp\n"));
  EXPECT_EQ(denied.category, JobCategory::RejAccess);
  EXPECT_EQ(nothing, "");
  expect_log("is not allowed (see --allow)");
  expect_log("REJ_ACCESS status=-");
}

}  // namespace
}  // namespace ferry::daemon
