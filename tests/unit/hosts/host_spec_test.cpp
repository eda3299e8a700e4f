#include "hosts/host_spec.h"

#include <gtest/gtest.h>

#include "util/error.h"

namespace ferry::hosts {
namespace {

HostList parse_ok(std::string_view text) {
  auto l = parse_host_list(text);
  if (!l) {
    ADD_FAILURE() << summarize(l.takeError()).message;
    return {};
  }
  return *l;
}

// distcc's own --show-hosts / -j results (reference §2) as a table.
struct Case {
  const char* spec;
  HostKind kind;
  const char* host;
  int port;
  int slots;
  bool lzo;
};

class HostSpecTable : public ::testing::TestWithParam<Case> {};

TEST_P(HostSpecTable, ParsesLikeDistcc) {
  const Case& c = GetParam();
  HostList l = parse_ok(c.spec);
  ASSERT_EQ(l.hosts.size(), 1u) << c.spec;
  const Host& h = l.hosts[0];
  EXPECT_EQ(h.kind, c.kind) << c.spec;
  EXPECT_EQ(h.hostname, c.host) << c.spec;
  EXPECT_EQ(h.port, c.port) << c.spec;
  EXPECT_EQ(h.slots, c.slots) << c.spec;
  EXPECT_EQ(h.lzo, c.lzo) << c.spec;
  EXPECT_EQ(h.text, c.spec);
}

INSTANTIATE_TEST_SUITE_P(
    Distcc, HostSpecTable,
    ::testing::Values(Case{"localhost", HostKind::Local, "localhost", 3632, 2, false},
                      Case{"localhost/3", HostKind::Local, "localhost", 3632, 3, false},
                      Case{"red", HostKind::Tcp, "red", 3632, 4, false},
                      Case{"red:4000/6", HostKind::Tcp, "red", 4000, 6, false},
                      Case{"red/6:4000", HostKind::Tcp, "red", 4000, 6, false},
                      Case{"[::1]:4000/2,lzo", HostKind::Tcp, "::1", 4000, 2, true},
                      Case{"localhost:3632", HostKind::Tcp, "localhost", 3632, 4, false},
                      Case{"127.0.0.1:13632,lzo", HostKind::Tcp, "127.0.0.1", 13632, 4, true},
                      Case{"me@blue/3:/opt/bin/ferryd,lzo", HostKind::Ssh, "blue", 3632, 3,
                           true}));

TEST(HostSpec, CommentsAndWhitespace) {
  HostList l = parse_ok("a # c b\nc\t d");
  ASSERT_EQ(l.hosts.size(), 3u);
  EXPECT_EQ(l.hosts[0].hostname, "a");
  EXPECT_EQ(l.hosts[1].hostname, "c");
  EXPECT_EQ(l.hosts[2].hostname, "d");
}

TEST(HostSpec, Keywords) {
  HostList l = parse_ok("--randomize --localslots=3 --localslots_cpp=5 a");
  EXPECT_TRUE(l.randomize);
  EXPECT_EQ(l.local_slots, 3);
  EXPECT_EQ(l.local_slots_cpp, 5);
  EXPECT_EQ(l.hosts.size(), 1u);
}

TEST(HostSpec, SshParts) {
  HostList l = parse_ok("bob@box/2:/usr/local/bin/ferryd");
  ASSERT_EQ(l.hosts.size(), 1u);
  EXPECT_EQ(l.hosts[0].user, "bob");
  EXPECT_EQ(l.hosts[0].hostname, "box");
  EXPECT_EQ(l.hosts[0].command, "/usr/local/bin/ferryd");
  EXPECT_EQ(l.hosts[0].display(), "bob@box");
}

TEST(HostSpec, DisplayNames) {
  HostList l = parse_ok("127.0.0.1:4000 [::1]:5000 localhost");
  EXPECT_EQ(l.hosts[0].display(), "127.0.0.1:4000");
  EXPECT_EQ(l.hosts[1].display(), "[::1]:5000");
  EXPECT_EQ(l.hosts[2].display(), "localhost");
}

// Lock and backoff file names (distcc's cpu_tcp_HOST_PORT_N style).
TEST(HostSpec, LockKeys) {
  HostList l = parse_ok("127.0.0.1:4000/2 [::1]:5000 localhost/3 bob@box/2:/opt/ferryd red");
  EXPECT_EQ(l.hosts[0].lock_key(), "tcp_127.0.0.1_4000");
  EXPECT_EQ(l.hosts[1].lock_key(), "tcp_::1_5000");
  EXPECT_EQ(l.hosts[2].lock_key(), "localhost");
  EXPECT_EQ(l.hosts[3].lock_key(), "ssh_box");
  EXPECT_EQ(l.hosts[4].lock_key(), "tcp_red_3632");
}

// ,ferry marks a ferryd (ferry-native packets allowed); nothing else is.
TEST(HostSpec, FerryOptionMarksAFerryd) {
  HostList l = parse_ok("red:4000,ferry,lzo blue,lzo me@green/2,ferry localhost");
  ASSERT_EQ(l.hosts.size(), 4u);
  EXPECT_TRUE(l.hosts[0].ferry);
  EXPECT_TRUE(l.hosts[0].lzo);
  EXPECT_EQ(l.hosts[0].port, 4000);
  EXPECT_FALSE(l.hosts[1].ferry);
  EXPECT_TRUE(l.hosts[2].ferry);
  EXPECT_EQ(l.hosts[2].kind, HostKind::Ssh);
  EXPECT_FALSE(l.hosts[3].ferry);
}

TEST(HostSpec, EmptyListIsValidAndEmpty) { EXPECT_TRUE(parse_ok("  # nothing\n").hosts.empty()); }

struct BadCase {
  const char* spec;
  const char* token;
  const char* why;
};

class HostSpecErrors : public ::testing::TestWithParam<BadCase> {};

TEST_P(HostSpecErrors, NameTheTokenAndTheProblem) {
  const BadCase& c = GetParam();
  auto l = parse_host_list(c.spec);
  ASSERT_FALSE(static_cast<bool>(l)) << c.spec;
  ErrorSummary s = summarize(l.takeError());
  EXPECT_EQ(s.code, ExitCode::BadHostSpec);
  EXPECT_NE(s.message.find(std::string("'") + c.token + "'"), std::string::npos) << s.message;
  EXPECT_NE(s.message.find(c.why), std::string::npos) << s.message;
}

INSTANTIATE_TEST_SUITE_P(
    Distcc, HostSpecErrors,
    ::testing::Values(BadCase{"good red/0", "red/0", "bad slot count"},
                      BadCase{"red:port", "red:port", "invalid TCP port"},
                      BadCase{"red:70000", "red:70000", "invalid TCP port"},
                      BadCase{"red,bogus", "red,bogus", "unrecognized option 'bogus'"},
                      BadCase{"red,cpp", "red,cpp", "requires compression"},
                      BadCase{"[::1:4000", "[::1:4000", "missing ']'"},
                      BadCase{"a b --what", "--what", "(token 3)"},
                      BadCase{"red:1:2", "red:1:2", "unexpected ':'"}));

}  // namespace
}  // namespace ferry::hosts
