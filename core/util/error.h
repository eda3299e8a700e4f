// Errors as values: an llvm::Error carrying the distcc-style exit code that
// describes it, so the layer that finally gives up can exit with the right
// code and a one-line message.
#pragma once

#include <string>

#include <llvm/Support/Error.h>

#include "util/exit_codes.h"

namespace ferry {

class FerryError : public llvm::ErrorInfo<FerryError> {
 public:
  static char ID;
  FerryError(ExitCode code, std::string message)
      : m_code(code), m_message(std::move(message)) {}
  void log(llvm::raw_ostream& os) const override { os << m_message; }
  std::error_code convertToErrorCode() const override {
    return llvm::inconvertibleErrorCode();
  }
  ExitCode code() const { return m_code; }
  const std::string& text() const { return m_message; }

 private:
  ExitCode m_code;
  std::string m_message;
};

inline llvm::Error make_error(ExitCode code, std::string message) {
  return llvm::make_error<FerryError>(code, std::move(message));
}

// The exit code of an error (DistccFailed when it is not a FerryError) and
// its one-line text. Consumes the error.
struct ErrorSummary {
  ExitCode code;
  std::string message;
};
ErrorSummary summarize(llvm::Error err);

}  // namespace ferry
