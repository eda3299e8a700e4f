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
      {"first", "/a/first.so", "/a/first.plugin", {"gcc", "*-gcc-[0-9]*"}},
      {"second", "/b/second.so", "/b/second.plugin", {"gcc", "clang*"}},
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

}  // namespace
}  // namespace ferry::plugin
