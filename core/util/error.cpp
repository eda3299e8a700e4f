#include "util/error.h"

namespace ferry {

char FerryError::ID = 0;

ErrorSummary summarize(llvm::Error err) {
  ErrorSummary out{ExitCode::DistccFailed, {}};
  llvm::handleAllErrors(
      std::move(err),
      [&](const FerryError& e) {
        out.code = e.code();
        out.message = e.text();
      },
      [&](const llvm::ErrorInfoBase& e) { out.message = e.message(); });
  return out;
}

}  // namespace ferry
