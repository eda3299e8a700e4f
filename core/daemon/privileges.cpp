#include "daemon/privileges.h"

#include <grp.h>
#include <pwd.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <vector>

#include "util/error.h"

namespace ferry::daemon {
namespace {

bool lookup(const std::string& name, JobUser& out) {
  std::vector<char> buf(16384);
  passwd pw{};
  passwd* found = nullptr;
  if (::getpwnam_r(name.c_str(), &pw, buf.data(), buf.size(), &found) != 0 ||
      found == nullptr) {
    return false;
  }
  out.name = name;
  out.uid = pw.pw_uid;
  out.gid = pw.pw_gid;
  return true;
}

llvm::Error step_failed(const char* what) {
  return make_error(ExitCode::SetuidFailed,
                    std::string("cannot ") + what + ": " + std::strerror(errno));
}

}  // namespace

llvm::Expected<JobUser> resolve_job_user(const std::string& requested) {
  JobUser user;
  if (::geteuid() != 0) {
    return user;  // an ordinary user cannot switch, and needs not
  }
  bool found = requested.empty() ? lookup("ferryd", user) || lookup("nobody", user)
                                 : lookup(requested, user);
  if (!found) {
    return make_error(ExitCode::BadArguments,
                      requested.empty()
                          ? std::string("neither user 'ferryd' nor 'nobody' exists; name one with --user")
                          : "unknown user '" + requested + "' for --user");
  }
  if (user.uid == 0) {
    return make_error(ExitCode::BadArguments,
                      "--user '" + user.name + "' has uid 0; jobs must not run as root");
  }
  user.drop = true;
  return user;
}

llvm::Error drop_privileges(const JobUser& user) {
  if (::prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) {
    return step_failed("set no-new-privileges");
  }
  if (!user.drop) {
    return llvm::Error::success();
  }
  // Groups first: after setuid we could no longer change them.
  if (::setgroups(1, &user.gid) != 0) {
    return step_failed("drop supplementary groups");
  }
  if (::setresgid(user.gid, user.gid, user.gid) != 0) {
    return step_failed(("switch to the group of user '" + user.name + "'").c_str());
  }
  if (::setresuid(user.uid, user.uid, user.uid) != 0) {
    return step_failed(("switch to user '" + user.name + "'").c_str());
  }
  // Paranoia that costs nothing: root must be gone for good.
  if (::setuid(0) == 0 || ::geteuid() == 0) {
    errno = EPERM;
    return step_failed("drop root for good");
  }
  // The kernel already clears "dumpable" on this uid change; say so, because
  // it is what keeps a compiler (same uid) from ptracing the daemon or a job.
  if (::prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) != 0) {
    return step_failed("make the process non-dumpable");
  }
  return llvm::Error::success();
}

llvm::Error enter_job_process(int nice) {
  if (::prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) {
    return step_failed("set no-new-privileges");
  }
  if (nice != 0) {
    errno = 0;
    if (::nice(nice) == -1 && errno != 0) {
      return step_failed("change the niceness");
    }
  }
  return llvm::Error::success();
}

llvm::Error prepare_tmpdir(const JobUser& user, const std::string& tmpdir) {
  if (::mkdir(tmpdir.c_str(), S_IRWXU) != 0) {
    if (errno == EEXIST) {
      return llvm::Error::success();  // the operator's: left as it is
    }
    return make_error(ExitCode::IoError, "cannot make the temp directory '" + tmpdir +
                                             "': " + std::strerror(errno));
  }
  if (user.drop && ::chown(tmpdir.c_str(), user.uid, user.gid) != 0) {
    int saved = errno;
    ::rmdir(tmpdir.c_str());
    return make_error(ExitCode::IoError, "cannot give the temp directory '" + tmpdir +
                                             "' to user '" + user.name +
                                             "': " + std::strerror(saved));
  }
  return llvm::Error::success();
}

void hand_log_file_to(const JobUser& user, int log_fd) {
  struct stat st {};
  if (!user.drop || log_fd < 0 || ::fstat(log_fd, &st) != 0 || !S_ISREG(st.st_mode) ||
      st.st_uid != 0) {
    return;
  }
  // Best effort: without it only a SIGHUP reopen of an unmoved file fails,
  // and that keeps the old descriptor (and says so in the log).
  [[maybe_unused]] int rc = ::fchown(log_fd, user.uid, static_cast<gid_t>(-1));
}

llvm::Error check_tmpdir_usable(const JobUser& user, const std::string& tmpdir) {
  if (!user.drop) {
    return llvm::Error::success();
  }
  std::string pattern = tmpdir + "/ferryd_check_XXXXXX";
  pid_t pid = ::fork();
  if (pid < 0) {
    return step_failed("fork");
  }
  if (pid == 0) {
    if (llvm::Error err = drop_privileges(user)) {
      llvm::consumeError(std::move(err));
      ::_exit(2);
    }
    char* made = ::mkdtemp(pattern.data());
    ::_exit(made != nullptr && ::rmdir(made) == 0 ? 0 : 1);
  }
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (WIFEXITED(status) && WEXITSTATUS(status) == 0) {
    return llvm::Error::success();
  }
  return make_error(ExitCode::IoError,
                    "jobs run as user '" + user.name + "', who cannot make a directory in '" +
                        tmpdir + "' (set TMPDIR to a directory that user can write, or --user)");
}

}  // namespace ferry::daemon
