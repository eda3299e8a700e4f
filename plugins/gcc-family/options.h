// Parsing a gcc-family command line with a plugin's option table.
//
// Every plugin's table is the family set (Common.td) plus the plugin's own
// options, so its generated ids differ from plugin to plugin. The shared
// code speaks the FAMILY ids below (from Family.td's GccFamilyOptions.inc);
// a parsed argument carries both its family id and the plugin's own id, and
// a plugin-only option has the family id OPT_UNKNOWN (with its group still
// mapped, so a plugin option in grp_profiling is treated as profiling).
// The mapping is by the option's record name, computed at compile time
// (table_impl.inc), so nothing runs at start-up.
//
// This header is free of LLVM types: the OptTable boilerplate lives in
// options.cpp and table_impl.inc alone, so an LLVM upgrade (16:
// GenericOptTable, 20: string tables, ...) touches those files. The option
// id is the third macro argument in every LLVM version so far, so the enum
// below survives upgrades unchanged.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

namespace ferry::gcc_family {

enum OptId : unsigned {
  OPT_INVALID = 0,
#define OPTION(PREFIX, NAME, ID, ...) OPT_##ID,
#include "GccFamilyOptions.inc"
#undef OPTION
};

/// A plugin's option table (table.h; defined with table_impl.inc).
struct OptionTable;

/// One option (or input) as the gcc driver would see it.
struct ParsedArg {
  OptId id = OPT_INVALID;     ///< aliases resolved: `--output x` is OPT_o
  OptId group = OPT_INVALID;  ///< the option's plan class (grp_*), if any
  unsigned own_id = 0;        ///< the id in the plugin's own table
  bool aliased = false;       ///< spelt as an alias (`--output`, `--compile`)
  size_t index = 0;           ///< position of the option in argv
  size_t count = 1;           ///< argv items it spans: 2 for `-o x`, 1 for `-ox`
  std::vector<std::string> values;

  /// The first value, or "" for a flag.
  const std::string& value() const;
};

struct ParsedArgs {
  /// Every argv item belongs to exactly one ParsedArg, in argv order.
  std::vector<ParsedArg> args;
  /// Set when the option at this argv index lacks its value (`-c x.c -o`).
  std::optional<size_t> missing_value_index;
};

/// Parses argv (the arguments after the compiler name, @files already
/// expanded) with `table`. Unknown options become OPT_UNKNOWN, operands
/// OPT_INPUT. An empty argument is an OPT_INPUT with an empty value, as gcc
/// sees it.
ParsedArgs parse_args(const OptionTable& table, const std::vector<std::string>& argv);

/// The family set alone (Family.td): the gcc plugin's table.
const OptionTable& family_table();

}  // namespace ferry::gcc_family
