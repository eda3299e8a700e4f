// The client's knobs, read from the environment (FERRY_* first, distcc's
// DISTCC_* as fallbacks) in this one place. The TOML policy layers (issue #5)
// will feed the same struct.
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include <llvm/Support/Error.h>

namespace ferry::client {

struct ClientSettings {
  std::chrono::milliseconds connect_timeout{4000};
  // Any network read or write, and also the longest wait for a free slot.
  std::chrono::milliseconds io_timeout{300000};
  // A host that failed in transport is skipped by every ferry process for
  // this long (0: never skipped; each process still tries each host once).
  std::chrono::seconds backoff_period{60};
  bool fallback = true;      // compile locally when distribution fails
  // Recompile locally when the remote compile fails (off by default: the
  // failure is the code's, and a second compile doubles the time to an
  // error). gcc prints source excerpts (the "  6 | return y;" and caret
  // lines) by reading the source file, which a remote host does not have, so
  // relayed diagnostics lack them; FERRY_LOCAL_RETRY=1 trades a local
  // compile per failing file for exact diagnostics.
  bool local_retry = false;
  std::string strategy;      // plugin preprocessing strategy ("" = default)
  // remote.require_identity: only hosts whose compiler identity matches the
  // local compiler's (proven by a `,ferry` host per request) get jobs.
  bool require_identity = false;
  std::string tmpdir;        // for cpp output
  std::string state_root;    // $FERRY_DIR, else ~/.ferry ("" = no locks)
  // The ssh command and its options, split once into words (distcc #434:
  // never re-split or modified between attempts).
  std::vector<std::string> ssh_command{"ssh"};
};

// BadArguments naming the variable on a bad number (as distcc: exit 101).
llvm::Expected<ClientSettings> settings_from_env();

// Words separated by blanks (no quoting, as distcc's DISTCC_SSH).
std::vector<std::string> split_words(const std::string& text);

}  // namespace ferry::client
