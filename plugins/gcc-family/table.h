// A plugin's option table as the shared parser needs it. Only options.cpp
// and the files that include table_impl.inc see this (it names LLVM types).
#pragma once

#include <llvm/Option/OptTable.h>
#include <llvm/Option/Option.h>

#include <span>

#include "options.h"

namespace ferry::gcc_family {

struct OptionTable {
  /// LLVM's rows, generated from the plugin's Options.td.
  std::span<const llvm::opt::OptTable::Info> info;
  /// For each of the plugin's own ids, the family id of the same name
  /// (OPT_UNKNOWN for a plugin-only option).
  std::span<const OptId> family_ids;
};

/// The family id whose record name is `name` ("o", "MD", "grp_cpp"), or
/// OPT_UNKNOWN. constexpr: evaluated when a plugin is compiled.
constexpr OptId family_id(std::string_view name) {
  constexpr std::string_view k_names[] = {
      "INVALID",
#define OPTION(PREFIX, NAME, ID, ...) #ID,
#include "GccFamilyOptions.inc"
#undef OPTION
  };
  for (size_t i = 0; i < std::size(k_names); ++i) {
    if (k_names[i] == name) {
      return static_cast<OptId>(i);
    }
  }
  return OPT_UNKNOWN;
}

}  // namespace ferry::gcc_family
