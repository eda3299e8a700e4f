#include "config/layers.h"

#include <gtest/gtest.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>

#include "test_env.h"

namespace ferry::config {
namespace {

using testing::error_text;
using testing::fake_env;
using testing::fake_getenv;

class LayersTest : public ::testing::Test {
 protected:
  void SetUp() override {
    fake_env().clear();
    char tmpl[] = "/tmp/ferry-config-test.XXXXXX";
    ASSERT_NE(::mkdtemp(tmpl), nullptr);
    root = tmpl;
    fake_env()["FERRY_SITE_POLICY"] = root + "/etc/policy.toml";
    fake_env()["XDG_CONFIG_HOME"] = root + "/xdg";
    fake_env()["HOME"] = root + "/home";
  }
  void TearDown() override { (void)std::system(("rm -rf '" + root + "'").c_str()); }
  void write(const std::string& rel, const std::string& text) {
    std::string path = root + "/" + rel;
    (void)std::system(("mkdir -p '" + path.substr(0, path.rfind('/')) + "'").c_str());
    std::ofstream(path) << text;
  }
  void mkdir(const std::string& rel) { (void)std::system(("mkdir -p '" + root + "/" + rel + "'").c_str()); }
  std::string root;
};

TEST_F(LayersTest, PathsFollowTheEnvironment) {
  EXPECT_EQ(site_policy_path(fake_getenv), root + "/etc/policy.toml");
  EXPECT_EQ(user_config_path(fake_getenv), root + "/xdg/ferry/config.toml");
  fake_env().erase("XDG_CONFIG_HOME");
  EXPECT_EQ(user_config_path(fake_getenv), root + "/home/.config/ferry/config.toml");
  fake_env().clear();
  EXPECT_EQ(site_policy_path(fake_getenv), "/etc/ferry/policy.toml");
  EXPECT_EQ(daemon_policy_path(fake_getenv), "/etc/ferry/ferryd.toml");
  EXPECT_EQ(user_config_path(fake_getenv), "");
}

TEST_F(LayersTest, ProjectFileIsFoundWalkingUpAndNotAboveTheRepository) {
  write("repo/.ferry.toml", "");
  mkdir("repo/.git");
  mkdir("repo/src/deep");
  EXPECT_EQ(find_project_file(root + "/repo/src/deep"), root + "/repo/.ferry.toml");
  write("outer/.ferry.toml", "");
  mkdir("outer/inner/.git");
  mkdir("outer/inner/src");
  EXPECT_EQ(find_project_file(root + "/outer/inner/src"), std::nullopt);
  write("outer/inner/src/.ferry.toml", "");
  EXPECT_EQ(find_project_file(root + "/outer/inner/src"), root + "/outer/inner/src/.ferry.toml");
}

TEST_F(LayersTest, AllLayersInOrder) {
  write("etc/policy.toml", "client.strategy = \"site\"\nclient.backoff_period = 1\n"
                           "client.connect_timeout = 1\nclient.io_timeout = 1\n");
  write("xdg/ferry/config.toml", "client.strategy = \"user\"\nclient.backoff_period = 2\n"
                                 "client.connect_timeout = 2\n");
  write("p/.ferry.toml", "client.strategy = \"project\"\nclient.backoff_period = 3\n");
  mkdir("p/.git");
  fake_env()["FERRY_BACKOFF_PERIOD"] = "4";
  auto c = load_client_config({root + "/p", {"client.strategy=cli"}, fake_getenv});
  ASSERT_TRUE(static_cast<bool>(c)) << error_text(c.takeError());
  EXPECT_EQ(c->get_string("client.strategy"), "cli");
  EXPECT_EQ(c->get_seconds("client.backoff_period"), 4);
  EXPECT_EQ(c->get_seconds("client.connect_timeout"), 2);
  EXPECT_EQ(c->get_seconds("client.io_timeout"), 1);
  EXPECT_EQ(c->setting("client.connect_timeout").origin.where(),
            root + "/xdg/ferry/config.toml:3:1");
  EXPECT_EQ(c->files().size(), 3u);
}

TEST_F(LayersTest, MissingFilesAreNoError) {
  auto c = load_client_config({root, {}, fake_getenv});
  ASSERT_TRUE(static_cast<bool>(c));
  EXPECT_TRUE(c->files().empty());
}

TEST_F(LayersTest, BrokenUserFileIsOneLineWithItsPath) {
  write("xdg/ferry/config.toml", "client.fallback = nope\n");
  auto c = load_client_config({root, {}, fake_getenv});
  ASSERT_FALSE(static_cast<bool>(c));
  std::string e = error_text(c.takeError());
  EXPECT_EQ(e.rfind(root + "/xdg/ferry/config.toml:1:", 0), 0u) << e;
}

TEST_F(LayersTest, AFileThatCannotBeReadIsOneLineWithItsPath) {
  mkdir("etc/policy.toml");  // exists (stat succeeds), but read() fails: EISDIR
  auto c = load_client_config({root, {}, fake_getenv});
  ASSERT_FALSE(static_cast<bool>(c));
  std::string e = error_text(c.takeError());
  EXPECT_EQ(e, root + "/etc/policy.toml:1:1: cannot be read: Is a directory");
}

TEST_F(LayersTest, AFileIsReadWhole) {
  // Longer than any single read the loader might try first, and with a value at its very end.
  std::string text = "# site policy\n";
  while (text.size() < 70000) {
    text += "# padding padding padding padding padding padding padding padding\n";
  }
  text += "[client]\nio_timeout = 77\n";
  write("etc/policy.toml", text);
  auto c = load_client_config({root, {}, fake_getenv});
  ASSERT_TRUE(static_cast<bool>(c)) << error_text(c.takeError());
  EXPECT_EQ(c->get_seconds("client.io_timeout"), 77);
}

TEST_F(LayersTest, DaemonReadsSiteThenDaemonFile) {
  write("etc/policy.toml", "[daemon]\njobs = 3\nnice = 5\n");
  write("etc/ferryd.toml", "[daemon]\njobs = 7\n");
  auto c = load_daemon_config({root + "/etc/ferryd.toml", fake_getenv});
  ASSERT_TRUE(static_cast<bool>(c)) << error_text(c.takeError());
  EXPECT_EQ(c->get_int("daemon.jobs"), 7);
  EXPECT_EQ(c->get_int("daemon.nice"), 5);
  auto missing = load_daemon_config({root + "/nope.toml", fake_getenv});
  ASSERT_FALSE(static_cast<bool>(missing));
  EXPECT_EQ(error_text(missing.takeError()), root + "/nope.toml: no such daemon policy file");
}

}  // namespace
}  // namespace ferry::config
