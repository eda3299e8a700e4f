// One job on one remote host: start the local preprocessor, connect and send
// the argv while it runs, then send its output and read the answer. The
// preprocessor runs once per job: a retry on another host reuses its output.
#pragma once

#include <functional>
#include <optional>
#include <string>

#include <llvm/Support/Error.h>

#include "client/settings.h"
#include "exec/temp_file.h"
#include "hosts/host_spec.h"
#include "plan/plan.h"
#include "proto/codec.h"
#include "state/slot_lock.h"

namespace ferry::client {

// The local preprocessing of one job: started once, finished once, its
// result kept for every attempt.
class Preprocessor {
 public:
  // take_slot blocks until a local preprocessing slot is free (or gives up
  // and returns an unheld lock); it is called just before cpp starts.
  Preprocessor(const plan::Plan& plan, const ClientSettings& settings,
               std::function<state::SlotLock()> take_slot);
  Preprocessor(const Preprocessor&) = delete;
  Preprocessor& operator=(const Preprocessor&) = delete;
  ~Preprocessor();

  // Starts cpp in the background (no-op when already started or the input
  // is already preprocessed).
  llvm::Error start();

  struct Output {
    bool failed = false;       // cpp failed: nothing to send
    std::string stderr_text;   // its warnings, to show the user
    std::string source;        // what goes out as DOTI
  };
  // Waits for cpp (the first time) and returns its output.
  llvm::Expected<const Output*> finish();

 private:
  const plan::Plan& m_plan;
  const ClientSettings& m_settings;
  std::function<state::SlotLock()> m_take_slot;
  state::SlotLock m_slot;
  pid_t m_pid = -1;
  std::optional<exec::TempFile> m_out;
  std::optional<exec::TempFile> m_err;
  std::optional<Output> m_result;
};

struct RemoteResult {
  // The local preprocessor failed: nothing was compiled remotely. The caller
  // compiles locally so the user sees the compiler's own diagnostics.
  bool cpp_failed = false;
  std::string cpp_stderr;   // the preprocessor's warnings, to show the user
  proto::Response response; // when !cpp_failed
  uint64_t bytes_sent = 0;
  uint64_t bytes_received = 0;
};

// Where the job is, for `ferry --monitor`.
using PhaseReport = std::function<void(const char* phase)>;

// Transport failures (refused, timeout, protocol error, closed without an
// answer) are returned as errors carrying their distcc exit code.
// A non-empty identity (only for a `,ferry` host) is sent as FIDN; a host
// whose compiler differs answers with response.host_identity set.
llvm::Expected<RemoteResult> compile_remotely(const plan::Plan& plan, const hosts::Host& host,
                                              const ClientSettings& settings, Preprocessor& cpp,
                                              const PhaseReport& report,
                                              const std::string& identity = {});

}  // namespace ferry::client
