// `ferry --show-config`: every effective value and where it came from, in
// TOML a site file could reuse:
//   client.fallback = false            # /etc/ferry/policy.toml:12:1 (enforced)
//   compilers.cc = "suncc"             # /etc/ferry/policy.toml:20:1
//   local.sources = [
//     "third_party/*",                 # /etc/ferry/policy.toml:31:3
//   ]
#pragma once

#include <string>

#include "config/config.h"

namespace ferry::config {

std::string format_config(const Config& config);

}  // namespace ferry::config
