// How net/ error messages spell a timeout: "4" for 4000 ms, "0.2" for
// 200 ms, so a message reads "timed out after 0.2 s".
#pragma once

#include <chrono>
#include <string>

namespace ferry::net {

inline std::string seconds_text(std::chrono::milliseconds timeout) {
  long long ms = timeout.count();
  std::string out = std::to_string(ms / 1000);
  long long frac = ms % 1000;
  if (frac != 0) {
    std::string digits = std::to_string(frac + 1000).substr(1);
    while (digits.back() == '0') {
      digits.pop_back();
    }
    out += "." + digits;
  }
  return out;
}

}  // namespace ferry::net
