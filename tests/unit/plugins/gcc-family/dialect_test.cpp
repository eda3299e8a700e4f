// The Dialect hooks of the shared planner and daemon check, with a made-up
// dialect on the family table (the real ones are tested in their plugins).
#include <gtest/gtest.h>

#include <array>

#include "gcc-family/abi.h"
#include "gcc-family/dialect.h"
#include "gcc-family/plugin_test_util.h"

namespace ferry::gcc_family {
namespace {

using plugin_test::Args;
using plugin_test::PlanOut;

// -Wshadow stays local, -O3 is compile-only, "-xAVX" is a code-generation
// flag; "mycc" compiles everything as C++.
void refine(ParsedArgs& parsed) {
  for (ParsedArg& a : parsed.args) {
    if (a.id == OPT_x && a.count == 1 && a.value() == "AVX") {
      a.id = OPT_UNKNOWN;
    }
  }
}
std::optional<uint8_t> arg_tags(const ParsedArg& a) {
  if (a.id == OPT_UNKNOWN && a.value() == "-O3") {  // an unknown option's value is its spelling
    return uint8_t{FERRY_ARG_REMOTE};
  }
  return std::nullopt;
}
std::optional<Local> arg_reason(const ParsedArg& a, const std::string& text) {
  if (text == "-Wshadow") {
    return Local{FERRY_REASON_UNSUPPORTED, text + ": made-up rule"};
  }
  return std::nullopt;
}
std::optional<Local> server_refusal(const ParsedArg& a, const std::string& text) {
  if (text == "-Wshadow") {
    return Local{FERRY_REASON_UNSAFE_OPTION, text + ": made-up rule"};
  }
  return std::nullopt;
}
bool cxx_driver(std::string_view base) { return base == "mycc"; }
void add_remote_args(std::vector<std::string>& remote, const RemoteContext& c) {
  remote.push_back("--cwd=" + c.cwd);
}

constexpr std::array<const char*, 1> k_claims = {"mycc*"};
constexpr std::array<const char*, 1> k_rewrite = {"-frewrite-includes"};
constexpr std::array<Strategy, 2> k_strategies = {{
    {.name = "first", .cpp_args = {}, .remote_args = {}},
    {.name = "second",
     .cpp_args = k_rewrite,
     .remote_args = {},
     .remote_names_language = true,
     .macros_remote = true},
}};

constexpr Dialect k_dialect{
    .name = "made-up",
    .description = "a test dialect",
    .claims = k_claims,
    .table = family_table,
    .strategies = k_strategies,
    .refine = refine,
    .arg_tags = arg_tags,
    .arg_reason = arg_reason,
    .cxx_driver = cxx_driver,
    .add_remote_args = add_remote_args,
    .server_refusal = server_refusal,
};

const ferry_plugin* table() { return plugin_table<k_dialect>(); }

TEST(GccFamilyDialect, ClaimsByItsGlobs) {
  EXPECT_EQ(table()->claims("mycc-2"), 1);
  EXPECT_EQ(table()->claims("gcc"), 0);
  EXPECT_STREQ(table()->name, "made-up");
}

TEST(GccFamilyDialect, HooksShapeThePlan) {
  PlanOut p =
      plugin_test::plan(table(), {"-xAVX", "-O3", "-DM=1", "-c", "a.c"}, "mycc", nullptr, "/w");
  ASSERT_TRUE(p.distributed()) << p.reason_text;
  EXPECT_EQ(p.language, "c++");  // cxx_driver
  EXPECT_EQ(p.cpp_argv, (Args{"mycc", "-xAVX", "-DM=1", "a.c", "-E"}));
  EXPECT_EQ(p.remote_argv,
            (Args{"mycc", "-xAVX", "-O3", "-c", "a.ii", "-o", "a.o", "--cwd=/w"}));
  EXPECT_EQ(p.tag_of("-O3"), FERRY_ARG_REMOTE);

  PlanOut local = plugin_test::plan(table(), {"-Wshadow", "-c", "a.c"}, "mycc");
  EXPECT_FALSE(local.distribute);
  EXPECT_EQ(local.reason_text, "-Wshadow: made-up rule");
}

TEST(GccFamilyDialect, StrategiesChangeBothCommands) {
  PlanOut p = plugin_test::plan(table(), {"-DM=1", "-c", "a.c"}, "mycc", "second", "/w");
  ASSERT_TRUE(p.distributed()) << p.reason_text;
  EXPECT_EQ(p.cpp_argv, (Args{"mycc", "-DM=1", "a.c", "-E", "-frewrite-includes"}));
  EXPECT_EQ(p.remote_argv,
            (Args{"mycc", "-x", "c++", "-DM=1", "-c", "a.ii", "-o", "a.o", "--cwd=/w"}));
  PlanOut bad = plugin_test::plan(table(), {"-c", "a.c"}, "mycc", "third");
  EXPECT_FALSE(bad.distribute);
  EXPECT_NE(bad.reason_text.find("(known: first, second)"), std::string::npos) << bad.reason_text;
}

TEST(GccFamilyDialect, ServerRefusalComesFirst) {
  plugin_test::JobOut j =
      plugin_test::check(table(), {"mycc", "-Wshadow", "-c", "a.ii", "-o", "a.o"});
  ASSERT_TRUE(j.ok);
  EXPECT_FALSE(j.accepted);
  EXPECT_EQ(j.reason, FERRY_REASON_UNSAFE_OPTION);
  EXPECT_TRUE(plugin_test::check(table(), {"mycc", "-xAVX", "-c", "a.ii", "-o", "a.o"}).accepted);
}

}  // namespace
}  // namespace ferry::gcc_family
