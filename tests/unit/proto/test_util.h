// Helpers shared by the proto tests: capture files and error inspection.
#pragma once

#include <fstream>
#include <sstream>
#include <string>

#include <gtest/gtest.h>

#include "util/error.h"

namespace ferry::proto::test {

inline std::string read_capture(const std::string& name) {
  std::string path =
      std::string(FERRY_CAPTURE_DIR) + "/" + name;
  std::ifstream in(path, std::ios::binary);
  EXPECT_TRUE(in.good()) << "cannot open " << path;
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

// The exit code and message of a failed Expected; fails the test when it
// did not fail.
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

// "" on success, else the error's message: EXPECT_EQ(error_text(e), "").
inline std::string error_text(llvm::Error err) {
  if (!err) {
    return "";
  }
  return summarize(std::move(err)).message;
}

// Unwraps an Expected, failing the test with the error's text.
template <class T>
T value_of(llvm::Expected<T> value) {
  if (!value) {
    ADD_FAILURE() << "unexpected error: "
                  << summarize(value.takeError()).message;
    return T();
  }
  return std::move(*value);
}

}  // namespace ferry::proto::test
