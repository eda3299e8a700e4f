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

// The same for one program's part of the table: the keys starting with
// key_prefix ("daemon.") and `enforce`, under a title naming the program
// (`ferryd --show-config`).
std::string format_config(const Config& config, const std::string& program,
                          const std::string& key_prefix);

}  // namespace ferry::config
