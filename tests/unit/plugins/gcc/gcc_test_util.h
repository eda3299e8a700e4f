// Calling the gcc plugin through its C ABI, as the core does, and reading the
// answers back as C++ values (gcc-family/plugin_test_util.h, bound to gcc).
#pragma once

#include "abi.h"
#include "gcc-family/plugin_test_util.h"

namespace ferry::gcc::test {

using plugin_test::Args;
using plugin_test::JobOut;
using plugin_test::PlanOut;

inline PlanOut plan(const std::vector<std::string>& args, const std::string& compiler = "gcc",
                    const char* strategy = nullptr, const std::string& cwd = "/nonexistent") {
  return plugin_test::plan(plugin_table(), args, compiler, strategy, cwd);
}

inline JobOut check(const std::vector<std::string>& argv, const std::string& job_dir = "/jobs/1") {
  return plugin_test::check(plugin_table(), argv, job_dir);
}

}  // namespace ferry::gcc::test
