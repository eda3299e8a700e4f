// Who a job runs as, and the process-wide restrictions of a job process.
//
// A ferryd started as root keeps root only in the listening process, which
// accepts connections, forks, reaps, and writes/removes its pid file and
// reopens its log; it never reads a byte of a compile request. Every job
// process (and so every compiler) switches to an unprivileged user right
// after fork(), before it reads the request, and sets no-new-privileges so
// nothing it execs can gain privileges back (set-uid programs, file caps).
//
// This matters because an argv check cannot make a hostile preprocessed
// body harmless: gcc obeys `#include "/abs/path"` in it and `.incbin` in
// asm, so a job can read whatever its user can read (docs/ferryd.md,
// "Security model").
#pragma once

#include <sys/types.h>

#include <string>

#include <llvm/Support/Error.h>

namespace ferry::daemon {

struct JobUser {
  bool drop = false;  // false when ferryd is not root: nothing to switch
  std::string name;
  uid_t uid = 0;
  gid_t gid = 0;
};

// The user jobs run as. Not root: {drop = false}. Root: `requested`, or
// "ferryd" when it exists, else "nobody". BadArguments for an unknown user
// or one whose uid is 0 (that would be no drop at all).
llvm::Expected<JobUser> resolve_job_user(const std::string& requested);

// In a job process: set no-new-privileges, switch to `user` (groups, gid,
// uid; checked to be irreversible) and add `nice` to our niceness.
// SetuidFailed naming the step that failed; the caller must then not serve.
llvm::Error enter_job_process(const JobUser& user, int nice);

// Start-up check, as root with a JobUser to drop to: a process running as
// that user must be able to make (and remove) a directory in `tmpdir`,
// else every job would fail. IoError naming the user and the directory.
llvm::Error check_tmpdir_usable(const JobUser& user, const std::string& tmpdir);

}  // namespace ferry::daemon
