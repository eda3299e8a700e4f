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
  // Recompile locally when the remote compile fails. gcc prints source
  // excerpts (the "  6 | return y;" and caret lines) by reading the source
  // file, which a remote host does not have; only a local run reproduces the
  // diagnostics exactly. It also rescues a build from a host whose compiler
  // misbehaves. Costs one local compile per failing file.
  bool local_retry = true;
  std::string strategy;      // plugin preprocessing strategy ("" = default)
  std::string tmpdir;        // for cpp output
};

// BadArguments naming the variable on a bad number (as distcc: exit 101).
llvm::Expected<ClientSettings> settings_from_env();

}  // namespace ferry::client
