#include "config/schema.h"

#include <algorithm>

#include <llvm/ADT/StringRef.h>

#include "config/validators.h"

namespace ferry::config {
namespace {

// Project files come with a source tree someone else wrote: they may choose
// among the site's and user's host groups and add force-local rules, but not
// send sources to a host of their choosing or append to a file of theirs.
constexpr unsigned kNotProject = kAll & ~kProject;
// Daemon policy belongs to whoever runs ferryd: site files and its flags.
constexpr unsigned kDaemon = kSite | kCli;
constexpr double kDay = 24 * 3600;

constexpr KeySpec kKeys[] = {
    // --- the site's own switch: which keys lower layers cannot override
    {"enforce", Type::StringList, "", kSite, nullptr, nullptr, 0, 0, false, validate_key_name,
     nullptr, "keys that user, project, environment and command line cannot override"},

    // --- hosts
    // Not validated here: a bad host list is distcc's exit 106 when it is
    // used (docs/ferry.md), which the client reports with this key's origin.
    {"hosts.list", Type::String, "", kNotProject, "FERRY_HOSTS", "DISTCC_HOSTS", 0, 0, false,
     nullptr, "hosts.group",
     "host list in distcc's syntax; empty: the hosts files (see ferry(1))"},
    {"hosts.group", Type::String, "", kAll, "FERRY_HOST_GROUP", nullptr, 0, 0, false,
     validate_name, "hosts.list", "the entry of hosts.groups to use as the host list"},
    {"hosts.groups", Type::StringMap, "", kSite | kUser, nullptr, nullptr, 0, 0, false,
     validate_host_list, nullptr, "named host lists, one per team: NAME = \"HOSTS\""},

    // --- compilers
    {"compilers", Type::StringMap, "", kAll, "FERRY_COMPILER_MAP", nullptr, 0, 0, false,
     validate_name, nullptr, "compiler name -> plugin that handles it (cc = \"suncc\")"},
    {"remote.names", Type::StringMap, "", kNotProject, nullptr, nullptr, 0, 0, false,
     validate_bare_name, nullptr,
     "compiler name typed -> name run on the host (gcc = \"x86_64-linux-gnu-gcc-12\")"},
    {"remote.require_identity", Type::Bool, "false", kAll, "FERRY_REQUIRE_IDENTITY", nullptr, 0,
     0, false, nullptr, nullptr,
     "send a job only to a host whose compiler identity matches the local one"},

    // --- force-local rules (plain glob matching: core knows no flags)
    {"local.sources", Type::StringList, "", kFiles | kCli, nullptr, nullptr, 0, 0, true,
     validate_glob, nullptr, "source path globs always compiled locally"},
    {"local.compilers", Type::StringList, "", kFiles | kCli, nullptr, nullptr, 0, 0, true,
     validate_glob, nullptr, "compiler name globs always run locally"},
    {"local.flags", Type::StringList, "", kFiles | kCli, nullptr, nullptr, 0, 0, true,
     validate_glob, nullptr, "argument globs that make a job local"},

    // --- client behaviour
    {"client.fallback", Type::Bool, "true", kAll, "FERRY_FALLBACK", "DISTCC_FALLBACK", 0, 0,
     false, nullptr, nullptr, "compile locally when distribution fails"},
    {"client.local_retry", Type::Bool, "false", kAll, "FERRY_LOCAL_RETRY", nullptr, 0, 0, false,
     nullptr, nullptr, "recompile locally when the remote compile fails"},
    {"client.connect_timeout", Type::Seconds, "4", kAll, "FERRY_CONNECT_TIMEOUT", nullptr, 0.001,
     kDay, false, nullptr, nullptr, "seconds to wait for a connection"},
    {"client.io_timeout", Type::Seconds, "300", kAll, "FERRY_IO_TIMEOUT", "DISTCC_IO_TIMEOUT",
     0.001, kDay, false, nullptr, nullptr, "seconds to wait for any network read or write"},
    {"client.backoff_period", Type::Seconds, "60", kAll, "FERRY_BACKOFF_PERIOD",
     "DISTCC_BACKOFF_PERIOD", 0, kDay, false, nullptr, nullptr,
     "seconds a failed host is avoided (0: never)"},
    {"client.strategy", Type::String, "", kAll, "FERRY_STRATEGY", nullptr, 0, 0, false, nullptr,
     nullptr, "the plugin's preprocessing strategy (\"\": its default)"},

    // --- logging
    {"log.file", Type::String, "", kNotProject, "FERRY_LOG", "DISTCC_LOG", 0, 0, false, nullptr,
     nullptr, "append the log to this file"},
    {"log.verbose", Type::Bool, "false", kAll, "FERRY_VERBOSE", "DISTCC_VERBOSE", 0, 0, false,
     nullptr, nullptr, "log what happens to stderr"},
    {"log.quiet", Type::Bool, "false", kAll, "FERRY_QUIET", nullptr, 0, 0, false, nullptr,
     nullptr, "no notice line on local fallback"},

    // --- the daemon (ferryd)
    {"daemon.port", Type::Int, "3632", kDaemon, nullptr, nullptr, 0, 65535, false, nullptr,
     nullptr, "TCP port (--port)"},
    {"daemon.listen", Type::String, "", kDaemon, nullptr, nullptr, 0, 0, false, nullptr, nullptr,
     "address to bind; empty: all (--listen)"},
    {"daemon.allow", Type::StringList, "", kDaemon, nullptr, nullptr, 0, 0, false,
     validate_network, nullptr, "client networks IP[/BITS]; empty: loopback only (--allow)"},
    {"daemon.allowed_compilers", Type::StringList, "", kDaemon, nullptr, nullptr, 0, 0, false,
     validate_bare_name, nullptr,
     "compiler names served; empty: every name a plugin claims"},
    {"daemon.compiler_paths", Type::StringMap, "", kDaemon, nullptr, nullptr, 0, 0, false,
     validate_absolute_path, nullptr, "compiler name -> the executable it resolves to"},
    {"daemon.jobs", Type::Int, "0", kDaemon, nullptr, nullptr, 0, 1000, false, nullptr, nullptr,
     "concurrent jobs; 0: CPUs + 2 (--jobs)"},
    {"daemon.nice", Type::Int, "5", kDaemon, nullptr, nullptr, 0, 19, false, nullptr, nullptr,
     "niceness added to compiles (--nice)"},
    {"daemon.tmpdir", Type::String, "", kDaemon, nullptr, nullptr, 0, 0, false,
     validate_absolute_path_or_empty, nullptr, "where job directories go; empty: $TMPDIR"},
    {"daemon.max_request_size", Type::Size, "2G", kDaemon, nullptr, nullptr, 1024,
     4.0 * 1024 * 1024 * 1024, false, nullptr, nullptr, "largest request accepted, in bytes"},
    {"daemon.job_lifetime", Type::Seconds, "0", kDaemon, nullptr, nullptr, 0, kDay, false,
     nullptr, nullptr, "seconds a compile may run; 0: unlimited (--job-lifetime)"},
    {"daemon.job_memory", Type::Size, "8G", kDaemon, nullptr, nullptr, 0,
     1024.0 * 1024 * 1024 * 1024, false, nullptr, nullptr,
     "address-space limit of a compiler; 0: none (--job-memory, in MiB there)"},
    {"daemon.request_timeout", Type::Seconds, "600", kDaemon, nullptr, nullptr, 1, kDay, false,
     nullptr, nullptr, "seconds for a whole request to arrive (--request-timeout)"},
    {"daemon.stats", Type::Bool, "false", kDaemon, nullptr, nullptr, 0, 0, false, nullptr,
     nullptr, "serve statistics over HTTP (--stats)"},
    {"daemon.stats_port", Type::Int, "3633", kDaemon, nullptr, nullptr, 0, 65535, false, nullptr,
     nullptr, "statistics port (--stats-port)"},
    {"daemon.user", Type::String, "", kDaemon, nullptr, nullptr, 0, 0, false, nullptr, nullptr,
     "user to run as when started as root (--user)"},
    {"daemon.log_file", Type::String, "", kDaemon, nullptr, nullptr, 0, 0, false, nullptr,
     nullptr, "append log lines to this file (--log-file)"},
    {"daemon.plugin_path", Type::StringList, "", kDaemon, nullptr, nullptr, 0, 0, false,
     validate_absolute_path, nullptr, "extra plugin directories (--plugin-path)"},
};

}  // namespace

const char* layer_name(Layer layer) {
  switch (layer) {
    case Layer::Default: return "default";
    case Layer::Site: return "site";
    case Layer::User: return "user";
    case Layer::Project: return "project";
    case Layer::Env: return "environment";
    case Layer::CommandLine: return "command line";
  }
  return "?";
}

const char* type_name(Type type) {
  switch (type) {
    case Type::Bool: return "a boolean (true or false)";
    case Type::Int: return "an integer";
    case Type::Seconds: return "a number of seconds";
    case Type::Size: return "a size (bytes, or a string like \"64M\")";
    case Type::String: return "a string";
    case Type::StringList: return "an array of strings";
    case Type::StringMap: return "a table of strings";
  }
  return "?";
}

std::span<const KeySpec> all_keys() { return kKeys; }

const KeySpec* find_key(std::string_view name) {
  for (const KeySpec& k : kKeys) {
    if (name == k.name) {
      return &k;
    }
  }
  return nullptr;
}

size_t key_index(const KeySpec& spec) { return static_cast<size_t>(&spec - kKeys); }

std::string nearest_key(std::string_view name) {
  std::string best;
  unsigned best_distance = 4;  // beyond 3 edits it is not a typo
  for (const KeySpec& k : kKeys) {
    unsigned d = llvm::StringRef(name).edit_distance(k.name, true, best_distance);
    if (d < best_distance) {
      best_distance = d;
      best = k.name;
    }
  }
  return best;
}

bool is_table_prefix(std::string_view prefix) {
  return std::any_of(std::begin(kKeys), std::end(kKeys), [&](const KeySpec& k) {
    std::string_view n = k.name;
    return n.size() > prefix.size() && n.substr(0, prefix.size()) == prefix &&
           n[prefix.size()] == '.';
  });
}

std::string layers_text(unsigned layers) {
  std::string out;
  for (Layer l : {Layer::Site, Layer::User, Layer::Project, Layer::Env, Layer::CommandLine}) {
    if ((layers & bit(l)) != 0) {
      out += out.empty() ? "" : ", ";
      out += layer_name(l);
    }
  }
  return out;
}

}  // namespace ferry::config
