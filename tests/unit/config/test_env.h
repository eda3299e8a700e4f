// A fake environment for the loader (it takes a getenv function pointer).
#pragma once

#include <map>
#include <string>

namespace ferry::config::testing {

inline std::map<std::string, std::string>& fake_env() {
  static std::map<std::string, std::string> env;
  return env;
}

inline const char* fake_getenv(const char* name) {
  auto it = fake_env().find(name);
  return it == fake_env().end() ? nullptr : it->second.c_str();
}

inline std::string error_text(llvm::Error err) {
  std::string text;
  llvm::handleAllErrors(std::move(err), [&](const llvm::ErrorInfoBase& e) { text = e.message(); });
  return text;
}

}  // namespace ferry::config::testing
