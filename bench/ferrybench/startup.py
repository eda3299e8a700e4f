"""The wrapper's own start-up cost: CPU time and page faults of one process, against a trivial
C++ program (dynamic libstdc++, as g++ links by default) and a trivial C one. Interleaved in a
random order each round. With valgrind installed, also the instructions each process executes
(callgrind), which the machine's load does not change."""

import os
import random
import re
import shutil
import subprocess

from .measure import run_measured, summary, ratio


def _build_baselines(ctx, work):
    cpp = os.path.join(work, "trivial-cpp")
    c = os.path.join(work, "trivial-c")
    with open(os.path.join(work, "trivial.c"), "w") as f:
        f.write("int main(void) { return 0; }\n")
    subprocess.run(["g++", "-O2", "-o", cpp, os.path.join(ctx.data, "trivial.cpp")], check=True, env=ctx.env)
    subprocess.run(["gcc", "-O2", "-o", c, os.path.join(work, "trivial.c")], check=True, env=ctx.env)
    return cpp, c


def variants(ctx, work):
    cpp, c = _build_baselines(ctx, work)
    tiny = os.path.join(ctx.data, "tiny.c")
    plan_env = dict(ctx.env, FERRY_HOSTS="127.0.0.1:1")
    return [
        ("trivial-c", [c], ctx.env),
        ("trivial-c++", [cpp], ctx.env),
        ("ferry --version", [ctx.ferry, "--version"], ctx.env),
        # What every ferry run pays before it preprocesses or execs the compiler: parse the
        # environment and host list, load the one plugin, plan. Nothing is run.
        ("ferry --plan gcc -c", [ctx.ferry, "--plan", "gcc", "-c", tiny, "-o", "tiny.o"], plan_env),
        ("distcc --version", [ctx.distcc, "--version"], ctx.env),
    ]


def _instructions(argv, env, cwd):
    """Instructions executed by the process (not its children), from callgrind's summary."""
    p = subprocess.run(["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null"] + argv,
                       env=env, cwd=cwd, capture_output=True, text=True)
    m = re.search(r"Collected\s*:\s*(\d+)", p.stderr)
    return int(m.group(1)) if m else None


def run(ctx, rounds, callgrind=True, warmup=10):
    work = os.path.join(ctx.work, "startup")
    os.makedirs(work, exist_ok=True)
    vs = variants(ctx, work)
    samples = {n: {"wall": [], "cpu": [], "minflt": []} for n, *_ in vs}
    for r in range(warmup + rounds):
        order = list(vs)
        random.shuffle(order)
        for name, argv, env in order:
            m = run_measured(argv, env, work)
            if m["status"] != 0:
                raise RuntimeError(f"start-up: {name} exited with {m['status']}")
            if r >= warmup:
                for k in samples[name]:
                    samples[name][k].append(m[k])
    res = {"rounds": rounds, "variants": {}}
    for name, s in samples.items():
        res["variants"][name] = {
            "wall_ms": summary(s["wall"], 1000),
            "cpu_ms": summary(s["cpu"], 1000),
            "minflt": summary(s["minflt"]),
        }
    if callgrind and shutil.which("valgrind"):
        for name, argv, env in vs:
            res["variants"][name]["instructions"] = _instructions(argv, env, work)
    v = res["variants"]
    base = v["trivial-c++"]
    res["ratios"] = {}
    for name in ("ferry --version", "ferry --plan gcc -c"):
        res["ratios"][f"{name} / trivial-c++ (CPU)"] = ratio(v[name]["cpu_ms"]["median"], base["cpu_ms"]["median"])
        res["ratios"][f"{name} / trivial-c++ (page faults)"] = ratio(v[name]["minflt"]["median"], base["minflt"]["median"])
        if base.get("instructions"):
            res["ratios"][f"{name} / trivial-c++ (instructions)"] = ratio(v[name].get("instructions"), base["instructions"])
    return res
