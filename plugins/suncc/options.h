// Parsing a Sun C command line with a small hand-written table.
//
// Why not LLVM Option, as the gcc plugin uses: Sun's driver spells almost
// everything as `-x<name>[=value]`, with exact names that are prefixes of each
// other (-xM, -xM1, -xMD, -xMMD, -xMF), only a handful of options that take a
// separate argument, and one (-Qoption) that takes two. A 50-row table with
// "exact", "prefix" and "separate" kinds states that directly, needs no
// tablegen step, and keeps LLVM out of this module: the plugin is a few tens
// of kilobytes and loads in a fraction of the time of an LLVM-carrying one.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace ferry::suncc {

/// What an option means for the plan. One value per row of the table.
enum class Opt {
  Input,          ///< an operand (source, object, library, ...)
  Unknown,        ///< not in the table: goes to both sides as written
  Compile,        ///< -c
  Assemble,       ///< -S
  Output,         ///< -o FILE
  Preprocess,     ///< -E, -P: preprocessing only
  DepsOnly,       ///< -xM, -xM1: dependencies only, to stdout
  DepsMD,         ///< -xMD, -xMMD: dependencies as a side effect of compiling
  DepsFile,       ///< -xMF FILE
  Cpp,            ///< -I -D -U -include -C -H: the preprocessor only
  Link,           ///< -L -l -R -h -z -B -G ...: nothing under -c
  Query,          ///< -V -# -### -xhelp= -flags: prints, not a compile
  Unsafe,         ///< -Qoption -Y* -W*: options or programs for compiler phases
  Profiling,      ///< -xprofile=, -xprofile_ircache, -xprofile_pathmap
  Pch,            ///< -xpch=, -xpchstop=: precompiled headers on this host
  ExtraOutput,    ///< -keeptmp, -xsb, -xsbfast: files besides the object
  NoObject,       ///< -xe: syntax check only
  LinkTimeOpt,    ///< -xipo, -xipo=1|2: code generation at link time
  Cpu,            ///< -xtarget= -xarch= -xchip= -xcache=: native is this host
  Native,         ///< -native, -fast: imply -xtarget=native
};

/// One option (or operand) as Sun's driver would see it.
struct ParsedArg {
  Opt opt = Opt::Unknown;
  size_t index = 0;  ///< position in argv
  size_t count = 1;  ///< argv items it spans: 2 for `-o x`, 3 for -Qoption
  std::string value; ///< the option's value ("" for a flag), or the operand
};

struct ParsedArgs {
  std::vector<ParsedArg> args;
  /// Set when an option that takes a separate value is last on the line.
  bool missing_value = false;
  size_t missing_index = 0;
};

ParsedArgs parse_suncc_args(const std::vector<std::string>& argv);

}  // namespace ferry::suncc
