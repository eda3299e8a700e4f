// A uniquely named temporary file, removed when the object dies (unless
// kept). Created O_EXCL with mode 0600 so other users cannot read sources.
#pragma once

#include <string>

#include <llvm/Support/Error.h>

#include "util/unique_fd.h"

namespace ferry::exec {

class TempFile {
 public:
  // dir/prefixXXXXXX<suffix>. IoError naming dir when it cannot be made.
  static llvm::Expected<TempFile> create(const std::string& dir, const std::string& prefix,
                                         const std::string& suffix);
  TempFile(TempFile&& other) noexcept;
  TempFile& operator=(TempFile&&) = delete;
  TempFile(const TempFile&) = delete;
  ~TempFile();

  const std::string& path() const { return m_path; }
  int fd() const { return m_fd.get(); }
  void close() { m_fd.reset(); }
  // Reads the whole file back.
  llvm::Expected<std::string> read_all() const;

 private:
  TempFile(std::string path, UniqueFd fd) : m_path(std::move(path)), m_fd(std::move(fd)) {}
  std::string m_path;
  UniqueFd m_fd;
};

// $TMPDIR, else /tmp.
std::string temp_dir();

}  // namespace ferry::exec
