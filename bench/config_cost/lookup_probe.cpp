// config_lookup_probe: the cost of looking for ferry's configuration files, in a fresh process.
//
//   config_lookup_probe lookup     what a ferry start does (core/client/client_config.cpp):
//                                  getcwd, then load_client_config with no --set and the real
//                                  environment: site file, user file, the walk up from cwd for
//                                  .ferry.toml, the environment layer, finish()
//   config_lookup_probe env-only   the same without the files: a Loader with only add_env and
//                                  finish(), i.e. what a start would do if nothing were looked for
//
// Either runs exactly once, so the code and data it touches are as cold as in a ferry start
// (on a VM, start-up is dominated by page faults, ~25-70 us each: a warm loop would hide them).
// Printed on one line, for bench/config_cost/measure.py and tests/e2e/config_probe.sh:
//   mode=lookup cpu_us=41.2 wall_us=48.0 faults=5 files=2 file=/a/policy.toml file=/p/.ferry.toml
// cpu_us is CLOCK_PROCESS_CPUTIME_ID (the scheduler's nanosecond runtime; getrusage's
// utime/stime are the same runtime split by tick sampling, too coarse for one call), faults
// are getrusage's minor + major faults, wall_us is CLOCK_MONOTONIC; all around that call only.
// Exit 0, 1 when the configuration is invalid (the message on stderr), 2 on a usage error.
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include "config/layers.h"

namespace {

const char* real_getenv(const char* name) { return std::getenv(name); }

// As client_config.cpp's cwd_or_empty: a start pays for this only to look for a project file.
std::string cwd_or_empty() {
  std::string buf(4096, '\0');
  if (::getcwd(buf.data(), buf.size()) == nullptr) {
    return {};
  }
  buf.resize(std::strlen(buf.c_str()));
  return buf;
}

struct Sample {
  double cpu_us = 0;
  double wall_us = 0;
  long faults = 0;
};

double clock_us(clockid_t clock) {
  timespec ts{};
  ::clock_gettime(clock, &ts);
  return static_cast<double>(ts.tv_sec) * 1e6 + static_cast<double>(ts.tv_nsec) / 1e3;
}

long faults_now() {
  rusage ru{};
  ::getrusage(RUSAGE_SELF, &ru);
  return ru.ru_minflt + ru.ru_majflt;
}

Sample now() { return {clock_us(CLOCK_PROCESS_CPUTIME_ID), clock_us(CLOCK_MONOTONIC), faults_now()}; }

}  // namespace

int main(int argc, char** argv) {
  const bool lookup = argc == 2 && std::strcmp(argv[1], "lookup") == 0;
  if (argc != 2 || (!lookup && std::strcmp(argv[1], "env-only") != 0)) {
    std::fprintf(stderr, "usage: %s lookup|env-only\n", argv[0]);
    return 2;
  }
  // Touched once before the first sample so that the measurement's own first calls
  // (clock_gettime through the vDSO, getrusage) do not count as the lookup's faults.
  Sample start = now();
  start = now();
  llvm::Expected<ferry::config::Config> config = [&]() -> llvm::Expected<ferry::config::Config> {
    if (lookup) {
      return ferry::config::load_client_config({cwd_or_empty(), {}, real_getenv});
    }
    ferry::config::Loader loader;
    if (auto err = loader.add_env(real_getenv)) {
      return err;
    }
    return std::move(loader).finish();
  }();
  const Sample end = now();
  if (!config) {
    std::fprintf(stderr, "config_lookup_probe: %s\n", llvm::toString(config.takeError()).c_str());
    return 1;
  }
  std::printf("mode=%s cpu_us=%.1f wall_us=%.1f faults=%ld files=%zu", argv[1],
              end.cpu_us - start.cpu_us, end.wall_us - start.wall_us, end.faults - start.faults,
              config->files().size());
  for (const std::string& file : config->files()) {
    std::printf(" file=%s", file.c_str());
  }
  std::printf("\n");
  return 0;
}
