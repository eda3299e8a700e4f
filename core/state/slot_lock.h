// One slot: an exclusive flock() on a lock file, released when the object
// dies or the process exits (the kernel drops it then, so a killed client
// never leaks a slot). Lock files are never deleted: deleting one that
// another process has just opened would let two jobs share a slot.
#pragma once

#include <optional>
#include <string>

#include <llvm/Support/Error.h>

#include "util/unique_fd.h"

namespace ferry::state {

class SlotLock {
 public:
  SlotLock() = default;
  explicit SlotLock(UniqueFd fd) : m_fd(std::move(fd)) {}
  bool held() const { return m_fd.valid(); }
  void release() { m_fd.reset(); }
  // Keeps the lock across exec(): the compiler that replaces us holds the
  // slot until it exits.
  void keep_across_exec() const;

 private:
  UniqueFd m_fd;
};

// Opens (creating) path and tries a non-blocking exclusive lock on it.
// nullopt when another process holds it; IoError when the file cannot be
// opened.
llvm::Expected<std::optional<SlotLock>> try_lock_file(const std::string& path);

// Opens (creating) a lock file without locking it, close-on-exec.
llvm::Expected<UniqueFd> open_lock_file(const std::string& path);

// A non-blocking exclusive flock on an open lock file. True when taken.
bool try_flock(int fd);

}  // namespace ferry::state
