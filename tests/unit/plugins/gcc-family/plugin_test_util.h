// Calling a plugin through its C ABI, as the core does after dlopen, and
// reading the answers back as the core does (ferry/plugin.hpp's from_abi).
// Shared by the gcc-family plugins' tests (gcc_test_util.h, clang_test_util.h, icc_test_util.h bind it to one
// plugin table).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "ferry/plugin.h"
#include "ferry/plugin.hpp"

namespace ferry::plugin_test {

/// A plan as the core reads it (ferry::abi::from_abi), and whether plan()
/// returned one at all.
struct PlanOut : abi::Plan {
  bool ok = false;  // plan() returned 0

  bool distributed() const { return ok && distribute; }
  /// The tag of the first analysed argument equal to `text`.
  uint8_t tag_of(const std::string& text) const {
    for (size_t i = 0; i < args.size(); ++i) {
      if (args[i] == text) {
        return tags[i];
      }
    }
    return 0xff;
  }
};

struct JobOut : abi::ServerJob {
  bool ok = false;  // server_check() returned 0 (accepted stays false otherwise)
};

inline PlanOut plan(const ferry_plugin* t, const std::vector<std::string>& args,
                    const std::string& compiler, const char* strategy = nullptr,
                    const std::string& cwd = "/nonexistent") {
  std::vector<const char*> items;
  for (const auto& a : args) {
    items.push_back(a.c_str());
  }
  ferry_plan_request req{};
  req.struct_size = sizeof(req);
  req.compiler = compiler.c_str();
  req.args = {items.data(), items.size()};
  req.cwd = cwd.c_str();
  req.strategy = strategy;
  ferry_plan* p = nullptr;
  PlanOut out;
  out.ok = t->plan(&req, &p) == 0 && p != nullptr;
  if (!out.ok) {
    return out;
  }
  static_cast<abi::Plan&>(out) = abi::from_abi(*p);
  t->free_plan(p);
  return out;
}

inline JobOut check(const ferry_plugin* t, const std::vector<std::string>& argv,
                    const std::string& job_dir = "/jobs/1") {
  std::vector<const char*> items;
  for (const auto& a : argv) {
    items.push_back(a.c_str());
  }
  ferry_server_request req{};
  req.struct_size = sizeof(req);
  req.argv = {items.data(), items.size()};
  req.job_dir = job_dir.c_str();
  ferry_server_job* j = nullptr;
  JobOut out;
  out.ok = t->server_check(&req, &j) == 0 && j != nullptr;
  if (!out.ok) {
    return out;
  }
  static_cast<abi::ServerJob&>(out) = abi::from_abi(*j);
  t->free_server_job(j);
  return out;
}

using Args = std::vector<std::string>;

}  // namespace ferry::plugin_test
