// The plan against the real gcc: a local compile in one directory, the plan's
// preprocessor + remote compile in another, and the .d files (and objects)
// compared byte for byte. Skipped when gcc is not installed.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "gcc_test_util.h"

namespace ferry::gcc::test {
namespace {

// Runs argv in `dir` with stdout and stderr to files; returns the exit status.
int run(const std::string& dir, const Args& argv, const std::string& out_path,
        const std::string& err_path) {
  pid_t pid = ::fork();
  if (pid == 0) {
    if (::chdir(dir.c_str()) != 0) {
      ::_exit(126);
    }
    int out = ::open(out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    int err = ::open(err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (out < 0 || err < 0) {
      ::_exit(126);
    }
    ::dup2(out, 1);
    ::dup2(err, 2);
    std::vector<char*> c;
    for (const auto& a : argv) {
      c.push_back(const_cast<char*>(a.c_str()));
    }
    c.push_back(nullptr);
    ::execvp(c[0], c.data());
    ::_exit(127);
  }
  int status = 0;
  ::waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

std::optional<std::string> slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return std::nullopt;
  }
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

void spit(const std::string& path, const std::string& text) {
  std::ofstream(path, std::ios::binary) << text;
}

class RealGcc : public testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/ferry-gcc-real-XXXXXX";
    ASSERT_NE(::mkdtemp(tmpl), nullptr);
    m_root = tmpl;
    if (run(m_root, {"gcc", "--version"}, "/dev/null", "/dev/null") != 0) {
      GTEST_SKIP() << "gcc is not installed";
    }
  }
  void TearDown() override { std::system(("rm -rf '" + m_root + "'").c_str()); }

  // A small project: a source with a local header, a macro that warns, and
  // an -include-able header.
  std::string make_tree(const std::string& name) {
    std::string d = m_root + "/" + name;
    for (const char* sub : {"", "/src", "/inc", "/build"}) {
      ::mkdir((d + sub).c_str(), 0755);
    }
    spit(d + "/src/a.c",
         "#include \"h.h\"\n"
         "#define SHIFT(x) ((x) << 40)\n"
         "int f(int v) { return SHIFT(v) + X; }\n"
         "const char *where = __FILE__;\n");
    spit(d + "/src/h.h", "#define X 3\n");
    spit(d + "/inc/pre.h", "typedef int pre_int;\n");
    spit(d + "/src/l1.c", "const char *s = \"caf\xe9\";\n#define M \"na\xefve\"\nconst char *t = M;\n");
    return d;
  }

  struct Outcome {
    PlanOut plan;
    std::string local_dir;
    std::string dist_dir;    // where the plan's preprocessor ran
    std::string remote_dir;  // only the preprocessed file: the volunteer
    std::string local_err;
    std::string dist_err;
  };

  // The local compile in L/; the distributed one in D/ (the preprocessor)
  // and R/ (the remote argv, with nothing but the preprocessed file, as on a
  // volunteer).
  Outcome compile_both(const Args& args, const char* strategy = nullptr,
                       const std::string& compiler = "gcc") {
    Outcome o;
    o.local_dir = make_tree("L" + std::to_string(m_case));
    o.dist_dir = make_tree("D" + std::to_string(m_case));
    o.remote_dir = m_root + "/R" + std::to_string(m_case);
    for (const char* sub : {"", "/src", "/build"}) {
      ::mkdir((o.remote_dir + sub).c_str(), 0755);
    }
    ++m_case;
    Args local = {compiler};
    local.insert(local.end(), args.begin(), args.end());
    EXPECT_EQ(run(o.local_dir, local, "/dev/null", m_root + "/local.err"), 0);
    o.local_err = slurp(m_root + "/local.err").value_or("");

    o.plan = plan(args, compiler, strategy, o.dist_dir);
    EXPECT_TRUE(o.plan.distributed()) << o.plan.reason_text;
    if (!o.plan.distributed()) {
      return o;
    }
    // remote_argv names the preprocessed input: write the cpp output there.
    std::string pre = o.plan.input.substr(0, o.plan.input.rfind('.')) + o.plan.preprocessed_ext;
    EXPECT_EQ(run(o.dist_dir, o.plan.cpp_argv, o.dist_dir + "/" + pre, m_root + "/cpp.err"), 0);
    spit(o.remote_dir + "/" + pre, slurp(o.dist_dir + "/" + pre).value_or(""));
    EXPECT_EQ(run(o.remote_dir, o.plan.remote_argv, "/dev/null", m_root + "/remote.err"), 0);
    o.dist_err = slurp(m_root + "/cpp.err").value_or("") +
                 slurp(m_root + "/remote.err").value_or("");
    return o;
  }

  static void expect_same_file(const std::string& local, const std::string& dist) {
    auto l = slurp(local);
    auto d = slurp(dist);
    ASSERT_TRUE(l) << "the local compile wrote no " << local;
    ASSERT_TRUE(d) << "the distributed compile wrote no " << dist;
    EXPECT_EQ(*l, *d) << local << " vs " << dist;
  }

  void expect_same_deps(const Args& args, const std::string& dep_file,
                        const char* strategy = nullptr, const std::string& compiler = "gcc") {
    Outcome o = compile_both(args, strategy, compiler);
    ASSERT_TRUE(o.plan.distributed());
    EXPECT_EQ(o.plan.dep_file, dep_file) << testing::PrintToString(args);
    expect_same_file(o.local_dir + "/" + dep_file, o.dist_dir + "/" + dep_file);
    expect_same_file(o.local_dir + "/" + o.plan.object, o.remote_dir + "/" + o.plan.object);
  }

  std::string m_root;
  int m_case = 0;
};

TEST_F(RealGcc, MDWithObjectInAnotherDirectory) {
  expect_same_deps({"-MD", "-c", "src/a.c", "-o", "build/a.o"}, "build/a.d");
}

TEST_F(RealGcc, MMDWithDottedObject) {
  expect_same_deps({"-MMD", "-c", "src/a.c", "-o", "build/a.x.o"}, "build/a.x.d");
}

TEST_F(RealGcc, ObjectWithoutSuffix) {
  expect_same_deps({"-MD", "-c", "src/a.c", "-o", "build/a"}, "build/a.d");
}

TEST_F(RealGcc, ImpliedObject) {
  expect_same_deps({"-MD", "-c", "src/a.c"}, "a.d");
}

TEST_F(RealGcc, AssemblerOutputWithAndWithoutO) {
  expect_same_deps({"-MD", "-S", "src/a.c"}, "a.d");
  expect_same_deps({"-MD", "-S", "src/a.c", "-o", "build/a.s"}, "build/a.d");
}

TEST_F(RealGcc, GivenMFAndTargets) {
  expect_same_deps({"-MD", "-MF", "build/dep.d", "-c", "src/a.c", "-o", "build/a.o"},
                   "build/dep.d");
  expect_same_deps({"-MMD", "-MT", "tgt", "-MP", "-c", "src/a.c", "-o", "build/a.o"},
                   "build/a.d");
  expect_same_deps({"-MD", "-MQ", "q$ t", "-c", "src/a.c", "-o", "build/a.o"}, "build/a.d");
}

TEST_F(RealGcc, ObjectNameNeedingQuotes) {
  expect_same_deps({"-MD", "-c", "src/a.c", "-o", "build/a$ b.o"}, "build/a$ b.d");
}

TEST_F(RealGcc, KernelStyleWp) {
  expect_same_deps({"-Wp,-MD,build/.a.o.d", "-c", "src/a.c", "-o", "build/a.o"},
                   "build/.a.o.d");
  expect_same_deps({"-Wp,-MMD,build/k.d", "-c", "src/a.c"}, "build/k.d");
  expect_same_deps({"-Xpreprocessor", "-MD", "-Xpreprocessor", "build/x.d", "-c", "src/a.c",
                    "-o", "build/a.o"},
                   "build/x.d");
}

TEST_F(RealGcc, IncludeAndCxx) {
  expect_same_deps(
      {"-Iinc", "-include", "pre.h", "-MD", "-c", "src/a.c", "-o", "build/a.o"}, "build/a.d");
  expect_same_deps({"-x", "c++", "-MD", "-c", "src/a.c", "-o", "build/a.o"}, "build/a.d");
}

TEST_F(RealGcc, GxxCompilesDotCAsCxx) {
  // The object has C++ symbols (f(int) is mangled): compiled as C it would not match.
  expect_same_deps({"-MD", "-c", "src/a.c", "-o", "build/a.o"}, "build/a.d", nullptr, "g++");
}

TEST_F(RealGcc, PlainStrategy) {
  expect_same_deps({"-MD", "-c", "src/a.c", "-o", "build/a.o"}, "build/a.d", "plain");
}

// The preprocessor converts a Latin-1 source to UTF-8; the compile must not
// convert it a second time (distcc sends -finput-charset to both).
TEST_F(RealGcc, InputCharsetIsThePreprocessorsJob) {
  for (const char* strategy : {"directives-only", "plain"}) {
    Outcome o = compile_both({"-finput-charset=latin1", "-c", "src/l1.c", "-o", "build/l1.o"},
                             strategy);
    ASSERT_TRUE(o.plan.distributed());
    expect_same_file(o.local_dir + "/build/l1.o", o.remote_dir + "/build/l1.o");
    EXPECT_EQ(std::count(o.plan.remote_argv.begin(), o.plan.remote_argv.end(),
                         "-finput-charset=latin1"),
              0);
  }
}

// With -fdirectives-only, macros expand on the volunteer, so a warning
// inside a macro reads as it does locally (file, line, column and the "in
// expansion of macro" note). Only the source excerpts need the source file,
// which a volunteer does not have: compared here without them.
TEST_F(RealGcc, DiagnosticsMatchALocalCompile) {
  Outcome o = compile_both({"-Wall", "-fno-diagnostics-show-caret", "-c", "src/a.c", "-o",
                            "build/a.o"});
  ASSERT_TRUE(o.plan.distributed());
  ASSERT_NE(o.local_err.find("in expansion of macro"), std::string::npos)
      << o.local_err;
  EXPECT_EQ(o.local_err, o.dist_err);
  expect_same_file(o.local_dir + "/build/a.o", o.remote_dir + "/build/a.o");
}

TEST_F(RealGcc, DebugObjectIsIdenticalWithoutRecordedSwitches) {
  Outcome o = compile_both({"-g", "-gno-record-gcc-switches", "-O1", "-DY=2", "-c", "src/a.c",
                            "-o", "build/a.o"});
  ASSERT_TRUE(o.plan.distributed());
  // The preprocessor's directory (D/) is the compile directory recorded in
  // the debug info, as the local one (L/) is locally: name them alike.
  auto l = slurp(o.local_dir + "/build/a.o");
  auto d = slurp(o.remote_dir + "/build/a.o");
  ASSERT_TRUE(l && d);
  EXPECT_EQ(l->size(), d->size());
  std::string ld = o.local_dir;
  std::string dd = o.dist_dir;
  ASSERT_EQ(ld.size(), dd.size());
  std::string norm = *d;
  for (size_t pos = norm.find(dd); pos != std::string::npos; pos = norm.find(dd, pos)) {
    norm.replace(pos, dd.size(), ld);
  }
  EXPECT_TRUE(norm == *l) << "objects differ beyond the directory name";
}

}  // namespace
}  // namespace ferry::gcc::test
