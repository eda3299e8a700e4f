// Choosing a plugin: mapping, probe of an ambiguous name (cached), name globs.
#include "identify/choose.h"

#include <gtest/gtest.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "util/error.h"

namespace ferry::identify {
namespace {

namespace fs = std::filesystem;

plugin::Manifest manifest(std::string name, std::vector<std::string> claims,
                          std::vector<std::string> identify = {}) {
  plugin::Manifest m;
  m.name = name;
  m.module_path = "/nonexistent/" + name + ".so";
  m.claims = std::move(claims);
  m.identify = std::move(identify);
  return m;
}

const std::vector<plugin::Manifest> k_manifests = {
    manifest("gcc", {"gcc", "g++", "cc", "c++", "gcc-[0-9]*", "*-gcc"}),
    manifest("suncc", {"suncc", "sunCC"}, {"__SUNPRO_C"}),
};

class Choose : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl = fs::temp_directory_path().string() + "/choose.XXXXXX";
    ASSERT_NE(::mkdtemp(tmpl.data()), nullptr);
    m_root = tmpl;
    fs::create_directories(m_root + "/bin");
    m_options.cache_dir = m_root + "/state/compilers";
    m_options.path = m_root + "/bin";
  }
  void TearDown() override { fs::remove_all(m_root); }

  // A compiler script in bin/ that logs each run to NAME.runs, then runs `target`.
  void make_compiler(const std::string& name, const std::string& target) {
    std::string path = m_root + "/bin/" + name;
    std::ofstream(path) << "#!/bin/sh\necho run >> '" << m_root << "/" << name << ".runs'\nexec '"
                        << target << "' \"$@\"\n";
    ::chmod(path.c_str(), 0755);
  }
  int runs(const std::string& name) {
    std::ifstream in(m_root + "/" + name + ".runs");
    int n = 0;
    std::string line;
    while (std::getline(in, line)) {
      ++n;
    }
    return n;
  }
  Choice choose_ok(const std::string& compiler, const std::string& basename) {
    auto c = choose(k_manifests, compiler, basename, m_options);
    if (!c) {
      ADD_FAILURE() << summarize(c.takeError()).message;
      return {};
    }
    return *c;
  }

  // The chosen plugin's name; a choice without one fails the expectation
  // instead of crashing the test (a probe that timed out under load does that).
  static std::string name_of(const Choice& c) {
    return c.manifest != nullptr ? c.manifest->name : "(no plugin chosen)";
  }

  std::string m_root;
  IdentifyOptions m_options;
};

TEST_F(Choose, TheSiteMappingWinsWithoutAProbe) {
  m_options.map.set("cc", "suncc");
  make_compiler("cc", "/usr/bin/gcc");
  Choice c = choose_ok("cc", "cc");
  ASSERT_NE(c.manifest, nullptr);
  EXPECT_EQ(name_of(c), "suncc");
  EXPECT_EQ(c.by, ChosenBy::Mapping);
  EXPECT_EQ(runs("cc"), 0);
}

TEST_F(Choose, AMappingToAMissingPluginIsAnErrorNamingItsOrigin) {
  m_options.map.set("cc", "nosuch");
  m_options.map_origin = "FERRY_COMPILER_MAP";
  auto c = choose(k_manifests, "cc", "cc", m_options);
  ASSERT_FALSE(static_cast<bool>(c));
  ErrorSummary s = summarize(c.takeError());
  EXPECT_EQ(s.code, ExitCode::CompilerMissing);
  EXPECT_NE(s.message.find("FERRY_COMPILER_MAP maps 'cc' to plugin 'nosuch'"), std::string::npos)
      << s.message;
}

TEST_F(Choose, AnUnambiguousNameGoesByTheGlobsWithoutAProbe) {
  make_compiler("gcc-12", "/usr/bin/gcc");
  Choice c = choose_ok("gcc-12", "gcc-12");
  EXPECT_EQ(name_of(c), "gcc");
  EXPECT_EQ(c.by, ChosenBy::Name);
  EXPECT_EQ(runs("gcc-12"), 0);
}

TEST_F(Choose, AmbiguousCcIsProbedOnceThenCached) {
  make_compiler("cc", FERRY_SUNCC_STANDIN);
  Choice c = choose_ok("cc", "cc");
  ASSERT_NE(c.manifest, nullptr);
  EXPECT_EQ(name_of(c), "suncc");
  EXPECT_EQ(c.by, ChosenBy::Probe);
  ASSERT_TRUE(c.identity);
  EXPECT_EQ(c.identity->triple, "x86_64-linux-gnu");
  EXPECT_EQ(runs("cc"), 1);
  // The second time: one stat and one read, no compiler run.
  Choice again = choose_ok("cc", "cc");
  EXPECT_EQ(name_of(again), "suncc");
  EXPECT_EQ(runs("cc"), 1);
  // A changed compiler (new size and mtime) is probed again, and is now gcc.
  make_compiler("cc", "/usr/bin/gcc");
  std::ofstream(m_root + "/bin/cc", std::ios::app) << "# a longer script\n";
  Choice changed = choose_ok("cc", "cc");
  EXPECT_EQ(name_of(changed), "gcc");
  EXPECT_EQ(runs("cc"), 2);
}

TEST_F(Choose, AnUnknownWrapperNameIsProbed) {
  make_compiler("site-cc-wrapper", "/usr/bin/gcc");
  Choice c = choose_ok("site-cc-wrapper", "site-cc-wrapper");
  ASSERT_NE(c.manifest, nullptr);
  EXPECT_EQ(name_of(c), "gcc");
  EXPECT_EQ(c.by, ChosenBy::Probe);
}

TEST_F(Choose, APathIsProbedAsGiven) {
  make_compiler("mycc", FERRY_SUNCC_STANDIN);
  Choice c = choose_ok(m_root + "/bin/mycc", "mycc");
  EXPECT_EQ(name_of(c), "suncc");
}

TEST_F(Choose, AFailedProbeFallsBackToTheGlobs) {
  make_compiler("cc", "/bin/false");
  Choice c = choose_ok("cc", "cc");
  EXPECT_EQ(name_of(c), "gcc");
  EXPECT_EQ(c.by, ChosenBy::Name);
}

TEST_F(Choose, NothingFitsIsCompilerMissing) {
  auto c = choose(k_manifests, "nosuchcc", "nosuchcc", m_options);
  ASSERT_FALSE(static_cast<bool>(c));
  EXPECT_EQ(summarize(c.takeError()).code, ExitCode::CompilerMissing);
}

TEST_F(Choose, FerryItselfOnPathIsNeverTakenForTheCompiler) {
  // A masquerade directory (cc -> ferry) first on PATH, the real cc after it.
  fs::create_directories(m_root + "/masq");
  std::string self = m_root + "/ferry";
  std::ofstream(self) << "#!/bin/sh\nexit 99\n";
  ::chmod(self.c_str(), 0755);
  fs::create_symlink(self, m_root + "/masq/cc");
  make_compiler("cc", "/usr/bin/gcc");
  m_options.self_exe = self;
  m_options.path = m_root + "/masq:" + m_root + "/bin";
  auto key = locate_compiler("cc", m_options);
  ASSERT_TRUE(key);
  EXPECT_EQ(key->path, m_root + "/bin/cc");
}

TEST_F(Choose, GenericNamesAreAmbiguousEvenWhenClaimed) {
  EXPECT_TRUE(is_ambiguous(k_manifests, "cc"));
  EXPECT_TRUE(is_ambiguous(k_manifests, "c++"));
  EXPECT_TRUE(is_ambiguous(k_manifests, "CC"));
  EXPECT_TRUE(is_ambiguous(k_manifests, "wrapper"));
  EXPECT_FALSE(is_ambiguous(k_manifests, "gcc"));
  EXPECT_FALSE(is_ambiguous(k_manifests, "suncc"));
}

// Through the real built plugins: a mapped plugin is loaded although its
// claims() does not take the name.
TEST_F(Choose, LoadsTheMappedBuiltPlugin) {
  m_options.map.set("cc", "suncc");
  auto loaded = load_for_compiler({FERRY_BUILD_PLUGIN_DIR}, "cc", "cc", m_options);
  ASSERT_TRUE(static_cast<bool>(loaded)) << summarize(loaded.takeError()).message;
  EXPECT_STREQ((*loaded)->table().name, "suncc");
  EXPECT_EQ((*loaded)->table().claims("cc"), 0);
}

TEST_F(Choose, OptionsFromEnvReadTheMapAndTheStateDirectory) {
  ::setenv("FERRY_COMPILER_MAP", "cc=suncc", 1);
  ::setenv("FERRY_DIR", (m_root + "/fd").c_str(), 1);
  auto o = options_from_env();
  ASSERT_TRUE(static_cast<bool>(o));
  EXPECT_EQ(o->map.lookup("cc"), "suncc");
  EXPECT_EQ(o->cache_dir, m_root + "/fd/compilers");
  ::setenv("FERRY_COMPILER_MAP", "cc", 1);
  auto bad = options_from_env();
  ASSERT_FALSE(static_cast<bool>(bad));
  EXPECT_EQ(summarize(bad.takeError()).code, ExitCode::BadArguments);
  ::unsetenv("FERRY_COMPILER_MAP");
  ::unsetenv("FERRY_DIR");
}

}  // namespace
}  // namespace ferry::identify
