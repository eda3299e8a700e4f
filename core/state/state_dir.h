// The client's state directory ($FERRY_DIR, default ~/.ferry), shared by all
// ferry processes of a user: slot locks and backoff marks under lock/, one
// file per running job under state/ (for `ferry --monitor`).
#pragma once

#include <string>

#include <llvm/Support/Error.h>

namespace ferry::state {

struct StateDir {
  std::string root;
  std::string lock_dir() const { return root + "/lock"; }
  std::string job_dir() const { return root + "/state"; }
};

// $FERRY_DIR if set and non-empty, else $HOME/.ferry; empty when neither
// can be known. Reads the environment only.
std::string default_state_root();

// Creates root, lock/ and state/ (mode 0777 minus umask, like distcc's).
// IoError naming the directory that could not be made.
llvm::Expected<StateDir> open_state_dir(const std::string& root);

}  // namespace ferry::state
