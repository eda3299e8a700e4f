#include "identify/probe.h"

#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <unistd.h>

#include <array>
#include <cctype>
#include <fstream>
#include <set>
#include <sstream>

#include "exec/spawn.h"
#include "exec/temp_file.h"
#include "util/error.h"
#include "util/unique_fd.h"

namespace ferry::identify {
namespace {

constexpr std::array<std::pair<const char*, const char*>, 4> k_specific = {{
    {"__INTEL_LLVM_COMPILER", "icc"},
    {"__INTEL_COMPILER", "icc"},
    {"__SUNPRO_C", "suncc"},
    {"__SUNPRO_CC", "suncc"},
}};
// Imitated by other compilers, so tried last, in this order.
constexpr std::array<std::pair<const char*, const char*>, 2> k_imitated = {{
    {"__clang__", "clang"},
    {"__GNUC__", "gcc"},
}};

// Target macros -> the parts of a triple. First match wins. The values are
// string literals because bare words may be macros themselves (gcc defines
// `linux` and `unix` as 1 in its GNU modes, `i386` on x86).
constexpr const char* k_target_block = R"(#if defined(__x86_64__) || defined(__x86_64) || defined(__amd64__)
FERRY_PROBE_ARCH "x86_64"
#elif defined(__i386__) || defined(__i386)
FERRY_PROBE_ARCH "i386"
#elif defined(__aarch64__)
FERRY_PROBE_ARCH "aarch64"
#elif defined(__arm__)
FERRY_PROBE_ARCH "arm"
#elif defined(__sparcv9) || (defined(__sparc__) && defined(__arch64__))
FERRY_PROBE_ARCH "sparcv9"
#elif defined(__sparc__) || defined(__sparc)
FERRY_PROBE_ARCH "sparc"
#elif defined(__powerpc64__) && defined(__LITTLE_ENDIAN__)
FERRY_PROBE_ARCH "powerpc64le"
#elif defined(__powerpc64__)
FERRY_PROBE_ARCH "powerpc64"
#elif defined(__riscv) && defined(__riscv_xlen) && __riscv_xlen == 64
FERRY_PROBE_ARCH "riscv64"
#elif defined(__s390x__)
FERRY_PROBE_ARCH "s390x"
#else
FERRY_PROBE_ARCH "unknown"
#endif
#if defined(__linux__) || defined(__linux)
#if defined(__gnu_linux__)
FERRY_PROBE_OS "linux-gnu"
#else
FERRY_PROBE_OS "linux"
#endif
#elif defined(__sun) && defined(__SVR4)
FERRY_PROBE_OS "solaris"
#elif defined(__FreeBSD__)
FERRY_PROBE_OS "freebsd"
#elif defined(__APPLE__)
FERRY_PROBE_OS "darwin"
#elif defined(_WIN32)
FERRY_PROBE_OS "windows"
#else
FERRY_PROBE_OS "unknown"
#endif
#ifdef __VERSION__
FERRY_PROBE_VERSION __VERSION__
#endif
)";

std::string_view trim(std::string_view s) {
  size_t b = s.find_first_not_of(" \t\r");
  if (b == std::string_view::npos) {
    return {};
  }
  return s.substr(b, s.find_last_not_of(" \t\r") - b + 1);
}

// Preprocessors may put spaces between tokens; collapse runs of blanks.
std::string squeeze(std::string_view s) {
  std::string out;
  for (char c : trim(s)) {
    if ((c == ' ' || c == '\t') && !out.empty() && out.back() == ' ') {
      continue;
    }
    out += c == '\t' ? ' ' : c;
  }
  return out;
}

std::string unquote(std::string s) {
  if (s.size() >= 2 && s.front() == '"' && s.back() == '"') {
    return s.substr(1, s.size() - 2);
  }
  return s;
}

bool is_identifier(const std::string& s) {
  if (s.empty() || (std::isdigit(static_cast<unsigned char>(s[0])) != 0)) {
    return false;
  }
  for (char c : s) {
    if (std::isalnum(static_cast<unsigned char>(c)) == 0 && c != '_') {
      return false;
    }
  }
  return true;
}

// "5" for 5000 ms, "0.3" for 300 ms.
std::string seconds_of(std::chrono::milliseconds t) {
  std::string out = std::to_string(t.count() / 1000);
  if (long long ms = t.count() % 1000; ms != 0) {
    std::string frac = std::to_string(ms + 1000).substr(1);
    out += "." + frac.substr(0, frac.find_last_not_of('0') + 1);
  }
  return out;
}

}  // namespace

std::string identity_text(const Identity& id) {
  if (id.plugin.empty()) {
    return {};
  }
  std::string text = id.plugin + " " + id.triple + " " + (id.version.empty() ? "-" : id.version);
  for (char& c : text) {
    if (c == '\n' || c == '\r' || c == '\t') {
      c = ' ';  // one line, whatever __VERSION__ holds
    }
  }
  return text;
}

std::vector<ProbeRule> probe_rules(const std::vector<plugin::Manifest>& manifests) {
  std::vector<ProbeRule> rules;
  std::set<std::string> seen;
  auto add = [&](const std::string& macro, const std::string& plugin) {
    if (is_identifier(macro) && seen.insert(macro).second) {
      rules.push_back({macro, plugin});
    }
  };
  std::set<std::string> imitated;
  for (const auto& [macro, plugin] : k_imitated) {
    imitated.insert(macro);
  }
  for (const auto& [macro, plugin] : k_specific) {
    add(macro, plugin);
  }
  for (const auto& m : manifests) {
    for (const auto& macro : m.identify) {
      if (imitated.count(macro) == 0) {
        add(macro, m.name);
      }
    }
  }
  for (const auto& [macro, plugin] : k_imitated) {
    add(macro, plugin);
  }
  return rules;
}

std::string probe_source(const std::vector<ProbeRule>& rules) {
  std::string out = "/* ferry compiler probe: which compiler is this? */\n";
  for (size_t i = 0; i < rules.size(); ++i) {
    out += "#if defined(" + rules[i].macro + ")\nFERRY_PROBE_HIT " + std::to_string(i) + " " +
           rules[i].macro + "\n#endif\n";
  }
  return out + k_target_block;
}

Identity parse_probe_output(std::string_view text, const std::vector<ProbeRule>& rules) {
  Identity id;
  std::string arch = "unknown";
  std::string os = "unknown";
  size_t best = rules.size();
  std::string best_value;
  std::string version;
  std::istringstream in{std::string(text)};
  std::string line;
  while (std::getline(in, line)) {
    std::string l = squeeze(line);
    if (l.empty() || l[0] == '#') {
      continue;
    }
    std::istringstream words(l);
    std::string key;
    words >> key;
    std::string rest = squeeze(l.substr(key.size()));
    if (key == "FERRY_PROBE_HIT") {
      std::istringstream r(rest);
      size_t index = rules.size();
      r >> index;
      if (index < best) {
        best = index;
        std::string value;
        std::getline(r, value);
        best_value = squeeze(value);
      }
    } else if (key == "FERRY_PROBE_ARCH") {
      arch = unquote(rest);
    } else if (key == "FERRY_PROBE_OS") {
      os = unquote(rest);
    } else if (key == "FERRY_PROBE_VERSION") {
      version = unquote(rest);
    }
  }
  if (best < rules.size()) {
    id.plugin = rules[best].plugin;
    id.macro = rules[best].macro;
    id.version = version.empty() ? best_value : version;
  }
  id.triple = arch + "-" + os;
  return id;
}

llvm::Expected<Identity> run_probe(const std::string& compiler_path,
                                   const std::vector<ProbeRule>& rules,
                                   std::chrono::milliseconds timeout) {
  std::string dir = exec::temp_dir() + "/ferry-probe.XXXXXX";
  if (::mkdtemp(dir.data()) == nullptr) {
    return make_error(ExitCode::IoError, "cannot create a directory for the compiler probe in " +
                                             exec::temp_dir());
  }
  std::string source = dir + "/probe.c";
  std::string output = dir + "/probe.out";
  auto cleanup = [&] {
    ::unlink(source.c_str());
    ::unlink(output.c_str());
    ::rmdir(dir.c_str());
  };
  {
    std::ofstream f(source);
    f << probe_source(rules);
  }
  UniqueFd out(::open(output.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600));
  UniqueFd null(::open("/dev/null", O_WRONLY | O_CLOEXEC));
  exec::SpawnOptions opts;
  opts.stdout_fd = out.get();
  opts.stderr_fd = null.get();
  opts.cwd = dir;
  opts.env_overrides = {"LC_ALL=C"};
  // Its own group, so that a timeout kills what it started (cpp, a
  // wrapper's children) too.
  opts.new_process_group = true;
  auto pid = exec::spawn({compiler_path, "-E", "probe.c"}, opts);
  if (!pid) {
    cleanup();
    return pid.takeError();
  }
  std::optional<int> waited = exec::wait_for_timeout(*pid, timeout);
  if (!waited) {
    ::kill(-*pid, SIGKILL);
    exec::wait_for(*pid);
    cleanup();
    return make_error(ExitCode::Timeout,
                      "probing " + compiler_path + " with -E took longer than " +
                          seconds_of(timeout) + " s; killed it (does the compiler hang?)");
  }
  int status = exec::exit_code_of(*waited);
  out.reset();
  std::ifstream in(output);
  std::stringstream text;
  text << in.rdbuf();
  cleanup();
  if (status != 0) {
    return make_error(ExitCode::CompilerMissing,
                      "probing " + compiler_path + " with -E failed (status " +
                          std::to_string(status) + ")");
  }
  return parse_probe_output(text.str(), rules);
}

}  // namespace ferry::identify
