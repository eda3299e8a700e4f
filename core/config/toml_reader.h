// The one place toml++ is used: TOML text -> RawValue tree with positions.
#pragma once

#include <string>
#include <string_view>

#include <llvm/Support/Error.h>

#include "config/raw_value.h"

namespace ferry::config {

// The document's root table. BadArguments "NAME:LINE:COLUMN: what" when the
// text is not TOML.
llvm::Expected<RawValue> read_toml(std::string_view text, const std::string& name);

}  // namespace ferry::config
