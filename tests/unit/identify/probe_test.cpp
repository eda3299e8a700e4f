// The macro probe: its rule order, the parsing of its output, and real
// compilers (gcc, clang-14, the Sun stand-in, tcc when installed).
#include "identify/probe.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <sstream>

#include "util/error.h"

namespace ferry::identify {
namespace {

plugin::Manifest identifying_manifest(std::string name, std::vector<std::string> identify) {
  plugin::Manifest m;
  m.name = std::move(name);
  m.identify = std::move(identify);
  return m;
}

std::vector<std::string> macros(const std::vector<ProbeRule>& rules) {
  std::vector<std::string> out;
  for (const auto& r : rules) {
    out.push_back(r.macro + "=" + r.plugin);
  }
  return out;
}

TEST(ProbeRules, SpecificMacrosFirstThenManifestsThenTheImitatedOnes) {
  auto rules = probe_rules({identifying_manifest("tcc", {"__TINYC__"}),
                            // An imitated macro in a manifest cannot jump ahead of clang.
                            identifying_manifest("weird", {"__GNUC__", "bad macro", "__WEIRD__"}),
                            identifying_manifest("suncc", {"__SUNPRO_C"})});
  EXPECT_EQ(macros(rules),
            (std::vector<std::string>{"__INTEL_LLVM_COMPILER=icc", "__INTEL_COMPILER=icc",
                                      "__SUNPRO_C=suncc", "__SUNPRO_CC=suncc", "__TINYC__=tcc",
                                      "__WEIRD__=weird", "__clang__=clang", "__GNUC__=gcc"}));
}

TEST(ProbeOutput, TheFirstRuleThatHitWinsWhateverTheOutputOrder) {
  auto rules = probe_rules({});
  // icc defines __GNUC__ too; clang-based icx defines __clang__ as well.
  std::string text =
      "# 1 \"probe.c\"\n"
      "FERRY_PROBE_HIT 5 12\n"
      "FERRY_PROBE_HIT 4 1\n"
      "FERRY_PROBE_HIT 1 2021\n"
      "\n"
      "FERRY_PROBE_ARCH \"x86_64\"\n"
      "FERRY_PROBE_OS  \"linux-gnu\"\n";
  Identity id = parse_probe_output(text, rules);
  EXPECT_EQ(id.plugin, "icc");
  EXPECT_EQ(id.macro, "__INTEL_COMPILER");
  EXPECT_EQ(id.version, "2021");
  EXPECT_EQ(id.triple, "x86_64-linux-gnu");
}

TEST(ProbeOutput, VersionComesFromVersionMacroWhenDefined) {
  auto rules = probe_rules({});
  Identity id = parse_probe_output(
      "FERRY_PROBE_HIT 5 12\nFERRY_PROBE_VERSION \"12.2.0\"\nFERRY_PROBE_ARCH \"aarch64\"\n"
      "FERRY_PROBE_OS \"linux\"\n",
      rules);
  EXPECT_EQ(id.plugin, "gcc");
  EXPECT_EQ(id.version, "12.2.0");
  EXPECT_EQ(id.triple, "aarch64-linux");
}

TEST(ProbeOutput, NothingMatchedIsAnUnknownCompiler) {
  Identity id = parse_probe_output("FERRY_PROBE_ARCH \"sparcv9\"\nFERRY_PROBE_OS \"solaris\"\n",
                                   probe_rules({}));
  EXPECT_TRUE(id.plugin.empty());
  EXPECT_EQ(id.triple, "sparcv9-solaris");
}

Identity probe_or_die(const std::string& path, const std::vector<ProbeRule>& rules) {
  auto id = run_probe(path, rules);
  if (!id) {
    ADD_FAILURE() << summarize(id.takeError()).message;
    return {};
  }
  return *id;
}

TEST(RealProbe, Gcc) {
  Identity id = probe_or_die("/usr/bin/gcc", probe_rules({}));
  EXPECT_EQ(id.plugin, "gcc");
  EXPECT_EQ(id.version.substr(0, 3), "12.");
  EXPECT_EQ(id.triple, "x86_64-linux-gnu");
}

TEST(RealProbe, ClangIsNotTakenForGcc) {
  Identity id = probe_or_die("/usr/bin/clang-14", probe_rules({}));
  EXPECT_EQ(id.plugin, "clang");
  EXPECT_EQ(id.macro, "__clang__");
  EXPECT_NE(id.version.find("14."), std::string::npos) << id.version;
}

TEST(RealProbe, TheSunStandInIsSunsThoughItDefinesGnucToo) {
  Identity id = probe_or_die(FERRY_SUNCC_STANDIN, probe_rules({}));
  EXPECT_EQ(id.plugin, "suncc");
  EXPECT_EQ(id.macro, "__SUNPRO_C");
  // gcc underneath defines __VERSION__; the identity records it.
  EXPECT_FALSE(id.version.empty());
}

TEST(RealProbe, AManifestTeachesTheProbeANewCompiler) {
  if (::access("/usr/bin/tcc", X_OK) != 0) {
    GTEST_SKIP() << "tcc is not installed (scripts/install-deps.sh installs it)";
  }
  Identity id = probe_or_die("/usr/bin/tcc", probe_rules({identifying_manifest("tcc", {"__TINYC__"})}));
  EXPECT_EQ(id.plugin, "tcc");
  // tcc defines __linux__ but not __gnu_linux__.
  EXPECT_EQ(id.triple, "x86_64-linux");
}

TEST(RealProbe, AProgramThatIsNoCompilerIsAnError) {
  auto id = run_probe("/bin/false", probe_rules({}));
  ASSERT_FALSE(static_cast<bool>(id));
  ErrorSummary s = summarize(id.takeError());
  EXPECT_EQ(s.code, ExitCode::CompilerMissing);
  EXPECT_NE(s.message.find("/bin/false"), std::string::npos) << s.message;
}

// A compiler that hangs on -E: the probe gives up after its timeout and
// kills the whole process group (here a `sleep` the script started, which
// would otherwise outlive it).
TEST(RealProbe, AHangingCompilerIsKilledWithItsGroupAtTheTimeout) {
  char dir_template[] = "/tmp/ferry-probe-hang.XXXXXX";
  ASSERT_NE(::mkdtemp(dir_template), nullptr);
  std::string dir = dir_template;
  std::string script = dir + "/cc";
  std::string pid_file = dir + "/sleep.pid";
  {
    std::ofstream f(script);
    f << "#!/bin/sh\nsleep 60 &\necho $! > " << pid_file << "\nwait\n";
  }
  ::chmod(script.c_str(), 0755);
  auto start = std::chrono::steady_clock::now();
  auto id = run_probe(script, probe_rules({}), std::chrono::milliseconds(300));
  auto took = std::chrono::steady_clock::now() - start;
  ASSERT_FALSE(static_cast<bool>(id));
  ErrorSummary s = summarize(id.takeError());
  EXPECT_EQ(s.code, ExitCode::Timeout);
  EXPECT_NE(s.message.find("probing " + script + " with -E took longer than 0.3 s"),
            std::string::npos)
      << s.message;
  EXPECT_EQ(s.message.find('\n'), std::string::npos) << "one line";
  EXPECT_LT(took, std::chrono::seconds(5));
  std::ifstream in(pid_file);
  pid_t sleeper = 0;
  in >> sleeper;
  ASSERT_GT(sleeper, 0) << "the script did not start its child";
  // Killed: gone, or a zombie waiting for whoever inherited it.
  bool alive = false;
  for (int i = 0; i < 50; ++i) {
    std::ifstream stat("/proc/" + std::to_string(sleeper) + "/stat");
    std::string line;
    alive = static_cast<bool>(std::getline(stat, line)) &&
            line.find(") Z") == std::string::npos;
    if (!alive) {
      break;
    }
    ::usleep(20000);
  }
  EXPECT_FALSE(alive) << "the probe's child " << sleeper << " survived the timeout";
  if (alive) {
    ::kill(sleeper, SIGKILL);
  }
  ::unlink(pid_file.c_str());
  ::unlink(script.c_str());
  ::rmdir(dir.c_str());
}

}  // namespace
}  // namespace ferry::identify
