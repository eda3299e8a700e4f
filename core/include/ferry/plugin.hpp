/*
 * ferry/plugin.hpp — the plugin ABI's answers as C++ values (header only).
 *
 * ferry/plugin.h is plain C so that any language can implement a plugin.
 * C++ code on either side of it wants the same two structures as values:
 * the core copies a plugin's answer before freeing it (nothing may outlive
 * the plugin's memory), a C++ plugin builds its answer as values before
 * marshalling it (the plugin SDK, <ferry/sdk/abi.h>, does that part), and
 * tests read answers back. This header is that one definition, so the value
 * types cannot drift from the C structures or from each other.
 *
 * It is header only and needs nothing but the C++ standard library: the
 * core may include it (it never includes plugin code), and an out-of-tree
 * plugin gets it with <ferry/plugin.h> from the same install.
 */
#ifndef FERRY_PLUGIN_HPP
#define FERRY_PLUGIN_HPP

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "ferry/plugin.h"

namespace ferry::abi {

/// ferry_plan as values. args and tags have the same length (from_abi
/// fills 0, "dropped", where a plugin gave no tags).
struct Plan {
  bool distribute = false;  ///< verdict == FERRY_VERDICT_DISTRIBUTE
  ferry_reason reason = FERRY_REASON_NONE;
  std::string reason_text;  ///< empty = none
  std::string language;
  std::string input;
  std::string object;
  std::optional<std::string> dep_file;
  std::string preprocessed_ext;
  bool input_is_preprocessed = false;
  std::vector<std::string> cpp_argv;
  std::vector<std::string> remote_argv;
  std::vector<std::string> local_argv;
  std::vector<std::string> args;  ///< the analysed arguments (after @file expansion)
  std::vector<uint8_t> tags;      ///< FERRY_ARG_* bits per item of args
};

/// ferry_server_job as values.
struct ServerJob {
  bool accepted = false;  ///< verdict == FERRY_VERDICT_DISTRIBUTE
  ferry_reason reason = FERRY_REASON_NONE;
  std::string reason_text;
  std::string input_path;
  std::string object_path;
  std::vector<std::string> exec_argv;
};

inline std::string to_string(const char* s) { return s != nullptr ? std::string(s) : std::string(); }

/// A NULL item reads as "": what a plugin hands over is not trusted to be
/// well formed.
inline std::vector<std::string> to_vector(ferry_strv v) {
  std::vector<std::string> out;
  if (v.items == nullptr) {
    return out;
  }
  out.reserve(v.count);
  for (size_t i = 0; i < v.count; ++i) {
    out.push_back(to_string(v.items[i]));
  }
  return out;
}

/// A reason outside the closed list (a newer or broken plugin) counts as
/// "unsupported", so the core's counters stay within FERRY_REASON_COUNT.
inline ferry_reason to_reason(uint32_t r) {
  return r < FERRY_REASON_COUNT ? static_cast<ferry_reason>(r) : FERRY_REASON_UNSUPPORTED;
}

/// The verdict, reason and text both answers carry.
template <typename CAnswer>
void read_verdict(const CAnswer& c, bool& yes, ferry_reason& reason, std::string& text) {
  yes = c.verdict == FERRY_VERDICT_DISTRIBUTE;
  reason = to_reason(c.reason);
  text = to_string(c.reason_text);
}

inline Plan from_abi(const ferry_plan& p) {
  Plan out;
  read_verdict(p, out.distribute, out.reason, out.reason_text);
  out.language = to_string(p.language);
  out.input = to_string(p.input);
  out.object = to_string(p.object);
  if (p.dep_file != nullptr) {
    out.dep_file = std::string(p.dep_file);
  }
  out.preprocessed_ext = to_string(p.preprocessed_ext);
  out.input_is_preprocessed = p.input_is_preprocessed != 0;
  out.cpp_argv = to_vector(p.cpp_argv);
  out.remote_argv = to_vector(p.remote_argv);
  out.local_argv = to_vector(p.local_argv);
  out.args = to_vector(p.args);
  out.tags.assign(out.args.size(), 0);
  if (p.arg_tags != nullptr) {
    out.tags.assign(p.arg_tags, p.arg_tags + out.args.size());
  }
  return out;
}

inline ServerJob from_abi(const ferry_server_job& j) {
  ServerJob out;
  read_verdict(j, out.accepted, out.reason, out.reason_text);
  out.input_path = to_string(j.input_path);
  out.object_path = to_string(j.object_path);
  out.exec_argv = to_vector(j.exec_argv);
  return out;
}

}  // namespace ferry::abi

#endif /* FERRY_PLUGIN_HPP */
