// The gcc-family option set alone. Its generated GccFamilyOptions.inc gives
// the shared library its option ids (options.h); every plugin's own table
// includes Common.td too, and options are matched to these ids by name.
include "llvm/Option/OptParser.td"
include "Common.td"
