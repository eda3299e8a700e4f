#include "state/job_state.h"

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "test_dir.h"

namespace ferry::state {
namespace {

TEST(JobState, WrittenUpdatedAndRemoved) {
  TestDir d;
  {
    JobStateFile f = JobStateFile::create(d.path(), "src/a.c");
    f.update("127.0.0.1:3632", "compile");
    auto jobs = list_jobs(d.path(), false);
    ASSERT_EQ(jobs.size(), 1U);
    EXPECT_EQ(jobs[0].pid, ::getpid());
    EXPECT_EQ(jobs[0].host, "127.0.0.1:3632");
    EXPECT_EQ(jobs[0].phase, "compile");
    EXPECT_EQ(jobs[0].input, "src/a.c");
    f.update("h", "send");  // shorter: the old tail must not remain
    jobs = list_jobs(d.path(), false);
    ASSERT_EQ(jobs.size(), 1U);
    EXPECT_EQ(jobs[0].host, "h");
    EXPECT_EQ(jobs[0].input, "src/a.c");
  }
  EXPECT_TRUE(list_jobs(d.path(), false).empty());
  EXPECT_TRUE(std::filesystem::is_empty(d.path())) << "the job file was not removed";
}

TEST(JobState, StaleFilesOfDeadProcessesAreIgnoredAndRemoved) {
  TestDir d;
  pid_t child = ::fork();
  if (child == 0) {
    JobStateFile f = JobStateFile::create(d.path(), "dead.c");
    f.update("h:1", "compile");
    ::_exit(0);  // as a killed ferry: no destructor runs, the file stays
  }
  ::waitpid(child, nullptr, 0);
  std::string path = d.path() + "/job_" + std::to_string(child);
  ASSERT_TRUE(std::filesystem::exists(path));
  EXPECT_TRUE(list_jobs(d.path(), false).empty());
  EXPECT_TRUE(std::filesystem::exists(path));
  EXPECT_TRUE(list_jobs(d.path(), true).empty());
  EXPECT_FALSE(std::filesystem::exists(path));
}

TEST(JobState, RemovedBeforeExecAndOnReassignment) {
  TestDir d;
  std::string path = d.path() + "/job_" + std::to_string(::getpid());
  JobStateFile f = JobStateFile::create(d.path(), "a.c");
  f.update("h:1", "connect");
  ASSERT_TRUE(std::filesystem::exists(path));
  JobStateFile moved = std::move(f);  // the moved-from one must not unlink it
  f.update("h:1", "send");            // harmless no-op
  { JobStateFile gone = std::move(f); }
  EXPECT_TRUE(std::filesystem::exists(path));
  moved.remove();  // what ferry does before exec'ing a local compile
  EXPECT_FALSE(std::filesystem::exists(path));
  moved.remove();  // twice is fine
  JobStateFile g = JobStateFile::create(d.path(), "b.c");
  ASSERT_TRUE(std::filesystem::exists(path));
  g = JobStateFile();  // assigning over a live file removes it
  EXPECT_FALSE(std::filesystem::exists(path));
}

TEST(JobState, ReusedPidIsStale) {
  TestDir d;
  // A file claiming our pid but written long before this process started.
  JobInfo old{::getpid(), 1000, "h:1", "compile", "old.c"};
  std::ofstream(d.path() + "/job_" + std::to_string(::getpid())) << format_job(old);
  EXPECT_TRUE(list_jobs(d.path(), true).empty());
}

TEST(JobState, TornLinesAreSkipped) {
  EXPECT_EQ(parse_job("12\t34\th\tcompile\tx.c").pid, 0);  // no newline yet
  EXPECT_EQ(parse_job("12\t34\th\n").pid, 0);
  JobInfo j = parse_job("12\t34\th\tcompile\tdir with space/x.c\n");
  EXPECT_EQ(j.pid, 12);
  EXPECT_EQ(j.started_ms, 34);
  EXPECT_EQ(j.input, "dir with space/x.c");
}

}  // namespace
}  // namespace ferry::state
