// The small files a daemon leaves for scripts: its pid and its port.
#pragma once

#include <string>

#include <llvm/Support/Error.h>

namespace ferry::daemon {

// Writes text to path through a temporary file and rename(), so a reader
// polling for the file never sees it half written. IoError naming the file.
llvm::Error write_file_atomically(const std::string& path, const std::string& text);

// "path" made absolute against the current directory (the daemon later
// changes to "/"); empty stays empty.
std::string absolute_path(const std::string& path);

}  // namespace ferry::daemon
