// The module's one exported symbol. It lives here, not in the static
// library, because the module hides every symbol that comes from an archive
// (-Wl,--exclude-libs,ALL).
#include "abi.h"

extern "C" FERRY_PLUGIN_EXPORT const ferry_plugin* ferry_plugin_entry(void) {
  return ferry::suncc::plugin_table();
}
