#include "identify/compiler_map.h"

#include <gtest/gtest.h>

#include "util/error.h"

namespace ferry::identify {
namespace {

TEST(CompilerMap, ParsesTheEnvironmentForm) {
  auto map = parse_compiler_map(" cc = suncc ,foo=gcc,,", "FERRY_COMPILER_MAP");
  ASSERT_TRUE(static_cast<bool>(map)) << summarize(map.takeError()).message;
  EXPECT_EQ(map->lookup("cc"), "suncc");
  EXPECT_EQ(map->lookup("foo"), "gcc");
  EXPECT_EQ(map->lookup("gcc"), std::nullopt);
}

TEST(CompilerMap, EmptyTextIsAnEmptyMap) {
  auto map = parse_compiler_map("", "X");
  ASSERT_TRUE(static_cast<bool>(map));
  EXPECT_TRUE(map->empty());
}

TEST(CompilerMap, ALaterLayerOverrides) {
  auto map = parse_compiler_map("cc=gcc,cc=suncc", "X");
  ASSERT_TRUE(static_cast<bool>(map));
  EXPECT_EQ(map->lookup("cc"), "suncc");
  map->set("cc", "clang");
  EXPECT_EQ(map->lookup("cc"), "clang");
}

TEST(CompilerMap, BadItemsAreOneLineErrorsNamingTheItem) {
  for (const char* bad : {"cc", "cc=", "=suncc", "cc=sun cc", "/usr/bin/cc=suncc", "a=b=c"}) {
    auto map = parse_compiler_map(bad, "FERRY_COMPILER_MAP");
    ASSERT_FALSE(static_cast<bool>(map)) << bad;
    ErrorSummary s = summarize(map.takeError());
    EXPECT_EQ(s.code, ExitCode::BadArguments);
    EXPECT_NE(s.message.find("FERRY_COMPILER_MAP"), std::string::npos) << s.message;
    EXPECT_EQ(s.message.find('\n'), std::string::npos);
  }
}

}  // namespace
}  // namespace ferry::identify
