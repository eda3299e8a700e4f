// Writing a received output (object file) the way a compiler would, but
// atomically: a temp file beside the target, then rename, so a failure (full
// disk, killed client) never leaves a truncated object that make would trust.
// Outputs that are not regular files (/dev/null) are written in place.
#pragma once

#include <string>
#include <string_view>

#include <llvm/Support/Error.h>

namespace ferry::client {

// The new file gets mode 0666 minus the umask, as the compiler's would.
// IoError naming the path; the previous file is left untouched on failure.
llvm::Error write_output(const std::string& path, std::string_view data);

}  // namespace ferry::client
