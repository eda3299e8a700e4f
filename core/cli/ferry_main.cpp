// ferry: the client. Run as `ferry COMPILER ARGS...`, as a masquerade
// symlink named like a compiler, or as a CMake compiler launcher.
#include <unistd.h>

#include <chrono>
#include <climits>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "client/client_config.h"
#include "client/driver.h"
#include "config/show.h"
#include "client/invocation.h"
#include "client/monitor.h"
#include "hosts/host_order.h"
#include "hosts/host_spec.h"
#include "state/state_dir.h"
#include "util/error.h"
#include "util/log.h"

namespace {

constexpr const char* kVersion = "ferry 0.1.0 (distcc protocols 1 and 2)";

constexpr const char* kHelp = R"(Usage: ferry COMPILER [ARGS...]     compile, distributed when possible
       COMPILER [ARGS...]           through a symlink COMPILER -> ferry
       ferry --plan COMPILER ARGS   print what would run where; run nothing
       ferry --show-hosts           print the host list in use
       ferry --show-config          print every configuration value and its origin
       ferry --set KEY=VALUE ...    set a configuration key for this run
                                    (before the compiler; repeatable)
       ferry -j                     print the total number of host slots
       ferry --monitor [--once]     show what this client compiles where, now
       ferry --version | --help

Environment:
  FERRY_HOSTS       host list in distcc's syntax (else DISTCC_HOSTS, else the
                    hosts files: $FERRY_DIR/hosts, /etc/ferry/hosts, ...)
  FERRY_VERBOSE=1   log what happens to stderr
  FERRY_LOG=FILE    append the log to FILE (one "job" line per compile)
  FERRY_QUIET=1     do not print the one-line notice when falling back
  FERRY_FALLBACK=0  never compile locally after a distribution failure
  FERRY_IO_TIMEOUT  seconds to wait for any network I/O (300)
  FERRY_CONNECT_TIMEOUT seconds to wait for a connection (4)
  FERRY_PLUGIN_PATH extra plugin directories, colon-separated
  FERRY_COMPILER_MAP which plugin a compiler name means, e.g. cc=suncc,foo=gcc
  FERRY_STRATEGY    preprocessing strategy for the plugin (gcc: directives-only, plain)
  FERRY_LOCAL_RETRY=1  recompile locally when the remote compile fails, for
                    gcc's source excerpt lines (relayed diagnostics lack them)
  FERRY_BACKOFF_PERIOD seconds to skip a host after it failed (60; 0: never)
  FERRY_SSH         ssh command and options for USER@HOST hosts (ssh)
  FERRY_DIR         state directory: slot locks, backoff marks, job files
                    (~/.ferry)
DISTCC_* equivalents are honoured when the FERRY_* variable is unset.
Exit status: the compiler's own, or distcc's codes 100-120 for ferry's
failures (see docs/ferry.md).
)";

std::string self_exe() {
  char buf[PATH_MAX];
  ssize_t n = ::readlink("/proc/self/exe", buf, sizeof buf - 1);
  if (n <= 0) {
    return {};
  }
  return std::string(buf, static_cast<size_t>(n));
}

int safeguard_level() {
  const char* v = std::getenv("_FERRY_SAFEGUARD");
  return v != nullptr ? std::atoi(v) : 0;
}

int show_hosts(const ferry::Logger& log, bool slots_only, const std::vector<std::string>& sets) {
  // hosts.group / hosts.list from the configuration when set (a broken file
  // is reported and the environment and hosts files are used instead).
  ferry::client::ProcessConfig pc = ferry::client::load_process_config(sets);
  if (!pc.config) {
    log.warn(pc.error);
  }
  auto source = pc.config ? ferry::client::host_list_source(*pc.config)
                          : ferry::hosts::find_host_list();
  if (!source) {
    log.warn("no host list is set (FERRY_HOSTS)");
    return 0;
  }
  auto list = ferry::hosts::parse_host_list(source->text);
  if (!list) {
    log.error(source->origin + ": " + ferry::summarize(list.takeError()).message);
    return 0;  // distcc: these informational commands exit 0 regardless
  }
  if (list->randomize) {
    // As distcc: the order this process would try them in.
    ferry::hosts::shuffle_hosts(*list, ferry::hosts::process_seed());
  }
  int total = 0;
  for (const auto& h : list->hosts) {
    total += h.down ? 0 : h.slots;
    if (!slots_only) {
      std::printf("%s\n", h.text.c_str());
    }
  }
  if (slots_only) {
    std::printf("%d\n", total);
  }
  return 0;
}

// ferry --monitor [--once] [--interval SECONDS]
int monitor(const ferry::Logger& log, const std::vector<std::string>& opts) {
  bool once = false;
  double interval = 1.0;
  for (size_t i = 0; i < opts.size(); ++i) {
    if (opts[i] == "--once") {
      once = true;
    } else if (opts[i] == "--interval" && i + 1 < opts.size() &&
               (interval = std::atof(opts[i + 1].c_str())) > 0) {
      ++i;
    } else {
      log.error("ferry --monitor: unexpected '" + opts[i] +
                "' (usage: ferry --monitor [--once] [--interval SECONDS])");
      return ferry::to_int(ferry::ExitCode::BadArguments);
    }
  }
  std::string root = ferry::state::default_state_root();
  if (root.empty()) {
    log.error("ferry --monitor: no state directory (set FERRY_DIR or HOME)");
    return ferry::to_int(ferry::ExitCode::BadArguments);
  }
  return ferry::client::run_monitor(
      root, once, std::chrono::milliseconds(static_cast<long long>(interval * 1000)));
}

// `ferry --show-config`: 101 and one "FILE:LINE:COLUMN: ..." line when a
// file is broken (ferry's own command line, not a compile).
int show_config(const std::vector<std::string>& sets) {
  ferry::client::ProcessConfig pc = ferry::client::load_process_config(sets);
  if (!pc.config) {
    std::fprintf(stderr, "%s\n", pc.error.c_str());
    return ferry::to_int(ferry::ExitCode::BadArguments);
  }
  for (const std::string& n : pc.config->notices()) {
    std::fprintf(stderr, "ferry: notice: %s\n", n.c_str());
  }
  std::fputs(ferry::config::format_config(*pc.config).c_str(), stdout);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> args(argv, argv + argc);
  ferry::Logger log = ferry::Logger::from_env("ferry");
  std::string exe = self_exe();
  bool explicit_mode = !args.empty() &&
                       std::string(args[0].substr(args[0].rfind('/') + 1)).rfind("ferry", 0) == 0;
  bool plan_only = false;
  // `--set KEY=VALUE` (repeatable) before anything else: the command-line
  // layer of the configuration.
  std::vector<std::string> sets;
  while (explicit_mode && args.size() >= 3 && args[1] == "--set") {
    sets.push_back(args[2]);
    args.erase(args.begin() + 1, args.begin() + 3);
  }
  if (explicit_mode && args.size() >= 2) {
    const std::string& opt = args[1];
    if (opt == "--show-config") {
      return show_config(sets);
    }
    if (opt == "--help") {
      std::fputs(kHelp, stdout);
      return 0;
    }
    if (opt == "--version") {
      std::printf("%s\n", kVersion);
      return 0;
    }
    if (opt == "--show-hosts" || opt == "-j") {
      return show_hosts(log, opt == "-j", sets);
    }
    if (opt == "--monitor") {
      return monitor(log, {args.begin() + 2, args.end()});
    }
    if (opt == "--plan") {
      plan_only = true;
      args.erase(args.begin() + 1);
    }
  }

  const char* path = std::getenv("PATH");
  auto inv = ferry::client::resolve_invocation(
      {args, exe, path != nullptr ? path : "", safeguard_level()});
  if (!inv) {
    ferry::ErrorSummary s = ferry::summarize(inv.takeError());
    log.error(s.message);
    return ferry::to_int(s.code);
  }
  if (inv->new_path) {
    ::setenv("PATH", inv->new_path->c_str(), 1);
  }
  ferry::client::ProcessConfig config = ferry::client::load_process_config(sets);
  ferry::Logger run_log = ferry::client::make_logger(config, "ferry");
  ferry::client::ClientContext ctx{exe, run_log, &config};
  return plan_only ? ferry::client::print_plan(*inv, ctx) : ferry::client::run_client(*inv, ctx);
}
