#include "plan/plan.h"

#include <sstream>

namespace ferry::plan {
namespace {

// Quotes an argument for display only when a shell would need it.
std::string shell_quote(const std::string& s) {
  if (!s.empty() && s.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                        "0123456789-_./=,+:@%") == std::string::npos) {
    return s;
  }
  std::string out = "'";
  for (char c : s) {
    if (c == '\'') {
      out += "'\\''";
    } else {
      out += c;
    }
  }
  out += '\'';
  return out;
}

std::string join(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& s : v) {
    if (!out.empty()) {
      out += ' ';
    }
    out += shell_quote(s);
  }
  return out;
}

}  // namespace

const char* reason_name(ferry_reason r) {
  switch (r) {
    case FERRY_REASON_NONE: return "none";
    case FERRY_REASON_NOT_COMPILE: return "not-compile";
    case FERRY_REASON_PREPROCESS_ONLY: return "preprocess-only";
    case FERRY_REASON_NO_INPUT: return "no-input";
    case FERRY_REASON_MULTIPLE_INPUTS: return "multiple-inputs";
    case FERRY_REASON_MULTIPLE_OUTPUTS: return "multiple-outputs";
    case FERRY_REASON_AUTOCONF: return "autoconf";
    case FERRY_REASON_OUTPUT_TO_STDOUT: return "output-to-stdout";
    case FERRY_REASON_HOST_SPECIFIC: return "host-specific";
    case FERRY_REASON_PROFILING: return "profiling";
    case FERRY_REASON_LANGUAGE: return "language";
    case FERRY_REASON_RESPONSE_FILE: return "response-file";
    case FERRY_REASON_UNSAFE_OPTION: return "unsafe-option";
    case FERRY_REASON_EXTRA_OUTPUT: return "extra-output";
    case FERRY_REASON_BAD_ARGUMENTS: return "bad-arguments";
    case FERRY_REASON_UNSUPPORTED: return "unsupported";
    case FERRY_REASON_COUNT: break;
  }
  return "unsupported";
}

std::string format_plan(const Plan& p) {
  std::ostringstream os;
  if (!p.distribute) {
    os << "verdict: local\n";
    if (p.reason == FERRY_REASON_NONE) {  // not the plugin's verdict: site policy
      os << "reason: " << p.reason_text << "\n";
    } else {
      os << "reason: " << reason_name(p.reason) << " (" << p.reason_text << ")\n";
    }
    os << "local: " << join(p.local_argv) << "\n";
    return os.str();
  }
  os << "verdict: distribute\n";
  os << "language: " << p.language << "\n";
  os << "input: " << p.input << "\n";
  os << "object: " << p.object << "\n";
  os << "dep-file: " << (p.dep_file ? *p.dep_file : std::string("(none)")) << "\n";
  if (p.input_is_preprocessed) {
    os << "cpp: (input is already preprocessed)\n";
  } else {
    os << "cpp: " << join(p.cpp_argv) << " > (temp" << p.preprocessed_ext << ")\n";
  }
  os << "remote: " << join(p.remote_argv) << "\n";
  os << "local: " << join(p.local_argv) << "\n";
  os << "args:\n";
  for (size_t i = 0; i < p.args.size(); ++i) {
    uint8_t tags = i < p.tags.size() ? p.tags[i] : 0;
    const char* where = tags == (FERRY_ARG_CPP | FERRY_ARG_REMOTE) ? "cpp+remote"
                        : tags == FERRY_ARG_CPP                    ? "cpp"
                        : tags == FERRY_ARG_REMOTE                 ? "remote"
                                                                   : "DROPPED";
    os << "  " << where << "\t" << shell_quote(p.args[i]) << "\n";
  }
  return os.str();
}

}  // namespace ferry::plan
