// The TOML policy (core/config) as the client uses it: loaded once per
// ferry process, turned into the settings, the logger, the plugin choice,
// the remote compiler name and the force-local verdict.
//
// A broken file must not break a build: the driver then compiles locally
// and reports the problem in one line. `ferry --show-config` instead exits
// 101 with the same line.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <llvm/Support/Error.h>

#include "client/settings.h"
#include "config/config.h"
#include "hosts/host_spec.h"
#include "plan/plan.h"
#include "plugin/loader.h"
#include "util/log.h"

namespace ferry::client {

struct ProcessConfig {
  std::optional<config::Config> config;  // nullopt: see error
  std::string error;                     // "FILE:LINE:COLUMN: ..." (one line)
};

// Reads the layers for this process: the current directory, the real
// environment and `--set KEY=VALUE` assignments.
ProcessConfig load_process_config(const std::vector<std::string>& sets);

// log.file / log.verbose / log.quiet; the environment alone when the
// configuration could not be read.
Logger make_logger(const ProcessConfig& pc, std::string program);

// The settings the schema covers come from the configuration (which already
// holds the environment layer); the rest from settings_from_env().
llvm::Expected<ClientSettings> settings_from_config(const config::Config& c);

// The host list: hosts.group / hosts.list when some layer set one, else the
// environment and hosts files (hosts::find_host_list).
std::optional<hosts::HostListSource> host_list_source(const config::Config& c);

// The plugin for a compiler: the one compilers.NAME names when mapped,
// else the one whose manifest claims the name.
llvm::Expected<std::unique_ptr<plugin::LoadedPlugin>> load_plugin_for(
    const config::Config& c, const std::vector<std::string>& dirs,
    const std::string& compiler_basename);

// Site rules on a finished plan: local.* rules make it local, with the rule
// and its file:line as the reason; else remote.names rewrites the compiler
// run on the host.
void apply_policy(const config::Config& c, const std::string& compiler_basename,
                  const std::vector<std::string>& args, const std::string& cwd,
                  plan::Plan& plan);

// local.compilers before any plugin is loaded (a compiler kept local may
// have no plugin at all): the reason, or nullopt.
std::optional<std::string> early_local_reason(const config::Config& c,
                                              const std::string& compiler_basename);

}  // namespace ferry::client
