// The icc plugin through its C ABI (gcc-family/plugin_test_util.h).
#pragma once

#include "abi.h"
#include "gcc-family/plugin_test_util.h"

namespace ferry::icc::test {

using plugin_test::Args;
using plugin_test::JobOut;
using plugin_test::PlanOut;

inline PlanOut plan(const Args& args, const std::string& compiler = "icc",
                    const char* strategy = nullptr, const std::string& cwd = "/work") {
  return plugin_test::plan(plugin_table(), args, compiler, strategy, cwd);
}

inline JobOut check(const Args& argv, const std::string& job_dir = "/jobs/1") {
  return plugin_test::check(plugin_table(), argv, job_dir);
}

}  // namespace ferry::icc::test
