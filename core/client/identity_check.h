// remote.require_identity on the client (docs/policy.md, docs/protocol.md
// "Compiler identity"): the local compiler's identity, which goes to `,ferry`
// hosts in the FIDN packet, and the refusals those hosts answered with,
// remembered per host and compiler so that later jobs skip the host without
// sending it a source first.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include <llvm/Support/Error.h>

namespace ferry::client {

// How long a ferryd's "my compiler differs" answer is remembered. The host
// still checks every request, so a stale memory can only keep jobs away
// from a host that has meanwhile been upgraded to match, never send one to
// a host that does not.
inline constexpr std::chrono::seconds k_mismatch_memory{600};

// The identity line (identify::identity_text) of the compiler as ferry
// would run it here, probed with the installed manifests' rules or read
// from the probe cache ($FERRY_DIR/compilers). CompilerMissing when the
// compiler cannot be found or the probe does not recognise it; Timeout
// when the probe hangs.
llvm::Expected<std::string> local_identity(const std::string& compiler,
                                           const std::vector<std::string>& plugin_dirs);

// A refusal remembered for this host (its lock key), the compiler name run
// there and the local identity: the host's identity as it answered.
std::optional<std::string> remembered_mismatch(const std::string& state_root,
                                               const std::string& host_key,
                                               const std::string& remote_compiler,
                                               const std::string& local_identity);

// Best effort: a refusal that cannot be recorded costs one more refused
// request later.
void remember_mismatch(const std::string& state_root, const std::string& host_key,
                       const std::string& remote_compiler, const std::string& local_identity,
                       const std::string& host_identity);

}  // namespace ferry::client
