// Signals, done the self-pipe way: a handler only writes the signal number
// to a non-blocking pipe (or sets a flag in a job process), and the real
// work happens in the poll() loop that reads it. Nothing else runs in a
// handler, so nothing async-signal-unsafe can.
//
// Signal dispositions are process-wide, so this is the one place in the
// daemon with global state: a handler can reach nothing else.
#pragma once

#include <csignal>
#include <vector>

#include "util/unique_fd.h"

namespace ferry::daemon {

// The listening parent's signals: SIGTERM, SIGINT, SIGHUP, SIGCHLD.
class SignalPipe {
 public:
  SignalPipe() = default;
  ~SignalPipe();
  SignalPipe(const SignalPipe&) = delete;
  SignalPipe& operator=(const SignalPipe&) = delete;

  // Creates the pipe and installs the handlers. False on failure (errno).
  bool install();
  // Readable when a signal arrived.
  int fd() const { return m_read.get(); }
  // The signals that arrived since the last call, oldest first.
  std::vector<int> drain();

 private:
  UniqueFd m_read;
  UniqueFd m_write;
};

// Blocks the parent's signals (around fork, so a child cannot run the
// parent's handler before it installs its own) and restores the mask.
class BlockSignals {
 public:
  BlockSignals();
  ~BlockSignals();
  BlockSignals(const BlockSignals&) = delete;
  BlockSignals& operator=(const BlockSignals&) = delete;

 private:
  sigset_t m_old;
};

// In a job process (a forked child, or --inetd): SIGTERM, SIGINT and SIGHUP
// set the returned flag, which the job checks to kill its compiler and
// clean up; SIGCHLD goes back to its default. Returns the flag.
const volatile std::sig_atomic_t* install_job_signal_handlers();

}  // namespace ferry::daemon
