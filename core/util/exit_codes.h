// Exit codes for ferry's own failures. They are distcc 3.4's (src/exitcode.h),
// so scripts written for distcc keep working; a compiler's own exit status is
// passed through unchanged and a signal becomes 128+n.
#pragma once

namespace ferry {

enum class ExitCode : int {
  Ok = 0,
  DistccFailed = 100,     // general failure
  BadArguments = 101,     // bad option, bad configuration, bad number
  BindFailed = 102,       // the daemon cannot bind its port
  ConnectFailed = 103,    // connection refused or timed out
  CompilerCrashed = 104,
  OutOfMemory = 105,
  BadHostSpec = 106,      // host list does not parse
  IoError = 107,          // I/O error; also "client disconnected" in the daemon
  Truncated = 108,        // unexpected end of stream
  ProtocolError = 109,    // wrong token, wrong version
  CompilerMissing = 110,  // exec failed, or no plugin claims the compiler
  Recursion = 111,        // ferry called itself
  SetuidFailed = 112,
  AccessDenied = 113,
  Busy = 114,
  NoSuchFile = 115,
  NoHosts = 116,          // nothing to distribute to and fallback disabled
  Gone = 117,
  Timeout = 118,          // I/O timeout or job lifetime exceeded
};

constexpr int to_int(ExitCode c) { return static_cast<int>(c); }

}  // namespace ferry
