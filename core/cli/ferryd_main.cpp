// ferryd: the volunteer daemon. See docs/ferryd.md.
//
// Exit codes: 0 after a clean stop (or --help/--version/--show-config), 101 for a bad
// option or environment value, 102 when the port cannot be bound, 110 when
// no compiler plugin loads, and distcc's other codes for other start-up
// failures.
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "config/layers.h"
#include "config/show.h"
#include "daemon/ferryd.h"
#include "daemon/options.h"
#include "daemon/policy.h"
#include "util/error.h"

namespace {

int fail(llvm::Error err) {
  ferry::ErrorSummary s = ferry::summarize(std::move(err));
  std::fprintf(stderr, "ferryd: error: %s\n", s.message.c_str());
  return ferry::to_int(s.code);
}

// `ferryd --show-config`: the files, then the flags as the command-line
// layer, through the same loader as a start; the daemon.* keys with their
// origins on stdout. A broken file or flag value: one line, exit 101.
int show_config(const ferry::daemon::DaemonOptions& options, ferry::config::Getenv getenv) {
  auto config = ferry::config::load_daemon_config(
      {options.config_file, getenv, ferry::daemon::flag_values(options)});
  if (!config) {
    return fail(config.takeError());
  }
  for (const std::string& n : config->notices()) {
    std::fprintf(stderr, "ferryd: notice: %s\n", n.c_str());
  }
  std::fputs(ferry::config::format_config(*config, "ferryd", "daemon.").c_str(), stdout);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  auto options = ferry::daemon::parse_options(args);
  if (!options) {
    return fail(options.takeError());
  }
  if (options->help) {
    std::fputs(ferry::daemon::usage_text().c_str(), stdout);
    return 0;
  }
  if (options->version) {
    std::printf("%s\n", ferry::daemon::kVersionText);
    return 0;
  }
  auto getenv = [](const char* name) -> const char* { return std::getenv(name); };
  if (options->show_config) {
    return show_config(*options, getenv);
  }
  // The site and daemon policy files; a broken one stops the start with
  // "FILE:LINE:COLUMN: ..." (exit 101).
  auto config = ferry::config::load_daemon_config({options->config_file, getenv, {}});
  if (!config) {
    return fail(config.takeError());
  }
  for (const std::string& n : config->notices()) {
    std::fprintf(stderr, "ferryd: notice: %s\n", n.c_str());
  }
  // apply_daemon_policy keeps an enforced key's site value; say so.
  for (const ferry::config::FlagValue& f : ferry::daemon::flag_values(*options)) {
    const ferry::config::Setting& s = config->setting(f.key);
    if (s.enforced_by) {
      std::fprintf(stderr, "ferryd: notice: command line (%s): %s is enforced by %s; this setting is ignored\n",
                   f.flag.c_str(), f.key.c_str(), s.enforced_by->where().c_str());
    }
  }
  auto policy = ferry::daemon::apply_daemon_policy(*config, *options);
  if (!policy) {
    return fail(policy.takeError());
  }
  options->policy = std::move(*policy);
  if (llvm::Error err = ferry::daemon::run_ferryd(std::move(*options))) {
    return fail(std::move(err));
  }
  return 0;
}
