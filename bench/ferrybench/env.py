"""The environment every benchmarked command runs in: nothing from the caller may steer a client,
a daemon or a build (a stray DISTCC_HOSTS would send jobs elsewhere, a CMAKE_*_LAUNCHER from the
caller's shell would put ccache into a CMake workload)."""

import os

_DROP_PREFIXES = ("FERRY_", "_FERRY_", "DISTCC_", "_DISTCC_", "DISTCCD_", "CCACHE_", "CMAKE_", "MAKE")
_DROP_NAMES = {
    "DEPENDENCIES_OUTPUT", "SUNPRO_DEPENDENCIES", "CPATH", "C_INCLUDE_PATH", "CPLUS_INCLUDE_PATH",
    "GCC_COMPARE_DEBUG", "SOURCE_DATE_EPOCH", "CC", "CXX", "CFLAGS", "CXXFLAGS", "CPPFLAGS", "LDFLAGS",
    "MFLAGS", "GNUMAKEFLAGS",
}


def clean_env(work):
    """A copy of os.environ without the variables above, with a private TMPDIR and state dirs
    under work, and the C locale (so compiler messages do not depend on the caller's)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(_DROP_PREFIXES) and k not in _DROP_NAMES}
    for k in ("LANG", "LANGUAGE"):
        env.pop(k, None)
    env["LC_ALL"] = "C"
    for d in ("tmp", "ferry-dir", "distcc-dir"):
        os.makedirs(os.path.join(work, d), exist_ok=True)
    # ferryd run as root makes its job dirs as its unprivileged job user: it must reach TMPDIR
    # (as tests/e2e/lib.sh sets it up).
    os.chmod(work, 0o755)
    os.chmod(os.path.join(work, "tmp"), 0o1777)
    env["TMPDIR"] = os.path.join(work, "tmp")
    env["FERRY_DIR"] = os.path.join(work, "ferry-dir")
    env["DISTCC_DIR"] = os.path.join(work, "distcc-dir")
    return env


def ferry_env(env, hosts, **extra):
    """A ferry client that never silently compiles here: a failed distribution fails the job."""
    e = dict(env, FERRY_HOSTS=hosts, FERRY_FALLBACK="0")
    e.update(extra)
    return e


def distcc_env(env, hosts, **extra):
    """The same for distcc (as tests/e2e/lib.sh's use_client sets it)."""
    e = dict(env, DISTCC_HOSTS=hosts, DISTCC_FALLBACK="0", DISTCC_SKIP_LOCAL_RETRY="1", DISTCC_BACKOFF_PERIOD="0")
    e.update(extra)
    return e


def hostspec(port, proto, slots=None):
    spec = f"127.0.0.1:{port}"
    if slots:
        spec += f"/{slots}"
    if proto == 2:
        spec += ",lzo"
    return spec
