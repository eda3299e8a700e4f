#include "plugin/loader.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>

#include "util/error.h"

namespace ferry::plugin {
namespace {

std::string fixture_dir(const char* name) { return std::string(FIXTURE_ROOT) + "/" + name; }

std::string error_text(llvm::Error e) { return summarize(std::move(e)).message; }

TEST(PluginLoader, LoadsAGoodPluginAndCallsIt) {
  auto loaded = load_for_compiler({fixture_dir("good")}, "goodcc");
  ASSERT_TRUE(static_cast<bool>(loaded)) << error_text(loaded.takeError());
  const ferry_plugin& t = (*loaded)->table();
  EXPECT_STREQ(t.name, "fixture");
  EXPECT_EQ(t.claims("goodcc"), 1);
  EXPECT_EQ(t.claims("gcc"), 0);
  const char* args[] = {"-c", "x.c"};
  ferry_plan_request req{sizeof(ferry_plan_request), "goodcc", {args, 2}, "/", nullptr};
  ferry_plan* plan = nullptr;
  ASSERT_EQ(t.plan(&req, &plan), 0);
  EXPECT_EQ(plan->verdict, FERRY_VERDICT_LOCAL);
  EXPECT_EQ(plan->local_argv.count, 2u);
  t.free_plan(plan);
}

TEST(PluginLoader, RefusesAWrongAbiVersionInOneLine) {
  auto loaded = load_for_compiler({fixture_dir("wrong_version")}, "goodcc");
  ASSERT_FALSE(static_cast<bool>(loaded));
  ErrorSummary s = summarize(loaded.takeError());
  EXPECT_EQ(s.code, ExitCode::CompilerMissing);
  EXPECT_NE(s.message.find("ABI version 999"), std::string::npos) << s.message;
  EXPECT_NE(s.message.find("needs 1"), std::string::npos) << s.message;
  EXPECT_EQ(s.message.find('\n'), std::string::npos);
}

TEST(PluginLoader, RefusesAMissingEntrySymbolWithDlerror) {
  auto loaded = load_for_compiler({fixture_dir("no_entry")}, "goodcc");
  ASSERT_FALSE(static_cast<bool>(loaded));
  std::string msg = error_text(loaded.takeError());
  EXPECT_NE(msg.find("no entry symbol 'ferry_plugin_entry'"), std::string::npos) << msg;
  // dlerror() names the missing symbol.
  EXPECT_NE(msg.find("undefined symbol: ferry_plugin_entry"), std::string::npos) << msg;
  EXPECT_EQ(msg.find('\n'), std::string::npos);
}

TEST(PluginLoader, RefusesABrokenSharedObjectWithDlerror) {
  auto loaded = load_for_compiler({fixture_dir("broken")}, "goodcc");
  ASSERT_FALSE(static_cast<bool>(loaded));
  std::string msg = error_text(loaded.takeError());
  EXPECT_NE(msg.find("cannot load plugin"), std::string::npos) << msg;
  // dlerror()'s own words for a file that is not ELF.
  EXPECT_NE(msg.find("invalid ELF header"), std::string::npos) << msg;
}

TEST(PluginLoader, NamesTheCompilerAndDirsWhenNothingClaimsIt) {
  auto loaded = load_for_compiler({fixture_dir("good"), "/nonexistent"}, "mystery-cc");
  ASSERT_FALSE(static_cast<bool>(loaded));
  std::string msg = error_text(loaded.takeError());
  EXPECT_NE(msg.find("no plugin claims compiler 'mystery-cc'"), std::string::npos) << msg;
  EXPECT_NE(msg.find("/nonexistent"), std::string::npos) << msg;
}

TEST(PluginLoader, SelectsByGlobInSearchOrderWithoutLoading) {
  std::vector<Manifest> ms = {
      {"first", "/a/first.so", "/a/first.plugin", {"gcc", "*-gcc-[0-9]*"}, {}},
      {"second", "/b/second.so", "/b/second.plugin", {"gcc", "clang*"}, {}},
  };
  ASSERT_NE(select(ms, "gcc"), nullptr);
  EXPECT_EQ(select(ms, "gcc")->name, "first");
  EXPECT_EQ(select(ms, "i686-linux-gcc-3.2")->name, "first");
  EXPECT_EQ(select(ms, "clang-14")->name, "second");
  EXPECT_EQ(select(ms, "icc"), nullptr);
}

TEST(PluginLoader, DirsComeFromTheExecutableThenTheEnvironment) {
  auto dirs = plugin_dirs("/opt/ferry/bin/ferry", "/x/plugins::/y");
  ASSERT_EQ(dirs.size(), 3u);
  EXPECT_EQ(dirs[0], "/opt/ferry/lib/ferry/plugins");
  EXPECT_EQ(dirs[1], "/x/plugins");
  EXPECT_EQ(dirs[2], "/y");
}

TEST(PluginLoader, ManifestErrorsNameFileAndLine) {
  auto dir = std::filesystem::temp_directory_path() / "ferry-manifest-test";
  std::filesystem::create_directories(dir);
  auto path = (dir / "bad.plugin").string();
  std::ofstream(path) << "# comment\nname bad\nclaims gcc\n";
  auto m = read_manifest(path);
  ASSERT_FALSE(static_cast<bool>(m));
  std::string msg = error_text(m.takeError());
  EXPECT_NE(msg.find(path + ":3: unknown keyword 'claims'"), std::string::npos) << msg;
  std::filesystem::remove_all(dir);
}

TEST(PluginLoader, ManifestIdentifyLinesAreRead) {
  std::string dir = ::testing::TempDir() + "/identify-manifest";
  std::filesystem::create_directories(dir);
  std::ofstream(dir + "/sun.plugin") << "name suncc\nclaim suncc\nidentify __SUNPRO_C\n"
                                        "identify __SUNPRO_CC\n";
  auto m = read_manifest(dir + "/sun.plugin");
  ASSERT_TRUE(static_cast<bool>(m)) << error_text(m.takeError());
  EXPECT_EQ(m->name, "suncc");
  EXPECT_EQ(m->identify, (std::vector<std::string>{"__SUNPRO_C", "__SUNPRO_CC"}));
  std::ofstream(dir + "/bad.plugin") << "name x\nidentify\n";
  auto bad = read_manifest(dir + "/bad.plugin");
  ASSERT_FALSE(static_cast<bool>(bad));
  EXPECT_NE(error_text(bad.takeError()).find("bad.plugin:2:"), std::string::npos);
  std::filesystem::remove_all(dir);
}

TEST(PluginLoader, FindsAManifestByPluginName) {
  std::vector<Manifest> ms = {
      {"gcc", "/a/gcc.so", "/a/gcc.plugin", {"cc"}, {}},
      {"suncc", "/a/suncc.so", "/a/suncc.plugin", {"suncc"}, {"__SUNPRO_C"}},
      {"suncc", "/b/suncc.so", "/b/suncc.plugin", {"suncc"}, {}},
  };
  ASSERT_NE(find_by_name(ms, "suncc"), nullptr);
  EXPECT_EQ(find_by_name(ms, "suncc")->module_path, "/a/suncc.so");
  EXPECT_EQ(find_by_name(ms, "clang"), nullptr);
}

TEST(PluginLoader, LoadClaimedRefusesAModuleThatDisownsTheName) {
  auto ms = scan({fixture_dir("good")});
  ASSERT_TRUE(static_cast<bool>(ms)) << error_text(ms.takeError());
  ASSERT_EQ(ms->size(), 1u);
  auto loaded = load_claimed(ms->front(), "othercc");
  ASSERT_FALSE(static_cast<bool>(loaded));
  EXPECT_NE(error_text(loaded.takeError()).find("does not claim 'othercc'"), std::string::npos);
  auto ok = load_claimed(ms->front(), "goodcc");
  EXPECT_TRUE(static_cast<bool>(ok));
  if (!ok) {
    llvm::consumeError(ok.takeError());
  }
}

}  // namespace
}  // namespace ferry::plugin
