// The suncc plugin's ferry_plugin table (plain C ABI, see ferry/plugin.h).
#pragma once

#include "ferry/plugin.h"

namespace ferry::suncc {

/// Unit tests call through it exactly as the core does after dlopen.
const ferry_plugin* plugin_table();

}  // namespace ferry::suncc
