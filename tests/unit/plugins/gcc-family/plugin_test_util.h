// Calling a plugin through its C ABI, as the core does after dlopen, and
// reading the answers back as C++ values. Shared by the gcc-family plugins'
// tests (gcc_test_util.h, clang_test_util.h, icc_test_util.h bind it to one
// plugin table).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "ferry/plugin.h"

namespace ferry::plugin_test {

struct PlanOut {
  bool ok = false;  // plan() returned 0
  ferry_verdict verdict = FERRY_VERDICT_LOCAL;
  ferry_reason reason = FERRY_REASON_NONE;
  std::string reason_text;
  std::string language;
  std::string input;
  std::string object;
  std::optional<std::string> dep_file;
  std::string preprocessed_ext;
  bool input_is_preprocessed = false;
  std::vector<std::string> cpp_argv;
  std::vector<std::string> remote_argv;
  std::vector<std::string> local_argv;
  std::vector<std::string> args;
  std::vector<uint8_t> tags;

  bool distributed() const { return ok && verdict == FERRY_VERDICT_DISTRIBUTE; }
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

struct JobOut {
  bool ok = false;
  ferry_verdict verdict = FERRY_VERDICT_LOCAL;
  ferry_reason reason = FERRY_REASON_NONE;
  std::string reason_text;
  std::string input_path;
  std::string object_path;
  std::vector<std::string> exec_argv;

  bool accepted() const { return ok && verdict == FERRY_VERDICT_DISTRIBUTE; }
};

inline std::string str(const char* s) { return s != nullptr ? s : ""; }

inline std::vector<std::string> strv(ferry_strv v) {
  std::vector<std::string> out;
  for (size_t i = 0; i < v.count; ++i) {
    out.push_back(str(v.items[i]));
  }
  return out;
}

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
  out.verdict = static_cast<ferry_verdict>(p->verdict);
  out.reason = static_cast<ferry_reason>(p->reason);
  out.reason_text = str(p->reason_text);
  out.language = str(p->language);
  out.input = str(p->input);
  out.object = str(p->object);
  if (p->dep_file != nullptr) {
    out.dep_file = p->dep_file;
  }
  out.preprocessed_ext = str(p->preprocessed_ext);
  out.input_is_preprocessed = p->input_is_preprocessed != 0;
  out.cpp_argv = strv(p->cpp_argv);
  out.remote_argv = strv(p->remote_argv);
  out.local_argv = strv(p->local_argv);
  out.args = strv(p->args);
  if (p->arg_tags != nullptr) {
    out.tags.assign(p->arg_tags, p->arg_tags + p->args.count);
  }
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
  out.verdict = static_cast<ferry_verdict>(j->verdict);
  out.reason = static_cast<ferry_reason>(j->reason);
  out.reason_text = str(j->reason_text);
  out.input_path = str(j->input_path);
  out.object_path = str(j->object_path);
  out.exec_argv = strv(j->exec_argv);
  t->free_server_job(j);
  return out;
}

using Args = std::vector<std::string>;

}  // namespace ferry::plugin_test
