// The documentation and the shipped example files against the key table:
// every key is documented, and every example file loads.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "config/config.h"
#include "config/layers.h"
#include "test_env.h"

namespace ferry::config {
namespace {

const std::string kRoot = std::string(FERRY_TEST_DATA_DIR) + "/../..";

std::string slurp(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

TEST(ShippedFiles, PolicyDocDescribesEveryKey) {
  std::string doc = slurp(kRoot + "/docs/policy.md");
  ASSERT_FALSE(doc.empty());
  for (const KeySpec& k : all_keys()) {
    EXPECT_NE(doc.find(std::string("`") + k.name + "`"), std::string::npos)
        << k.name << " is not documented in docs/policy.md";
    if (k.env != nullptr) {
      EXPECT_NE(doc.find(k.env), std::string::npos) << k.env;
    }
  }
}

TEST(ShippedFiles, ExampleSitePolicyLoads) {
  Loader l;
  llvm::Error err = l.add_file(kRoot + "/config/policy.toml", Layer::Site);
  ASSERT_FALSE(err) << testing::error_text(std::move(err));
  auto c = std::move(l).finish();
  ASSERT_TRUE(static_cast<bool>(c)) << testing::error_text(c.takeError());
  EXPECT_EQ(c->map_find("compilers", "cc")->value, "suncc");
  EXPECT_EQ(c->map_find("compilers", "i686-linux-gcc-3.2")->value, "gcc");
  EXPECT_TRUE(c->setting("local.flags").enforced_by.has_value());
}

TEST(ShippedFiles, ExampleDaemonPolicyLoads) {
  Loader l;
  llvm::Error err = l.add_file(kRoot + "/config/ferryd.toml", Layer::Site);
  ASSERT_FALSE(err) << testing::error_text(std::move(err));
  auto c = std::move(l).finish();
  ASSERT_TRUE(static_cast<bool>(c)) << testing::error_text(c.takeError());
  EXPECT_EQ(c->get_int("daemon.jobs"), 7);
  EXPECT_EQ(c->get_int("daemon.max_request_size"), 256 << 20);
}

}  // namespace
}  // namespace ferry::config
