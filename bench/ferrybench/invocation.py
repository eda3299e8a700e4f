"""Per-invocation overhead: `gcc -c tiny.c` plain, through ferry and through distcc, run locally
(hosts = localhost) and remotely over loopback (ferry -> ferryd against distcc -> distccd).

All variants run in one loop, in a fresh random order each round, so load changes hit them all
alike. Each output object must be byte-identical to plain gcc's (tiny.c has no -g)."""

import os
import random
import shutil
import time

from . import env as envmod
from .measure import run_measured, summary, ratio


def variants(ctx, tiny):
    base = ["gcc", "-c", tiny, "-o", "tiny.o"]
    e = ctx.env
    fd, dd = ctx.ferryd.port, ctx.distccd.port
    v = [
        ("gcc", base, e, None),
        ("ferry-local", [ctx.ferry] + base, envmod.ferry_env(e, "localhost"), None),
        ("distcc-local", [ctx.distcc] + base, envmod.distcc_env(e, "localhost"), None),
        ("ferry-ferryd-v1", [ctx.ferry] + base, envmod.ferry_env(e, envmod.hostspec(fd, 1)), ctx.ferryd),
        ("distcc-distccd-v1", [ctx.distcc] + base, envmod.distcc_env(e, envmod.hostspec(dd, 1)), ctx.distccd),
        ("ferry-ferryd-v2", [ctx.ferry] + base, envmod.ferry_env(e, envmod.hostspec(fd, 2)), ctx.ferryd),
        ("distcc-distccd-v2", [ctx.distcc] + base, envmod.distcc_env(e, envmod.hostspec(dd, 2)), ctx.distccd),
    ]
    return v


def _settle(daemon):
    """Waits (up to 0.5 s) until the daemon has counted the job's CPU: its job process is reaped."""
    deadline = time.monotonic() + 0.5
    last = daemon.tree_cpu()
    while time.monotonic() < deadline:
        time.sleep(0.02)
        now = daemon.tree_cpu()
        if now == last:
            return now
        last = now
    return last


def run(ctx, rounds, warmup=3):
    work = os.path.join(ctx.work, "invocation")
    os.makedirs(work, exist_ok=True)
    tiny = os.path.join(work, "tiny.c")
    shutil.copy(os.path.join(ctx.data, "tiny.c"), tiny)
    out = os.path.join(work, "tiny.o")
    vs = variants(ctx, tiny)

    ref = run_measured(["gcc", "-c", tiny, "-o", "ref.o"], ctx.env, work)
    if ref["status"] != 0:
        raise RuntimeError("gcc -c tiny.c failed")
    with open(os.path.join(work, "ref.o"), "rb") as f:
        ref_obj = f.read()

    samples = {name: {"wall": [], "cpu": [], "daemon_cpu": []} for name, *_ in vs}
    for r in range(warmup + rounds):
        order = list(vs)
        random.shuffle(order)
        for name, argv, env, daemon in order:
            if os.path.exists(out):
                os.unlink(out)
            before = _settle(daemon) if daemon else 0
            log = os.path.join(work, f"{name}.log")
            m = run_measured(argv, env, work, stderr=log)
            if m["status"] != 0:
                raise RuntimeError(f"invocation {name} exited with {m['status']}; see {log}")
            with open(out, "rb") as f:
                if f.read() != ref_obj:
                    raise RuntimeError(f"invocation {name}: tiny.o is not byte-identical to plain gcc's")
            if r < warmup:
                continue
            s = samples[name]
            s["wall"].append(m["wall"])
            s["cpu"].append(m["cpu"])
            if daemon:
                s["daemon_cpu"].append(_settle(daemon) - before)

    res = {"rounds": rounds, "source": "tiny.c (4 lines)", "variants": {}}
    for name, s in samples.items():
        d = {"wall_ms": summary(s["wall"], 1000), "client_cpu_ms": summary(s["cpu"], 1000)}
        if s["daemon_cpu"]:
            # /proc CPU times tick in 10 ms, so a per-job median would be 0 or 10: use the mean.
            mean = sum(s["daemon_cpu"]) / len(s["daemon_cpu"]) * 1000
            d["daemon_cpu_ms_mean"] = mean
            d["total_cpu_ms"] = d["client_cpu_ms"]["median"] + mean
        else:
            d["total_cpu_ms"] = d["client_cpu_ms"]["median"]
        res["variants"][name] = d
    med = {n: v["wall_ms"]["median"] for n, v in res["variants"].items()}
    res["ratios"] = {
        "ferry-local / gcc": ratio(med["ferry-local"], med["gcc"]),
        "distcc-local / gcc": ratio(med["distcc-local"], med["gcc"]),
        "ferry-local / distcc-local": ratio(med["ferry-local"], med["distcc-local"]),
        "ferry-ferryd-v1 / distcc-distccd-v1": ratio(med["ferry-ferryd-v1"], med["distcc-distccd-v1"]),
        "ferry-ferryd-v2 / distcc-distccd-v2": ratio(med["ferry-ferryd-v2"], med["distcc-distccd-v2"]),
    }
    return res
