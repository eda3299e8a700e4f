// The two ways ferryd serves: a TCP daemon, or one job on stdin/stdout.
//
// TCP process model (simpler than distccd's preforking, same guarantees):
// the parent listens (backlog 1024) and accepts; before each accept it
// waits until fewer than --jobs job processes are running, so excess
// connections wait in the kernel's listen queue and none is dropped. Each
// connection gets a fork()ed child that serves that one job and exits. The
// parent reaps children as SIGCHLD arrives, so there are no zombies.
//
// SIGTERM/SIGINT: stop accepting (the listening socket is closed), let the
// running jobs finish, remove the pid file, exit 0. A second SIGTERM/SIGINT
// while waiting passes SIGTERM on to the jobs, which kill their compilers,
// remove their job directories and exit. SIGHUP reopens the log file.
//
// With --stats the parent also listens on the statistics port. Job
// processes report their outcome on a pipe (stats.h); a statistics client
// is answered by a short-lived forked process from the counters it
// inherited, so the parent never waits on one.
//
// Started as root, the daemon switches to the unprivileged user once it
// listens and has written its pid and port files, before it accepts a
// connection (privileges.h); SIGHUP's reopen and the pid file's removal
// then happen as that user.
#pragma once

#include <llvm/Support/Error.h>

#include "daemon/daemon_log.h"
#include "daemon/job.h"
#include "daemon/options.h"
#include "daemon/privileges.h"

namespace ferry::daemon {

// Listens, detaches (unless --no-detach) and serves until stopped. The
// file paths in options must be absolute. BindFailed when it cannot listen.
// In a detaching daemon the foreground process exits inside this call.
// Switches the whole daemon to `user` before serving (see privileges.h);
// SetuidFailed when that fails.
llvm::Error run_server(const DaemonOptions& options, const JobConfig& job,
                       const JobUser& user, DaemonLog& log);

// --inetd: one job on stdin/stdout, as `user`. SetuidFailed when the
// switch fails (nothing is read then).
llvm::Error serve_inetd(const JobConfig& job, const JobUser& user, int nice,
                        const DaemonLog& log);

}  // namespace ferry::daemon
