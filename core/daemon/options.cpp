#include "daemon/options.h"

#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <charconv>
#include <cstdlib>
#include <string_view>

#include "util/error.h"

namespace ferry::daemon {
namespace {

using Setter = llvm::Error (*)(DaemonOptions&, const std::string&);

struct OptionSpec {
  const char* name;   // "--port"
  const char* alias;  // "-p" (distccd's short form), or nullptr
  bool takes_value;
  Setter set;
};

llvm::Error bad_value(const char* option, const std::string& value,
                      const char* why) {
  return make_error(ExitCode::BadArguments,
                    "invalid value '" + value + "' for " + option + ": " + why);
}

// Strict decimal: no sign, no spaces, no trailing junk.
llvm::Expected<unsigned long> parse_number(const char* option,
                                           const std::string& value,
                                           unsigned long lo, unsigned long hi) {
  unsigned long n = 0;
  const char* end = value.data() + value.size();
  auto [ptr, ec] = std::from_chars(value.data(), end, n);
  if (value.empty() || ec != std::errc() || ptr != end) {
    return bad_value(option, value, "not a number");
  }
  if (n < lo || n > hi) {
    std::string range = std::to_string(lo) + ".." + std::to_string(hi);
    return bad_value(option, value, ("must be in " + range).c_str());
  }
  return n;
}

llvm::Error need_text(const char* option, const std::string& value) {
  if (value.empty()) {
    return bad_value(option, value, "must not be empty");
  }
  return llvm::Error::success();
}

llvm::Error set_port(DaemonOptions& o, const std::string& v) {
  // 0 asks the kernel for a free port (tests pair it with --port-file).
  auto n = parse_number("--port", v, 0, 65535);
  if (!n) {
    return n.takeError();
  }
  o.port = static_cast<uint16_t>(*n);
  return llvm::Error::success();
}

llvm::Error set_jobs(DaemonOptions& o, const std::string& v) {
  auto n = parse_number("--jobs", v, 1, 1000);
  if (!n) {
    return n.takeError();
  }
  o.jobs = static_cast<unsigned>(*n);
  return llvm::Error::success();
}

llvm::Error set_allow(DaemonOptions& o, const std::string& v) {
  auto rule = net::parse_allow_rule(v);
  if (!rule) {
    return rule.takeError();
  }
  o.allow.push_back(*rule);
  return llvm::Error::success();
}

llvm::Error set_port_file(DaemonOptions& o, const std::string& v) {
  o.port_file = v;
  return need_text("--port-file", v);
}
llvm::Error set_listen(DaemonOptions& o, const std::string& v) {
  o.listen = v;
  return need_text("--listen", v);
}
llvm::Error set_pid_file(DaemonOptions& o, const std::string& v) {
  o.pid_file = v;
  return need_text("--pid-file", v);
}
llvm::Error set_log_file(DaemonOptions& o, const std::string& v) {
  o.log_file = v;
  return need_text("--log-file", v);
}
llvm::Error set_config(DaemonOptions& o, const std::string& v) {
  o.config_file = v;
  return need_text("--config", v);
}
llvm::Error add_plugin_path(DaemonOptions& o, const std::string& v) {
  o.plugin_path.push_back(v);
  return need_text("--plugin-path", v);
}

llvm::Error set_user(DaemonOptions& o, const std::string& v) {
  o.user = v;
  return need_text("--user", v);
}
llvm::Error set_nice(DaemonOptions& o, const std::string& v) {
  // The ranges here are the daemon.* keys' (core/config/schema.cpp): a flag is
  // that key's command-line layer, and one range is what docs/policy.md states.
  auto n = parse_number("--nice", v, 0, 19);
  if (!n) {
    return n.takeError();
  }
  o.nice = static_cast<int>(*n);
  return llvm::Error::success();
}
llvm::Error set_job_lifetime(DaemonOptions& o, const std::string& v) {
  auto n = parse_number("--job-lifetime", v, 0, 24ul * 3600);
  if (!n) {
    return n.takeError();
  }
  o.job_lifetime = static_cast<unsigned>(*n);
  return llvm::Error::success();
}
llvm::Error set_job_memory(DaemonOptions& o, const std::string& v) {
  // 0 (no limit), or at least 64 MiB: below that not even cc1 starts.
  auto n = parse_number("--job-memory", v, 0, 1ul << 20);
  if (!n) {
    return n.takeError();
  }
  if (*n != 0 && *n < 64) {
    return bad_value("--job-memory", v, "must be 0 (no limit) or at least 64");
  }
  o.job_memory_mib = *n;
  return llvm::Error::success();
}
llvm::Error set_request_timeout(DaemonOptions& o, const std::string& v) {
  auto n = parse_number("--request-timeout", v, 1, 24ul * 3600);
  if (!n) {
    return n.takeError();
  }
  o.request_timeout = static_cast<unsigned>(*n);
  return llvm::Error::success();
}
llvm::Error set_stats(DaemonOptions& o, const std::string&) {
  o.stats = true;
  return llvm::Error::success();
}
llvm::Error set_stats_port(DaemonOptions& o, const std::string& v) {
  auto n = parse_number("--stats-port", v, 0, 65535);
  if (!n) {
    return n.takeError();
  }
  // Naming a port asks for the statistics; distccd needs --stats as well,
  // which is accepted too.
  o.stats = true;
  o.stats_port = static_cast<uint16_t>(*n);
  return llvm::Error::success();
}
llvm::Error set_stats_port_file(DaemonOptions& o, const std::string& v) {
  o.stats_port_file = v;
  return need_text("--stats-port-file", v);
}

llvm::Error set_daemon(DaemonOptions& o, const std::string&) {
  o.mode = Mode::Daemon;
  return llvm::Error::success();
}
llvm::Error set_inetd(DaemonOptions& o, const std::string&) {
  o.mode = Mode::Inetd;
  return llvm::Error::success();
}
llvm::Error set_no_detach(DaemonOptions& o, const std::string&) {
  o.detach = false;
  return llvm::Error::success();
}
llvm::Error set_log_stderr(DaemonOptions& o, const std::string&) {
  o.log_stderr = true;
  return llvm::Error::success();
}
llvm::Error set_verbose(DaemonOptions& o, const std::string&) {
  o.verbose = true;
  return llvm::Error::success();
}
llvm::Error set_help(DaemonOptions& o, const std::string&) {
  o.help = true;
  return llvm::Error::success();
}
llvm::Error set_version(DaemonOptions& o, const std::string&) {
  o.version = true;
  return llvm::Error::success();
}
llvm::Error set_show_config(DaemonOptions& o, const std::string&) {
  o.show_config = true;
  return llvm::Error::success();
}
// distcc's SSH mode runs "distccd --inetd --enable-tcp-insecure" on the far
// side. Accepting it lets ferryd stand in for distccd there; it does not
// weaken anything: the compiler allow-list always applies.
llvm::Error ignore(DaemonOptions&, const std::string&) {
  return llvm::Error::success();
}

constexpr OptionSpec kOptions[] = {
    {"--daemon", nullptr, false, set_daemon},
    {"--inetd", nullptr, false, set_inetd},
    {"--no-detach", nullptr, false, set_no_detach},
    {"--port", "-p", true, set_port},
    {"--port-file", nullptr, true, set_port_file},
    {"--listen", nullptr, true, set_listen},
    {"--allow", "-a", true, set_allow},
    {"--jobs", "-j", true, set_jobs},
    {"--pid-file", "-P", true, set_pid_file},
    {"--log-file", nullptr, true, set_log_file},
    {"--log-stderr", nullptr, false, set_log_stderr},
    {"--verbose", nullptr, false, set_verbose},
    {"--plugin-path", nullptr, true, add_plugin_path},
    {"--user", nullptr, true, set_user},
    {"--nice", "-N", true, set_nice},
    {"--job-lifetime", nullptr, true, set_job_lifetime},
    {"--job-memory", nullptr, true, set_job_memory},
    {"--request-timeout", nullptr, true, set_request_timeout},
    {"--stats", nullptr, false, set_stats},
    {"--stats-port", nullptr, true, set_stats_port},
    {"--stats-port-file", nullptr, true, set_stats_port_file},
    {"--config", nullptr, true, set_config},
    {"--show-config", nullptr, false, set_show_config},
    {"--help", "-h", false, set_help},
    {"--version", nullptr, false, set_version},
    {"--enable-tcp-insecure", nullptr, false, ignore},
};

const OptionSpec* find_option(std::string_view name) {
  for (const OptionSpec& spec : kOptions) {
    if (name == spec.name || (spec.alias != nullptr && name == spec.alias)) {
      return &spec;
    }
  }
  return nullptr;
}

}  // namespace

llvm::Expected<DaemonOptions> parse_options(const std::vector<std::string>& args) {
  DaemonOptions options;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    // "--port=3632" and "--port 3632" are both accepted, as popt does.
    size_t eq = arg.rfind("--", 0) == 0 ? arg.find('=') : std::string::npos;
    std::string name = arg.substr(0, eq);
    const OptionSpec* spec = find_option(name);
    if (spec == nullptr) {
      return make_error(ExitCode::BadArguments, "unknown option '" + arg + "'");
    }
    std::string value;
    if (eq != std::string::npos) {
      if (!spec->takes_value) {
        return make_error(ExitCode::BadArguments,
                          "option " + name + " takes no value");
      }
      value = arg.substr(eq + 1);
    } else if (spec->takes_value) {
      if (i + 1 >= args.size()) {
        return make_error(ExitCode::BadArguments,
                          "option " + name + " needs a value");
      }
      value = args[++i];
    }
    if (llvm::Error err = spec->set(options, value)) {
      return err;
    }
    options.given.push_back(spec->name);
    options.given_values.emplace_back(spec->name, value);
  }
  return options;
}

unsigned default_jobs() {
  long cpus = ::sysconf(_SC_NPROCESSORS_ONLN);
  return static_cast<unsigned>(cpus > 0 ? cpus : 1) + 2;
}

std::vector<net::AllowRule> effective_allow(const DaemonOptions& options) {
  return options.allow.empty() ? net::loopback_rules() : options.allow;
}

Mode effective_mode(const DaemonOptions& options) {
  if (options.mode != Mode::Auto) {
    return options.mode;
  }
  // distccd's rule: started by inetd (stdin is a socket) → serve one job.
  struct stat st{};
  if (::fstat(STDIN_FILENO, &st) == 0 && S_ISSOCK(st.st_mode)) {
    return Mode::Inetd;
  }
  return Mode::Daemon;
}

llvm::Expected<std::chrono::milliseconds> io_timeout_from_env() {
  const char* name = "FERRY_IO_TIMEOUT";
  const char* value = std::getenv(name);
  if (value == nullptr) {
    name = "DISTCC_IO_TIMEOUT";
    value = std::getenv(name);
  }
  if (value == nullptr || *value == '\0') {
    return std::chrono::seconds(300);
  }
  auto n = parse_number(name, value, 1, 24ul * 3600);
  if (!n) {
    return n.takeError();
  }
  return std::chrono::seconds(*n);
}

std::string usage_text() {
  return R"(Usage: ferryd [OPTIONS]
The ferry volunteer daemon: compiles preprocessed sources for ferry and
distcc clients (distcc protocol 1 and 2).

Mode:
  --daemon              listen on TCP (default unless stdin is a socket)
  --inetd               serve one job on stdin/stdout (inetd, SSH)
  --no-detach           stay in the foreground
Network:
  -p, --port N          TCP port (default 3632; 0 = any free port)
      --port-file F     write the bound port to F once listening
      --listen ADDR     address to bind (default: all)
  -a, --allow IP[/BITS] allow these clients (repeatable;
                        default: 127.0.0.0/8 and ::1 only)
Jobs:
  -j, --jobs N          concurrent jobs, 1..1000 (default: CPUs + 2)
      --plugin-path DIR also load compiler plugins from DIR (repeatable)
Security and limits:
      --user U          as root, drop to user U before serving: the daemon
                        and its jobs (default: ferryd if it exists, else nobody)
  -N, --nice N          niceness added to each job, 0..19 (default 5)
      --job-lifetime S  kill a compile after S seconds of wall clock or
                        CPU time (default 0: no limit)
      --job-memory MIB  address-space limit of a compiler in MiB
                        (default 8192; 0: no limit)
      --request-timeout S  the whole request must arrive within S
                        seconds (default 600)
Statistics:
      --stats           serve statistics over HTTP (port 3633)
      --stats-port P    ... on port P (implies --stats; 0 = any free port)
      --stats-port-file F  write the statistics port to F
Policy:
      --config FILE     daemon policy in TOML (default /etc/ferry/ferryd.toml,
                        after /etc/ferry/policy.toml; flags override both;
                        see docs/policy.md)
      --show-config     print every daemon policy value and where it came
                        from (file:line, command line, default); start nothing
Files and logs:
  -P, --pid-file F      write the daemon's pid to F (removed at exit)
      --log-file F      append log lines to F (reopened on SIGHUP)
      --log-stderr      log to stderr
      --verbose         log more detail
  -h, --help            show this help
      --version         show the version
See docs/ferryd.md for the full manual.
)";
}

}  // namespace ferry::daemon
