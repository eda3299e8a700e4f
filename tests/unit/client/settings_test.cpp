#include "client/settings.h"

#include <gtest/gtest.h>

#include <cstdlib>

#include "util/error.h"

namespace ferry::client {
namespace {

// Environment variables are process-wide; each test restores what it sets.
class EnvGuard {
 public:
  explicit EnvGuard(std::initializer_list<const char*> names) {
    for (const char* n : names) {
      const char* v = std::getenv(n);
      m_saved.emplace_back(n, v ? std::optional<std::string>(v) : std::nullopt);
      ::unsetenv(n);
    }
  }
  ~EnvGuard() {
    for (auto& [n, v] : m_saved) {
      if (v) {
        ::setenv(n, v->c_str(), 1);
      } else {
        ::unsetenv(n);
      }
    }
  }

 private:
  std::vector<std::pair<const char*, std::optional<std::string>>> m_saved;
};

TEST(Settings, Defaults) {
  EnvGuard g({"FERRY_IO_TIMEOUT", "DISTCC_IO_TIMEOUT", "FERRY_FALLBACK", "DISTCC_FALLBACK",
              "FERRY_CONNECT_TIMEOUT"});
  auto s = settings_from_env();
  ASSERT_TRUE(static_cast<bool>(s));
  EXPECT_EQ(s->io_timeout.count(), 300000);
  EXPECT_EQ(s->connect_timeout.count(), 4000);
  EXPECT_TRUE(s->fallback);
}

TEST(Settings, FerryVariablesWinOverDistccOnes) {
  EnvGuard g({"FERRY_IO_TIMEOUT", "DISTCC_IO_TIMEOUT", "FERRY_FALLBACK", "DISTCC_FALLBACK"});
  ::setenv("DISTCC_IO_TIMEOUT", "7", 1);
  ::setenv("DISTCC_FALLBACK", "0", 1);
  auto s = settings_from_env();
  ASSERT_TRUE(static_cast<bool>(s));
  EXPECT_EQ(s->io_timeout.count(), 7000);
  EXPECT_FALSE(s->fallback);
  ::setenv("FERRY_IO_TIMEOUT", "2.5", 1);
  ::setenv("FERRY_FALLBACK", "1", 1);
  auto t = settings_from_env();
  ASSERT_TRUE(static_cast<bool>(t));
  EXPECT_EQ(t->io_timeout.count(), 2500);
  EXPECT_TRUE(t->fallback);
}

TEST(Settings, ABadTimeoutNamesTheVariable) {
  EnvGuard g({"FERRY_IO_TIMEOUT", "DISTCC_IO_TIMEOUT"});
  for (const char* bad : {"0", "-3", "soon", "5s", ""}) {
    ::setenv("FERRY_IO_TIMEOUT", bad, 1);
    auto s = settings_from_env();
    ASSERT_FALSE(static_cast<bool>(s)) << bad;
    ErrorSummary e = summarize(s.takeError());
    EXPECT_EQ(e.code, ExitCode::BadArguments);
    EXPECT_NE(e.message.find("FERRY_IO_TIMEOUT"), std::string::npos) << e.message;
  }
}

TEST(Settings, LocalRetryIsOptIn) {
  EnvGuard g({"FERRY_LOCAL_RETRY", "DISTCC_SKIP_LOCAL_RETRY"});
  auto s = settings_from_env();
  ASSERT_TRUE(static_cast<bool>(s));
  EXPECT_FALSE(s->local_retry);
  ::setenv("FERRY_LOCAL_RETRY", "1", 1);
  EXPECT_TRUE(settings_from_env()->local_retry);
  ::setenv("FERRY_LOCAL_RETRY", "0", 1);
  EXPECT_FALSE(settings_from_env()->local_retry);
  ::unsetenv("FERRY_LOCAL_RETRY");
  ::setenv("DISTCC_SKIP_LOCAL_RETRY", "", 1);
  EXPECT_FALSE(settings_from_env()->local_retry);
}

TEST(Settings, BackoffPeriod) {
  EnvGuard g({"FERRY_BACKOFF_PERIOD", "DISTCC_BACKOFF_PERIOD"});
  EXPECT_EQ(settings_from_env()->backoff_period.count(), 60);
  ::setenv("DISTCC_BACKOFF_PERIOD", "5", 1);
  EXPECT_EQ(settings_from_env()->backoff_period.count(), 5);
  ::setenv("FERRY_BACKOFF_PERIOD", "0", 1);
  EXPECT_EQ(settings_from_env()->backoff_period.count(), 0);
  for (const char* bad : {"-1", "soon", "", "1.5"}) {
    ::setenv("FERRY_BACKOFF_PERIOD", bad, 1);
    auto s = settings_from_env();
    ASSERT_FALSE(static_cast<bool>(s)) << bad;
    ErrorSummary e = summarize(s.takeError());
    EXPECT_EQ(e.code, ExitCode::BadArguments);
    EXPECT_NE(e.message.find("FERRY_BACKOFF_PERIOD"), std::string::npos) << e.message;
  }
}

// distcc #434: the ssh command is split once into words; nothing later may
// re-split or truncate it.
TEST(Settings, SshCommandSplitOnce) {
  EnvGuard g({"FERRY_SSH", "DISTCC_SSH"});
  EXPECT_EQ(settings_from_env()->ssh_command, std::vector<std::string>{"ssh"});
  ::setenv("DISTCC_SSH", "ssh -p 2222", 1);
  EXPECT_EQ(settings_from_env()->ssh_command, (std::vector<std::string>{"ssh", "-p", "2222"}));
  ::setenv("FERRY_SSH", "  /opt/ssh  -o BatchMode=yes ", 1);
  auto s = settings_from_env();
  ASSERT_TRUE(static_cast<bool>(s));
  EXPECT_EQ(s->ssh_command, (std::vector<std::string>{"/opt/ssh", "-o", "BatchMode=yes"}));
  EXPECT_STREQ(std::getenv("FERRY_SSH"), "  /opt/ssh  -o BatchMode=yes ")
      << "the environment must not be modified";
  ::setenv("FERRY_SSH", " ", 1);
  auto bad = settings_from_env();
  ASSERT_FALSE(static_cast<bool>(bad));
  EXPECT_EQ(summarize(bad.takeError()).code, ExitCode::BadArguments);
}

TEST(Settings, StateDirectory) {
  EnvGuard g({"FERRY_DIR", "HOME"});
  ::setenv("HOME", "/home/u", 1);
  EXPECT_EQ(settings_from_env()->state_root, "/home/u/.ferry");
  ::setenv("FERRY_DIR", "/var/tmp/f", 1);
  EXPECT_EQ(settings_from_env()->state_root, "/var/tmp/f");
}

}  // namespace
}  // namespace ferry::client
