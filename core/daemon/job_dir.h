// A job's private directory: mkdtemp("$TMPDIR/ferryd_XXXXXX"), mode 0700,
// removed with everything in it when the JobDir goes away, on every path.
#pragma once

#include <string>

#include <llvm/Support/Error.h>

namespace ferry::daemon {

class JobDir {
 public:
  JobDir() = default;
  ~JobDir();
  JobDir(JobDir&& other) noexcept;
  JobDir& operator=(JobDir&& other) noexcept;
  JobDir(const JobDir&) = delete;
  JobDir& operator=(const JobDir&) = delete;

  // tmpdir must be an existing directory; it is made absolute. IoError on
  // failure.
  static llvm::Expected<JobDir> create(const std::string& tmpdir);

  const std::string& path() const { return m_path; }
  // True when `p` is strictly inside this directory and has no "." or ".."
  // component, so a plugin cannot point us outside it.
  bool contains(const std::string& p) const;
  // Removes the tree now (the destructor then does nothing).
  void remove();

 private:
  explicit JobDir(std::string path) : m_path(std::move(path)) {}
  std::string m_path;
};

// $TMPDIR, or /tmp when unset or empty.
std::string temp_root();

// Removes a directory tree without following symlinks, making directories
// writable first so a compiler's read-only leftovers cannot keep it alive.
// Returns false if something could not be removed.
bool remove_tree(const std::string& path);

}  // namespace ferry::daemon
