// Who ferryd serves as, and the process-wide restrictions it runs under.
//
// A ferryd started as root does as root only what needs root: bind the
// port (a low one, say), write the pid and port files, open the log file
// and hand it (and the temp directory, if it makes it) to the unprivileged
// user. Then the whole daemon switches to that user for good, with
// no-new-privileges, before it accepts the first connection: the listening
// process, every job process and every compiler run as that user, and
// nothing it execs can gain privileges back (set-uid programs, file caps).
// --inetd switches before it reads the request.
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

// Sets no-new-privileges and, when user.drop, switches this process to
// `user` for good: supplementary groups, then real/effective/saved gid and
// uid, checked to be irreversible. The process is then not dumpable, so a
// compiler running as the same user cannot ptrace it or read its memory.
// SetuidFailed naming the step that failed; the caller must then not serve.
llvm::Error drop_privileges(const JobUser& user);

// In a job process (of a daemon that has already dropped its privileges):
// no-new-privileges (inherited; set again, it costs nothing) and `nice`
// added to our niceness. SetuidFailed naming the step.
llvm::Error enter_job_process(int nice);

// Before the drop, as root with a JobUser to drop to: makes `tmpdir` (mode
// 0700, owned by the user) when it does not exist yet; its parent must.
// IoError naming the directory. Not root: makes it as ourselves.
llvm::Error prepare_tmpdir(const JobUser& user, const std::string& tmpdir);

// Before the drop: an open log file owned by root becomes the user's, so
// the daemon can still reopen it on SIGHUP when it was not moved away (a
// moved one is recreated by the user: its directory must let the user).
// Nothing for a descriptor that is not a regular file, one another user
// owns, or when there is no drop.
void hand_log_file_to(const JobUser& user, int log_fd);

// Start-up check, as root with a JobUser to drop to: a process running as
// that user must be able to make (and remove) a directory in `tmpdir`,
// else every job would fail. IoError naming the user and the directory.
llvm::Error check_tmpdir_usable(const JobUser& user, const std::string& tmpdir);

}  // namespace ferry::daemon
