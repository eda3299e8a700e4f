// Options.td expanded into the table the shared parser reads.
#include "options.h"

namespace ferry::icc {

#define FERRY_OPTIONS_INC "IccOptions.inc"
#include "gcc-family/table_impl.inc"
#undef FERRY_OPTIONS_INC

const gcc_family::OptionTable& option_table() { return k_own_table; }

}  // namespace ferry::icc
