// ferryd's start-up: from parsed options to a running daemon or one inetd
// job. Kept out of main() so main only parses, calls and exits.
#pragma once

#include <llvm/Support/Error.h>

#include "daemon/options.h"

namespace ferry::daemon {

// Opens the log, loads every plugin, reads the environment (I/O timeout,
// TMPDIR, DISTCCD_PATH) and serves. Returns when the daemon stops (exit 0)
// or with an error carrying the exit code: BadArguments for a bad
// environment value, BindFailed, CompilerMissing when no plugin loads,
// IoError for an unusable log, pid or port file.
llvm::Error run_ferryd(DaemonOptions options);

}  // namespace ferry::daemon
