#include "daemon/options.h"

#include <gtest/gtest.h>

#include <cstdlib>

#include "util/error.h"

namespace ferry::daemon {
namespace {

DaemonOptions parse_ok(const std::vector<std::string>& args) {
  auto o = parse_options(args);
  if (!o) {
    ADD_FAILURE() << summarize(o.takeError()).message;
    return {};
  }
  return std::move(*o);
}

ErrorSummary parse_bad(const std::vector<std::string>& args) {
  auto o = parse_options(args);
  if (o) {
    ADD_FAILURE() << "accepted a bad command line";
    return {ExitCode::Ok, {}};
  }
  return summarize(o.takeError());
}

TEST(DaemonOptions, DefaultsAreDistccdsAndLoopbackOnly) {
  DaemonOptions o = parse_ok({});
  EXPECT_EQ(o.mode, Mode::Auto);
  EXPECT_TRUE(o.detach);
  EXPECT_EQ(o.port, 3632);
  EXPECT_EQ(o.jobs, 0u);
  EXPECT_TRUE(o.allow.empty());
  std::vector<net::AllowRule> allow = effective_allow(o);
  ASSERT_EQ(allow.size(), 2u);
  EXPECT_EQ(allow[0].family, AF_INET);
  EXPECT_EQ(allow[0].bits, 8);
  EXPECT_EQ(allow[1].family, AF_INET6);
  EXPECT_EQ(allow[1].bits, 128);
  EXPECT_GE(default_jobs(), 3u);
}

TEST(DaemonOptions, ParsesEveryOptionInBothSpellings) {
  DaemonOptions o = parse_ok({"--daemon", "--no-detach", "--port", "0", "--port-file=pf",
                              "--listen", "127.0.0.1", "--allow", "10.0.0.0/8",
                              "-a", "::1", "--jobs=7", "--pid-file", "p",
                              "--log-file", "l", "--log-stderr", "--verbose",
                              "--plugin-path", "d1", "--plugin-path=d2"});
  EXPECT_EQ(o.mode, Mode::Daemon);
  EXPECT_FALSE(o.detach);
  EXPECT_EQ(o.port, 0);
  EXPECT_EQ(o.port_file, "pf");
  EXPECT_EQ(o.listen, "127.0.0.1");
  ASSERT_EQ(o.allow.size(), 2u);
  EXPECT_EQ(o.allow[0].bits, 8);
  EXPECT_EQ(o.jobs, 7u);
  EXPECT_EQ(o.pid_file, "p");
  EXPECT_EQ(o.log_file, "l");
  EXPECT_TRUE(o.log_stderr);
  EXPECT_TRUE(o.verbose);
  EXPECT_EQ(o.plugin_path, (std::vector<std::string>{"d1", "d2"}));
  EXPECT_EQ(effective_allow(o).size(), 2u);
}

TEST(DaemonOptions, InetdHelpVersionAndDistccShortForms) {
  EXPECT_EQ(parse_ok({"--inetd", "--enable-tcp-insecure"}).mode, Mode::Inetd);
  EXPECT_TRUE(parse_ok({"--help"}).help);
  EXPECT_TRUE(parse_ok({"-h"}).help);
  EXPECT_TRUE(parse_ok({"--version"}).version);
  DaemonOptions o = parse_ok({"-p", "65535", "-j", "1000", "-P", "x.pid"});
  EXPECT_EQ(o.port, 65535);
  EXPECT_EQ(o.jobs, 1000u);
  EXPECT_EQ(o.pid_file, "x.pid");
  EXPECT_EQ(parse_ok({"--daemon"}).mode, Mode::Daemon);
  EXPECT_EQ(effective_mode(parse_ok({"--inetd"})), Mode::Inetd);
}

TEST(DaemonOptions, BadValuesAreBadArgumentsNamingTheOption) {
  struct Case {
    std::vector<std::string> args;
    const char* needle;
  } cases[] = {
      {{"--port", "65536"}, "--port"},
      {{"--port", "80000"}, "0..65535"},
      {{"--port", "-1"}, "--port"},
      {{"--port", "12ab"}, "not a number"},
      {{"--port="}, "--port"},
      {{"--jobs", "0"}, "1..1000"},
      {{"--jobs", "1001"}, "1..1000"},
      {{"--jobs", " 4"}, "--jobs"},
      {{"--allow", "300.1.1.1"}, "300.1.1.1"},
      {{"--allow", "10.0.0.0/33"}, "10.0.0.0/33"},
      {{"--bogus-option"}, "unknown option '--bogus-option'"},
      {{"--make-me-a-botnet"}, "unknown option"},
      {{"--port"}, "needs a value"},
      {{"--verbose=yes"}, "takes no value"},
      {{"--pid-file", ""}, "must not be empty"},
      {{"stray"}, "unknown option 'stray'"},
  };
  for (const Case& c : cases) {
    ErrorSummary s = parse_bad(c.args);
    EXPECT_EQ(s.code, ExitCode::BadArguments) << c.args[0];
    EXPECT_NE(s.message.find(c.needle), std::string::npos)
        << "'" << s.message << "' lacks '" << c.needle << "'";
    EXPECT_EQ(s.message.find('\n'), std::string::npos);
  }
}

TEST(DaemonOptions, SecurityLimitAndStatisticsOptions) {
  DaemonOptions d = parse_ok({});
  EXPECT_EQ(d.user, "");
  EXPECT_EQ(d.nice, 5);
  EXPECT_EQ(d.job_lifetime, 0u);
  EXPECT_EQ(d.job_memory_mib, 8192u);
  EXPECT_EQ(d.request_timeout, 600u);
  EXPECT_FALSE(d.stats);
  EXPECT_EQ(d.stats_port, 3633);

  DaemonOptions o = parse_ok({"--user", "build", "-N", "10", "--job-lifetime=30",
                              "--job-memory", "0", "--request-timeout", "9", "--stats"});
  EXPECT_EQ(o.user, "build");
  EXPECT_EQ(o.nice, 10);
  EXPECT_EQ(o.job_lifetime, 30u);
  EXPECT_EQ(o.job_memory_mib, 0u);
  EXPECT_EQ(o.request_timeout, 9u);
  EXPECT_TRUE(o.stats);
  EXPECT_EQ(o.stats_port, 3633);

  DaemonOptions p = parse_ok({"--stats-port", "0", "--stats-port-file", "sp"});
  EXPECT_TRUE(p.stats);  // naming the port is enough
  EXPECT_EQ(p.stats_port, 0);
  EXPECT_EQ(p.stats_port_file, "sp");

  EXPECT_NE(parse_bad({"--job-memory", "10"}).message.find("at least 64"), std::string::npos);
  EXPECT_EQ(parse_bad({"--nice", "-3"}).code, ExitCode::BadArguments);
  // A flag takes exactly its daemon.* key's range (docs/policy.md): the top of
  // each range is accepted, one past it is refused here, not later by the key.
  EXPECT_EQ(parse_ok({"--nice", "19"}).nice, 19);
  EXPECT_EQ(parse_bad({"--nice", "20"}).code, ExitCode::BadArguments);
  EXPECT_EQ(parse_ok({"--job-lifetime", "86400"}).job_lifetime, 86400u);
  EXPECT_EQ(parse_bad({"--job-lifetime", "86401"}).code, ExitCode::BadArguments);
  EXPECT_EQ(parse_ok({"--job-memory", "1048576"}).job_memory_mib, 1048576u);
  EXPECT_EQ(parse_bad({"--job-memory", "1048577"}).code, ExitCode::BadArguments);
  EXPECT_EQ(parse_bad({"--request-timeout", "0"}).code, ExitCode::BadArguments);
  EXPECT_EQ(parse_bad({"--user", ""}).code, ExitCode::BadArguments);
  EXPECT_EQ(parse_bad({"--stats-port", "65536"}).code, ExitCode::BadArguments);
}

TEST(DaemonOptions, IoTimeoutFromTheEnvironment) {
  ::unsetenv("FERRY_IO_TIMEOUT");
  ::unsetenv("DISTCC_IO_TIMEOUT");
  EXPECT_EQ(*io_timeout_from_env(), std::chrono::seconds(300));
  ::setenv("DISTCC_IO_TIMEOUT", "20", 1);
  EXPECT_EQ(*io_timeout_from_env(), std::chrono::seconds(20));
  ::setenv("FERRY_IO_TIMEOUT", "7", 1);  // ours wins
  EXPECT_EQ(*io_timeout_from_env(), std::chrono::seconds(7));
  ::setenv("FERRY_IO_TIMEOUT", "soon", 1);
  auto bad = io_timeout_from_env();
  ASSERT_FALSE(static_cast<bool>(bad));
  ErrorSummary s = summarize(bad.takeError());
  EXPECT_EQ(s.code, ExitCode::BadArguments);
  EXPECT_NE(s.message.find("FERRY_IO_TIMEOUT"), std::string::npos) << s.message;
  ::unsetenv("FERRY_IO_TIMEOUT");
  ::unsetenv("DISTCC_IO_TIMEOUT");
}

}  // namespace
}  // namespace ferry::daemon
