// The client's knobs, read from the environment (FERRY_* first, distcc's
// DISTCC_* as fallbacks). The TOML policy layers (issue #5) will feed the
// same struct.
#pragma once

#include <chrono>
#include <string>

#include <llvm/Support/Error.h>

namespace ferry::client {

struct ClientSettings {
  std::chrono::milliseconds connect_timeout{4000};
  std::chrono::milliseconds io_timeout{300000};
  bool fallback = true;      // compile locally when distribution fails
  std::string strategy;      // plugin preprocessing strategy ("" = default)
  std::string tmpdir;        // for cpp output
};

// BadArguments naming the variable on a bad number (as distcc: exit 101).
llvm::Expected<ClientSettings> settings_from_env();

}  // namespace ferry::client
