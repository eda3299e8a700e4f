// Error inspection for the net tests.
#pragma once

#include <string>

#include <gtest/gtest.h>

#include "util/error.h"

namespace ferry::net::test {

template <class T>
ErrorSummary failure_of(llvm::Expected<T> value) {
  if (value) {
    ADD_FAILURE() << "expected an error, got a value";
    return {ExitCode::Ok, ""};
  }
  return summarize(value.takeError());
}

inline ErrorSummary failure_of(llvm::Error err) {
  if (!err) {
    ADD_FAILURE() << "expected an error, got success";
    return {ExitCode::Ok, ""};
  }
  return summarize(std::move(err));
}

// "" on success, else the error's message.
inline std::string error_text(llvm::Error err) {
  if (!err) {
    return "";
  }
  return summarize(std::move(err)).message;
}

}  // namespace ferry::net::test
