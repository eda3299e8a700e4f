// ferryd: the volunteer daemon. See docs/ferryd.md.
//
// Exit codes: 0 after a clean stop (or --help/--version), 101 for a bad
// option or environment value, 102 when the port cannot be bound, 110 when
// no compiler plugin loads, and distcc's other codes for other start-up
// failures.
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "config/layers.h"
#include "daemon/ferryd.h"
#include "daemon/options.h"
#include "util/error.h"

namespace {

int fail(llvm::Error err) {
  ferry::ErrorSummary s = ferry::summarize(std::move(err));
  std::fprintf(stderr, "ferryd: error: %s\n", s.message.c_str());
  return ferry::to_int(s.code);
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
  // The site and daemon policy files; a broken one stops the start with
  // "FILE:LINE:COLUMN: ..." (exit 101).
  auto config = ferry::config::load_daemon_config(
      {options->config_file, [](const char* name) -> const char* { return std::getenv(name); }});
  if (!config) {
    return fail(config.takeError());
  }
  for (const std::string& n : config->notices()) {
    std::fprintf(stderr, "ferryd: notice: %s\n", n.c_str());
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
