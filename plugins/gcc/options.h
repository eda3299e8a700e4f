// Parsing a gcc command line with the plugin's option table (Options.td).
//
// This header is free of LLVM types: the OptTable boilerplate lives in
// options.cpp alone, so an LLVM upgrade (16: GenericOptTable, 20: string
// tables, ...) touches that one file. The OPT_* ids come from the generated
// GccOptions.inc; the option id is the third macro argument in every LLVM
// version so far, so the enum below survives upgrades unchanged.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

namespace ferry::gcc {

enum OptId : unsigned {
  OPT_INVALID = 0,
#define OPTION(PREFIX, NAME, ID, ...) OPT_##ID,
#include "GccOptions.inc"
#undef OPTION
};

/// One option (or input) as the gcc driver would see it.
struct ParsedArg {
  OptId id = OPT_INVALID;     ///< aliases resolved: `--output x` is OPT_o
  OptId group = OPT_INVALID;  ///< the option's plan class (grp_*), if any
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
/// expanded). Unknown options become OPT_UNKNOWN, operands OPT_INPUT. An
/// empty argument is an OPT_INPUT with an empty value, as gcc sees it.
ParsedArgs parse_gcc_args(const std::vector<std::string>& argv);

}  // namespace ferry::gcc
