// The icc plugin's own option ids (from IccOptions.inc), for its hooks.
// The shared planner speaks the family ids (gcc-family/options.h).
#pragma once

#include "gcc-family/table.h"

namespace ferry::icc {

enum OwnId : unsigned {
  OWN_INVALID = 0,
#define OPTION(PREFIX, NAME, ID, ...) OWN_##ID,
#include "IccOptions.inc"
#undef OPTION
};

/// Options.td as a gcc_family::OptionTable.
const gcc_family::OptionTable& option_table();

}  // namespace ferry::icc
