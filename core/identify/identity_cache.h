// The probe's answers, cached in the state directory.
//
// ferry starts thousands of times per build, so a cached lookup must cost
// one stat() of the compiler (which the PATH search did already) and one
// small read: each compiler has its own file, named by a hash of its path,
// holding one line with the key and the answer. The key is the compiler's
// path, size, mtime (ns) and inode, read through symlinks, so an upgraded
// compiler or a switched /etc/alternatives link is probed again.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include <llvm/Support/Error.h>

#include "identify/probe.h"

namespace ferry::identify {

struct FileKey {
  std::string path;  ///< absolute, as found on PATH (not resolved further)
  uint64_t size = 0;
  int64_t mtime_ns = 0;
  uint64_t inode = 0;
};

/// $FERRY_DIR/compilers, else $HOME/.ferry/compilers; empty if neither is set.
std::string default_cache_dir();

/// 16 hex digits (FNV-1a, 64 bits) naming a text stably across processes:
/// cache files here, the client's identity refusal files.
std::string stable_hash(const std::string& text);

/// The file holding one compiler's entry.
std::string cache_file(const std::string& cache_dir, const std::string& compiler_path);

/// The cached identity, if the entry exists and its key matches exactly.
std::optional<Identity> read_cached(const std::string& cache_dir, const FileKey& key);

/// Writes the entry atomically (temporary file + rename); creates the
/// directory. IoError naming the path on failure.
llvm::Error write_cached(const std::string& cache_dir, const FileKey& key, const Identity& id);

}  // namespace ferry::identify
