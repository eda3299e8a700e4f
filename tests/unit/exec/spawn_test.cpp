#include "exec/spawn.h"

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "exec/temp_file.h"
#include "util/error.h"

namespace ferry::exec {
namespace {

TEST(Spawn, ExitStatusPassesThrough) {
  auto pid = spawn({"sh", "-c", "exit 3"}, {});
  ASSERT_TRUE(static_cast<bool>(pid));
  int status = wait_for(*pid);
  EXPECT_TRUE(WIFEXITED(status));
  EXPECT_EQ(exit_code_of(status), 3);
}

TEST(Spawn, ASignalBecomes128PlusN) {
  auto pid = spawn({"sh", "-c", "kill -SEGV $$"}, {});
  ASSERT_TRUE(static_cast<bool>(pid));
  int status = wait_for(*pid);
  EXPECT_TRUE(WIFSIGNALED(status));
  EXPECT_EQ(exit_code_of(status), 128 + SIGSEGV);
}

TEST(Spawn, RedirectsOutputAndSetsEnvironmentAndDirectory) {
  auto out = TempFile::create(temp_dir(), "spawn_test_", ".out");
  ASSERT_TRUE(static_cast<bool>(out));
  SpawnOptions opts;
  opts.stdout_fd = out->fd();
  opts.cwd = "/";
  opts.env_overrides = {"FERRY_SPAWN_TEST=hello"};
  auto pid = spawn({"sh", "-c", "echo \"$FERRY_SPAWN_TEST $(pwd)\""}, opts);
  ASSERT_TRUE(static_cast<bool>(pid));
  EXPECT_EQ(wait_for(*pid), 0);
  auto text = out->read_all();
  ASSERT_TRUE(static_cast<bool>(text));
  EXPECT_EQ(*text, "hello /\n");
}

TEST(Spawn, AMissingProgramIsCompilerMissing) {
  auto pid = spawn({"ferry-no-such-program-xyz", "-c", "x.c"}, {});
  ASSERT_FALSE(static_cast<bool>(pid));
  ErrorSummary s = summarize(pid.takeError());
  EXPECT_EQ(s.code, ExitCode::CompilerMissing);
  EXPECT_NE(s.message.find("ferry-no-such-program-xyz"), std::string::npos);
}

TEST(FindProgram, SearchesPathInOrderAndSkipsNonExecutables) {
  namespace fs = std::filesystem;
  fs::path root = fs::temp_directory_path() / ("ferry-find-" + std::to_string(::getpid()));
  fs::create_directories(root / "a");
  fs::create_directories(root / "b");
  std::ofstream(root / "a/tool") << "not executable";
  std::ofstream(root / "b/tool") << "#!/bin/sh\n";
  fs::permissions(root / "b/tool", fs::perms::owner_all);
  std::string path = (root / "a").string() + ":" + (root / "b").string();
  EXPECT_EQ(find_program("tool", path), (root / "b/tool").string());
  EXPECT_EQ(find_program("absent", path), "");
  EXPECT_EQ(find_program((root / "b/tool").string(), ""), (root / "b/tool").string());
  fs::remove_all(root);
}

}  // namespace
}  // namespace ferry::exec
