"""The real projects built by the benchmark, from bench/fetch-workloads.sh's cache.

Each workload is prepared once (copied from the pristine tree, configured with plain gcc) under
tree_root, then built again and again in the same directory with the same paths, so that objects
with debug info can be compared with the local build's. A prepared tree is marked and reused by
the next run with the same tree_root (jq's autoreconf + configure takes long on a busy machine). `wrap(kind)` says how a wrapper goes in: CC for
Makefile projects, CMAKE_CXX_COMPILER_LAUNCHER for CMake (re-configured before each build)."""

import os
import shutil

from .measure import run_checked


class Workload:
    name = ""
    lang = ""
    package = ""

    def __init__(self, cache, tree_root, work, env):
        self.src = os.path.join(cache, "src", self.name)
        self.tree = os.path.join(tree_root, self.name)
        self.env = env
        self.logdir = os.path.join(work, "logs")
        os.makedirs(self.logdir, exist_ok=True)

    def available(self):
        return os.path.exists(self.src + ".ok")

    def upstream(self):
        with open(self.src + ".ok") as f:
            return f.read().strip()

    def prepare(self):
        """Returns True when an already prepared tree of the same upstream source was reused."""
        marker = os.path.join(self.tree, ".ferry-bench-prepared")
        if os.path.exists(marker):
            with open(marker) as f:
                if f.read().strip() == self.upstream():
                    return True
        if os.path.exists(self.tree):
            shutil.rmtree(self.tree)
        shutil.copytree(self.src, self.tree, symlinks=True)
        self.configure()
        with open(marker, "w") as f:
            f.write(self.upstream() + "\n")
        return False

    def run(self, argv, what, cwd=None):
        return run_checked(argv, self.env, cwd or self.tree, log=os.path.join(self.logdir, f"{self.name}.{what}.log"),
                           what=f"{self.name} {what}")

    def configure(self):
        pass

    def clean(self):
        self.run(["make", "clean"], "clean")

    def build_argv(self, wrapper, jobs):
        raise NotImplementedError

    def before_build(self, wrapper):
        pass


class Lua(Workload):
    """Lua 5.4's upstream Makefile: 34 compiles at -O2, no -g."""
    name, lang, package = "lua", "C", "lua5.4"

    def build_argv(self, wrapper, jobs):
        cc = " ".join(wrapper + ["gcc", "-std=gnu99"])
        return ["make", f"-j{jobs}", "linux", f"CC={cc}"]


class Jq(Workload):
    """jq 1.6: autotools + libtool (PIC and non-PIC twins), -g -O2, -MD dependency files."""
    name, lang, package = "jq", "C", "jq"

    def configure(self):
        self.run(["autoreconf", "-fi"], "autoreconf")
        self.run(["./configure", "--disable-docs", "--without-oniguruma", "--disable-maintainer-mode",
                  "--disable-dependency-tracking", "CC=gcc"], "configure")

    def build_argv(self, wrapper, jobs):
        return ["make", f"-j{jobs}", "CC=" + " ".join(wrapper + ["gcc"])]


class Ninja(Workload):
    """ninja 1.11.1 with CMake's Makefile generator, -O2 (no LTO, no -g)."""
    name, lang, package = "ninja", "C++", "ninja-build"

    def __init__(self, cache, tree_root, work, env):
        super().__init__(cache, tree_root, work, env)
        self.build_dir = os.path.join(self.tree, "_build")

    def configure(self):
        self._cmake([])

    def _cmake(self, wrapper):
        launcher = ";".join(wrapper)
        self.run(["cmake", "-S", self.tree, "-B", self.build_dir, "-G", "Unix Makefiles",
                  "-DCMAKE_BUILD_TYPE=", "-DCMAKE_CXX_FLAGS=-O2", "-DBUILD_TESTING=OFF",
                  f"-DCMAKE_CXX_COMPILER_LAUNCHER={launcher}"], "cmake")

    def before_build(self, wrapper):
        self._cmake(wrapper)

    def clean(self):
        self.run(["make", "clean"], "clean", cwd=self.build_dir)

    def build_argv(self, wrapper, jobs):
        return ["make", "-C", self.build_dir, f"-j{jobs}"]


ALL = {w.name: w for w in (Lua, Jq, Ninja)}
