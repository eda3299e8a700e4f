#include "client/output_file.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "util/error.h"

namespace fs = std::filesystem;

namespace ferry::client {
namespace {

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

class OutputFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    m_dir = fs::temp_directory_path() / ("ferry-out-" + std::to_string(::getpid()));
    fs::create_directories(m_dir);
  }
  void TearDown() override { fs::remove_all(m_dir); }
  fs::path m_dir;
};

TEST_F(OutputFileTest, ReplacesAtomicallyAndLeavesNoTempFiles) {
  auto target = m_dir / "a.o";
  std::ofstream(target) << "old contents that are longer than the new";
  ASSERT_FALSE(static_cast<bool>(write_output(target.string(), std::string("\x7f" "ELF\0x", 6))));
  EXPECT_EQ(slurp(target), std::string("\x7f" "ELF\0x", 6));
  int files = 0;
  for ([[maybe_unused]] const auto& e : fs::directory_iterator(m_dir)) {
    ++files;
  }
  EXPECT_EQ(files, 1);
}

TEST_F(OutputFileTest, HonoursTheUmask) {
  mode_t old = ::umask(027);
  auto target = m_dir / "b.o";
  llvm::Error e = write_output(target.string(), "x");
  ::umask(old);
  ASSERT_FALSE(static_cast<bool>(e));
  struct stat st {};
  ASSERT_EQ(::stat(target.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0640u);
}

TEST_F(OutputFileTest, WritesDevNullInPlace) {
  ASSERT_FALSE(static_cast<bool>(write_output("/dev/null", "object bytes")));
  struct stat st {};
  ASSERT_EQ(::stat("/dev/null", &st), 0);
  EXPECT_TRUE(S_ISCHR(st.st_mode));
}

TEST_F(OutputFileTest, AMissingDirectoryIsAnIoErrorNamingThePath) {
  auto target = m_dir / "no/such/dir/c.o";
  llvm::Error e = write_output(target.string(), "x");
  ASSERT_TRUE(static_cast<bool>(e));
  ErrorSummary s = summarize(std::move(e));
  EXPECT_EQ(s.code, ExitCode::IoError);
  EXPECT_NE(s.message.find("no/such/dir"), std::string::npos) << s.message;
}

TEST_F(OutputFileTest, AFullDiskIsAnIoErrorSayingSo) {
  // /dev/full fails every write with ENOSPC, as a full disk would.
  llvm::Error e = write_output("/dev/full", "x");
  ASSERT_TRUE(static_cast<bool>(e));
  ErrorSummary s = summarize(std::move(e));
  EXPECT_EQ(s.code, ExitCode::IoError);
  EXPECT_NE(s.message.find("No space left on device"), std::string::npos) << s.message;
}

}  // namespace
}  // namespace ferry::client
