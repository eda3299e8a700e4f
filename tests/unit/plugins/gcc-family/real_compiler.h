// A fixture for checking a plugin's plans against the real compiler: a
// local compile in one directory, the plan's preprocessor + remote compile
// in another, and the .d files (and objects) compared byte for byte.
// Skipped when the compiler is not installed. Shared by the gcc-family
// plugins' real-compiler tests.
#pragma once

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <optional>
#include <sstream>

#include "gcc-family/plugin_test_util.h"

namespace ferry::plugin_test {

// Runs argv in `dir` with stdout and stderr to files; returns the exit status.
inline int run(const std::string& dir, const Args& argv, const std::string& out_path,
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

inline std::optional<std::string> slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return std::nullopt;
  }
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

inline void spit(const std::string& path, const std::string& text) {
  std::ofstream(path, std::ios::binary) << text;
}

class RealCompiler : public testing::Test {
 protected:
  RealCompiler(const ferry_plugin* plugin, std::string compiler)
      : m_plugin(plugin), m_compiler(std::move(compiler)) {}

  void SetUp() override {
    std::string tmpl_text = "/tmp/ferry-" + m_compiler + "-real-XXXXXX";
    std::vector<char> tmpl(tmpl_text.begin(), tmpl_text.end());
    tmpl.push_back('\0');
    ASSERT_NE(::mkdtemp(tmpl.data()), nullptr);
    m_root = tmpl.data();
    if (run(m_root, {m_compiler, "--version"}, "/dev/null", "/dev/null") != 0) {
      GTEST_SKIP() << m_compiler << " is not installed";
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
                       std::string compiler = "") {
    if (compiler.empty()) {
      compiler = m_compiler;
    }
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

    o.plan = plan(m_plugin, args, compiler, strategy, o.dist_dir);
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
                        const char* strategy = nullptr, const std::string& compiler = "") {
    Outcome o = compile_both(args, strategy, compiler);
    ASSERT_TRUE(o.plan.distributed());
    EXPECT_EQ(o.plan.dep_file, dep_file) << testing::PrintToString(args);
    expect_same_file(o.local_dir + "/" + dep_file, o.dist_dir + "/" + dep_file);
    expect_same_file(o.local_dir + "/" + o.plan.object, o.remote_dir + "/" + o.plan.object);
  }

  const ferry_plugin* m_plugin;
  std::string m_compiler;
  std::string m_root;
  int m_case = 0;
};

}  // namespace ferry::plugin_test
