// serve_job() with the real gcc plugin and the system's gcc, over a
// socketpair: v1 and v2 requests, a compile error, refusals, and the
// requests the real distcc 3.4 client sent (tests/data/distcc-captures).
#include "daemon/job.h"

#include <gtest/gtest.h>

#include <unistd.h>

#include "daemon/compile_run.h"
#include "daemon/compiler_policy.h"
#include "daemon_test_util.h"

namespace ferry::daemon {
namespace {

using namespace std::chrono_literals;
using test::exchange;
using test::list_dir;
using test::read_text;
using test::request_bytes;

const std::vector<std::string> kArgv = {"gcc", "-c", "x.c", "-o", "x.o"};
const char* kGood = "int f(int x) { return x + 1; }\n";
const char* kBad = "int f(void) { return y; }\n";

class GccJob : public ::testing::Test {
 protected:
  void SetUp() override {
    if (::access(FERRY_BUILD_PLUGIN_DIR "/gcc.plugin", R_OK) != 0) {
      GTEST_SKIP() << "the gcc plugin is not built";
    }
    if (::access("/usr/bin/gcc", X_OK) != 0) {
      GTEST_SKIP() << "no gcc";
    }
    m_plugins = PluginSet::load({FERRY_BUILD_PLUGIN_DIR}, m_quiet);
    ASSERT_NE(m_plugins.claimant("gcc"), nullptr);
    m_jobs = m_tree.sub("jobs");
    m_log_path = m_tree.path() + "/log";
    auto log = DaemonLog::open_file(m_log_path, false);
    ASSERT_TRUE(static_cast<bool>(log));
    m_log = std::move(*log);
    m_config.plugins = &m_plugins;
    m_config.allow = net::loopback_rules();
    m_config.search_path = "/usr/bin:/bin";
    m_config.compiler_env = compiler_environment();
    m_config.tmpdir = m_jobs;
    m_config.io_timeout = 20s;
  }
  void TearDown() override {
    if (!m_jobs.empty()) {
      EXPECT_TRUE(list_dir(m_jobs).empty()) << "a job directory was left behind";
    }
  }
  void expect_refused(const std::string& request, const std::string& reason) {
    test::Exchange ex = exchange(m_config, m_log, request);
    EXPECT_EQ(ex.reply, "") << "a refusal must send no byte";
    EXPECT_EQ(ex.outcome.category, JobCategory::RejBadReq);
    std::string log = read_text(m_log_path);
    EXPECT_NE(log.find("refused client=local: " + reason), std::string::npos) << log;
  }

  test::TempTree m_tree;
  DaemonLog m_quiet;
  DaemonLog m_log;
  std::string m_log_path;
  PluginSet m_plugins;
  std::string m_jobs;
  JobConfig m_config;
};

TEST_F(GccJob, V1AndV2CompileToAnElfObject) {
  for (uint32_t version : {1u, 2u}) {
    test::Exchange ex = exchange(m_config, m_log, request_bytes(version, kArgv, kGood));
    proto::Response r = test::decode(ex.reply, version);
    EXPECT_EQ(r.version, version);
    EXPECT_EQ(r.status, 0u) << r.stderr_text;
    EXPECT_TRUE(test::is_elf(r.object)) << "v" << version;
    EXPECT_EQ(ex.outcome.category, JobCategory::CompileOk);
  }
  std::string log = read_text(m_log_path);
  EXPECT_NE(log.find("COMPILE_OK status=0"), std::string::npos) << log;
  EXPECT_NE(log.find("compiler=gcc input=x.c"), std::string::npos) << log;
}

TEST_F(GccJob, ASyntaxErrorReturnsGccsDiagnosticAndStatus1) {
  for (uint32_t version : {1u, 2u}) {
    test::Exchange ex = exchange(m_config, m_log, request_bytes(version, kArgv, kBad));
    proto::Response r = test::decode(ex.reply, version);
    EXPECT_EQ(r.status, 1u << 8);
    EXPECT_NE(r.stderr_text.find("error:"), std::string::npos) << r.stderr_text;
    EXPECT_NE(r.stderr_text.find("undeclared"), std::string::npos) << r.stderr_text;
    EXPECT_EQ(r.object, "");
  }
}

TEST_F(GccJob, FpluginIsRefusedWithNoAnswer) {
  test::Exchange ex = exchange(
      m_config, m_log,
      request_bytes(1, {"gcc", "-fplugin=/x.so", "-c", "x.c", "-o", "x.o"}, kGood));
  EXPECT_EQ(ex.reply, "");
  EXPECT_EQ(ex.outcome.category, JobCategory::RejBadReq);
  EXPECT_NE(ex.outcome.reason.find("-fplugin=/x.so"), std::string::npos) << ex.outcome.reason;
  std::string log = read_text(m_log_path);
  EXPECT_NE(log.find("refused client=local: "), std::string::npos) << log;
  EXPECT_NE(log.find("-fplugin=/x.so"), std::string::npos) << log;
}

TEST_F(GccJob, ShellAsCompilerIsRefusedWithNoAnswer) {
  expect_refused(request_bytes(1, {"sh", "-c", "touch /tmp/ferry-pwned"}, ""),
                 "compiler 'sh' is not claimed by any plugin");
  EXPECT_NE(::access("/tmp/ferry-pwned", F_OK), 0);
}

TEST_F(GccJob, AbsoluteCompilerPathIsRefused) {
  expect_refused(request_bytes(1, {"/tmp/gcc", "-c", "x.c", "-o", "x.o"}, kGood),
                 "compiler '/tmp/gcc' must be a bare name, not a path");
}

// The bytes the real distcc 3.4 client sent (x86_64-linux-gnu-gcc, cross
// rewrite) are served like distccd served them.
TEST_F(GccJob, RealDistccRequestsAreServed) {
  if (::access("/usr/bin/x86_64-linux-gnu-gcc", X_OK) != 0) {
    GTEST_SKIP() << "no x86_64-linux-gnu-gcc";
  }
  std::string dir = std::string(DAEMON_CAPTURE_DIR) + "/";
  for (auto [name, version] : {std::pair{"v1-ok.req", 1u}, std::pair{"v2-lzo-ok.req", 2u}}) {
    std::string request = read_text(dir + name);
    ASSERT_FALSE(request.empty()) << dir + name;
    test::Exchange ex = exchange(m_config, m_log, request);
    proto::Response r = test::decode(ex.reply, version);
    EXPECT_EQ(r.status, 0u) << name << ": " << r.stderr_text;
    EXPECT_TRUE(test::is_elf(r.object)) << name;
  }
  test::Exchange bad = exchange(m_config, m_log, read_text(dir + "v1-compile-error.req"));
  proto::Response r = test::decode(bad.reply, 1);
  EXPECT_EQ(r.status, 1u << 8);
  EXPECT_NE(r.stderr_text.find("bad.c"), std::string::npos) << r.stderr_text;
}

}  // namespace
}  // namespace ferry::daemon
