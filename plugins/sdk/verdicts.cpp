#include "ferry/sdk/verdicts.h"

#include <utility>

namespace ferry::sdk {

std::string one_line(std::string text) {
  for (char& c : text) {
    if (c == '\n' || c == '\r') {
      c = ' ';
    }
  }
  return text;
}

abi::Plan local_plan(abi::Plan plan, Local why) {
  plan.distribute = false;
  plan.reason = why.reason;
  plan.reason_text = one_line(std::move(why.text));
  return plan;
}

abi::ServerJob refused(Local why) {
  abi::ServerJob job;
  job.accepted = false;
  job.reason = why.reason;
  job.reason_text = one_line(std::move(why.text));
  return job;
}

std::string in_dir(const std::string& dir, const std::string& name) {
  return !dir.empty() && dir.back() == '/' ? dir + name : dir + "/" + name;
}

}  // namespace ferry::sdk
