#include "identify/identity_cache.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>

namespace ferry::identify {
namespace {

class IdentityCache : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl = std::filesystem::temp_directory_path().string() + "/idcache.XXXXXX";
    ASSERT_NE(::mkdtemp(tmpl.data()), nullptr);
    m_root = tmpl;
  }
  void TearDown() override { std::filesystem::remove_all(m_root); }
  std::string m_root;
};

TEST_F(IdentityCache, RoundTripsAndCreatesTheDirectory) {
  std::string dir = m_root + "/ferry/compilers";
  FileKey key{"/usr/bin/cc", 1234, 1700000000123456789, 42};
  Identity id{"suncc", "__SUNPRO_C", "0x5150", "x86_64-linux-gnu"};
  ASSERT_FALSE(static_cast<bool>(write_cached(dir, key, id)));
  auto back = read_cached(dir, key);
  ASSERT_TRUE(back);
  EXPECT_EQ(back->plugin, "suncc");
  EXPECT_EQ(back->macro, "__SUNPRO_C");
  EXPECT_EQ(back->version, "0x5150");
  EXPECT_EQ(back->triple, "x86_64-linux-gnu");
}

TEST_F(IdentityCache, AnyChangeOfTheKeyIsAMiss) {
  std::string dir = m_root + "/c";
  FileKey key{"/usr/bin/cc", 1234, 99, 42};
  ASSERT_FALSE(static_cast<bool>(write_cached(dir, key, {"gcc", "__GNUC__", "12.2.0", "t"})));
  for (FileKey other : {FileKey{"/usr/bin/cc", 1235, 99, 42}, FileKey{"/usr/bin/cc", 1234, 100, 42},
                        FileKey{"/usr/bin/cc", 1234, 99, 43}, FileKey{"/usr/local/bin/cc", 1234, 99, 42}}) {
    EXPECT_FALSE(read_cached(dir, other)) << other.path << " " << other.size;
  }
}

TEST_F(IdentityCache, AnUnknownCompilerIsCachedToo) {
  std::string dir = m_root + "/c";
  FileKey key{"/opt/wrap/mycc", 1, 2, 3};
  ASSERT_FALSE(static_cast<bool>(write_cached(dir, key, {"", "", "", "x86_64-linux-gnu"})));
  auto back = read_cached(dir, key);
  ASSERT_TRUE(back);
  EXPECT_TRUE(back->plugin.empty());
}

TEST_F(IdentityCache, GarbageIsAMissNotAnError) {
  std::string dir = m_root + "/c";
  FileKey key{"/usr/bin/cc", 1, 2, 3};
  ASSERT_FALSE(static_cast<bool>(write_cached(dir, key, {"gcc", "m", "v", "t"})));
  std::ofstream(cache_file(dir, key.path)) << "ferry-id\t1\tnot numbers";
  EXPECT_FALSE(read_cached(dir, key));
  EXPECT_FALSE(read_cached("", key));
}

}  // namespace
}  // namespace ferry::identify
