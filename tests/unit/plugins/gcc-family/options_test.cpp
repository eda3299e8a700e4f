// The family option ids and the shared parser.
#include <gtest/gtest.h>

#include "gcc-family/options.h"
#include "gcc-family/table.h"

namespace ferry::gcc_family {
namespace {

// Evaluated by the compiler: a plugin's table maps onto the family ids by
// record name, with no code at start-up.
static_assert(family_id("o") == OPT_o);
static_assert(family_id("grp_cpp") == OPT_grp_cpp);
static_assert(family_id("INPUT") == OPT_INPUT);
static_assert(family_id("not_a_family_option") == OPT_UNKNOWN);

TEST(GccFamilyOptions, FamilyTableMapsOntoItself) {
  const OptionTable& t = family_table();
  ASSERT_FALSE(t.info.empty());
  for (const auto& row : t.info) {
    EXPECT_EQ(static_cast<unsigned>(t.family_ids[row.ID]), row.ID) << row.Name;
  }
}

TEST(GccFamilyOptions, ParsesSpansAliasesAndGroups) {
  ParsedArgs p = parse_args(family_table(), {"-Iinc", "--output", "x.o", "-c", "", "a.c"});
  ASSERT_EQ(p.args.size(), 5u);
  EXPECT_EQ(p.args[0].id, OPT_I);
  EXPECT_EQ(p.args[0].group, OPT_grp_cpp);
  EXPECT_EQ(p.args[1].id, OPT_o);
  EXPECT_TRUE(p.args[1].aliased);
  EXPECT_EQ(p.args[1].count, 2u);
  EXPECT_EQ(p.args[1].value(), "x.o");
  EXPECT_EQ(p.args[3].id, OPT_INPUT);  // the empty argument, as gcc sees it
  EXPECT_EQ(p.args[3].value(), "");
  EXPECT_EQ(p.args[4].id, OPT_INPUT);
  EXPECT_FALSE(p.missing_value_index);
  EXPECT_EQ(parse_args(family_table(), {"-c", "a.c", "-o"}).missing_value_index, 2u);
}

}  // namespace
}  // namespace ferry::gcc_family
