"""Running one process and measuring it: wall time, CPU time and page faults of its whole tree.

os.wait4 returns the child's rusage including every descendant it waited for (gcc's cc1 and as),
so the CPU time of `gcc -c` or `ferry gcc -c` covers the whole local compile."""

import os
import statistics
import subprocess
import time


class CommandFailed(Exception):
    pass


def run_measured(argv, env, cwd, stdout=None, stderr=None):
    """Runs argv to completion; returns dict(wall, cpu, minflt, status). Times in seconds."""
    out = open(stdout or os.devnull, "wb")
    err = open(stderr or os.devnull, "wb")
    try:
        start = time.perf_counter()
        proc = subprocess.Popen(argv, env=env, cwd=cwd, stdin=subprocess.DEVNULL, stdout=out, stderr=err)
        _, status, ru = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
    finally:
        out.close()
        err.close()
    return {
        "wall": wall,
        "cpu": ru.ru_utime + ru.ru_stime,
        "minflt": ru.ru_minflt,
        "status": proc.returncode,
    }


def run_checked(argv, env, cwd, log=None, what=None):
    """Runs argv; raises CommandFailed naming it (and its log) when it fails."""
    m = run_measured(argv, env, cwd, stdout=log, stderr=log)
    if m["status"] != 0:
        tail = ""
        if log and os.path.exists(log):
            with open(log, "rb") as f:
                tail = f.read()[-3000:].decode(errors="replace")
        raise CommandFailed(f"{what or argv[0]} exited with {m['status']}: {' '.join(argv)}\n{tail}")
    return m


def median(values):
    return statistics.median(values) if values else None


def quantile(values, q):
    if not values:
        return None
    s = sorted(values)
    return s[min(len(s) - 1, int(q * (len(s) - 1) + 0.5))]


def summary(values, scale=1.0):
    """Median, p10, p90, min and n of a list of samples, scaled (e.g. 1000 for ms)."""
    if not values:
        return None
    return {
        "median": median(values) * scale,
        "p10": quantile(values, 0.1) * scale,
        "p90": quantile(values, 0.9) * scale,
        "min": min(values) * scale,
        "n": len(values),
    }


def ratio(a, b):
    return a / b if a is not None and b else None
