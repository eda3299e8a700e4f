#!/usr/bin/env python3
"""ferry's benchmark: ferry against plain gcc and Debian's distcc, on this machine.

    bench/run.py --ferry-bin build/bin --cache build/bench [--smoke] [--out FILE.json]

Measures, in one run, interleaved, median of several runs, as ratios (docs/performance.md):
per-invocation overhead, wrapper start-up, full builds of real projects (each object checked
against the local build's), daemon throughput, bytes per job. Writes one JSON file; the page
and plots are made from it by bench/report.py. scripts/bench.sh runs everything end to end.

    bench/run.py --ferry-bin build/bin --only config_cost --out bench/results/latest.json

re-measures one section that needs no quiet machine (the configuration's cost, issue 5) and
merges it into an earlier run's JSON; bench/report.py then remakes the page from it."""

import argparse
import datetime
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from ferrybench import builds, daemons, invocation, startup, throughput, traffic  # noqa: E402
from ferrybench import env as envmod  # noqa: E402
from ferrybench.workloads import ALL as WORKLOADS  # noqa: E402

EXIT_SKIPPED = 125  # CTest's SKIP_RETURN_CODE: the workload cache is missing


def parse_args():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--ferry-bin", required=True, help="directory holding the built ferry and ferryd")
    p.add_argument("--cache", help="bench/fetch-workloads.sh's cache directory (required unless --only)")
    p.add_argument("--out", help="results JSON (default CACHE/results/results-DATE.json)")
    p.add_argument("--smoke", action="store_true", help="CI smoke: lua only, one repetition, few rounds")
    p.add_argument("--workloads", default="lua,jq,ninja", help="comma-separated (lua, jq, ninja)")
    p.add_argument("--reps", type=int, default=3, help="repetitions of each build variant")
    p.add_argument("--budget-minutes", type=float, default=0,
                   help="start no further build repetition after this many minutes (0: no limit)")
    p.add_argument("--invocation-rounds", type=int, default=30)
    p.add_argument("--startup-rounds", type=int, default=200)
    p.add_argument("--config-cost-rounds", type=int, help="rounds of bench/config_cost/ (default: --startup-rounds)")
    p.add_argument("--throughput-jobs", type=int, default=60)
    p.add_argument("--throughput-reps", type=int, default=3)
    p.add_argument("--skip", default="", help="comma-separated sections to skip "
                   "(invocation, startup, builds, throughput, traffic, config_cost)")
    p.add_argument("--keep", action="store_true", help="keep the work directory")
    p.add_argument("--no-callgrind", dest="callgrind", action="store_false",
                   help="no instruction counts (valgrind is slow on a busy machine)")
    p.add_argument("--only", choices=["config_cost"],
                   help="run only this section and merge it into --out, an existing results JSON "
                   "updated in place (every other figure in it is kept); needs no daemon, peer or "
                   "workload: bench/run.py --ferry-bin build/bin --only config_cost "
                   "--out bench/results/latest.json")
    a = p.parse_args()
    if a.only and not a.out:
        p.error("--only needs --out (the results JSON to update)")
    if not a.only and not a.cache:
        p.error("--cache is required")
    if a.smoke:
        a.workloads, a.reps = "lua", 1
        a.invocation_rounds, a.startup_rounds, a.callgrind = 3, 10, False
        a.throughput_jobs, a.throughput_reps = 12, 1
    return a


class Context:
    pass


def machine_info():
    load = os.getloadavg()
    cpu_model = ""
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu_model = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass

    def version(argv):
        try:
            return subprocess.run(argv, capture_output=True, text=True).stdout.splitlines()[0].strip()
        except (OSError, IndexError):
            return None

    return {
        "cpus": os.cpu_count(),
        "cpu_model": cpu_model,
        "kernel": platform.release(),
        "loadavg_start": [round(x, 2) for x in load],
        "gcc": version(["gcc", "--version"]),
        "distcc": version(["distcc", "--version"]),
        "make": version(["make", "--version"]),
    }


def git_commit(repo):
    p = subprocess.run(["git", "-C", repo, "rev-parse", "--short", "HEAD"], capture_output=True, text=True)
    return p.stdout.strip() or None


def config_cost_hook(ctx, out_dir, rounds):
    """bench/config_cost/ (issue 5) measures what reading the configuration costs a ferry start;
    when it is there, its entry point `run.sh BIN_DIR ROUNDS` writes JSON to $CONFIG_COST_JSON,
    and that joins our results."""
    script = os.path.join(ctx.bench_dir, "config_cost", "run.sh")
    if not os.access(script, os.X_OK):
        return None
    out = os.path.join(out_dir, "config_cost.json")
    p = subprocess.run([script, ctx.bin_dir, str(rounds)], env=dict(ctx.env, CONFIG_COST_JSON=out),
                       capture_output=True, text=True)
    if p.returncode != 0:
        raise RuntimeError(f"bench/config_cost/run.sh failed ({p.returncode}):\n{p.stderr[-2000:]}")
    with open(out) as f:
        cc = json.load(f)
    cc["ferry_commit"] = git_commit(os.path.dirname(ctx.bench_dir))
    return cc


def only(a, ctx):
    """--only config_cost: that section alone, merged into an existing results JSON. The rest of
    the file (and so of docs/performance.md made from it) stays as the full run measured it."""
    try:
        with open(a.out) as f:
            results = json.load(f)
    except (OSError, ValueError) as e:
        print(f"bench: --only needs an existing results JSON in --out: {e}", file=sys.stderr)
        return 1
    ctx.work = tempfile.mkdtemp(prefix="ferry-bench.")
    ctx.env = envmod.clean_env(ctx.work)
    try:
        cc = config_cost_hook(ctx, ctx.work, max(a.config_cost_rounds or a.startup_rounds, 10))
    except (RuntimeError, OSError) as e:
        print(f"bench: FAILED: {e}", file=sys.stderr)
        return 1
    finally:
        shutil.rmtree(ctx.work, ignore_errors=True)
    if cc is None:
        print("bench: no bench/config_cost/run.sh", file=sys.stderr)
        return 1
    results["config_cost"] = cc
    with open(a.out, "w") as f:
        json.dump(results, f, indent=1, sort_keys=False)
        f.write("\n")
    print(f"bench: config_cost merged into {a.out}")
    return 0


def main():
    a = parse_args()
    ctx = Context()
    ctx.bench_dir = os.path.dirname(os.path.abspath(__file__))
    ctx.data = os.path.join(ctx.bench_dir, "data")
    ctx.bin_dir = os.path.abspath(a.ferry_bin)
    ctx.ferry = os.path.join(ctx.bin_dir, "ferry")
    ctx.ferryd = os.path.join(ctx.bin_dir, "ferryd")
    if a.only:
        return only(a, ctx)
    for prog in ("distcc", "distccd", "gcc", "g++", "make"):
        if not shutil.which(prog):
            print(f"bench: '{prog}' is not installed (scripts/bench.sh installs it)", file=sys.stderr)
            return 1
    if not (os.access(ctx.ferry, os.X_OK) and os.access(ctx.ferryd, os.X_OK)):
        print(f"bench: no ferry/ferryd in {ctx.bin_dir}; build first", file=sys.stderr)
        return 1
    ctx.distcc = shutil.which("distcc")
    cache = os.path.abspath(a.cache)
    skip = set(filter(None, a.skip.split(",")))
    names = [n for n in a.workloads.split(",") if n]
    unknown = [n for n in names if n not in WORKLOADS]
    if unknown:
        print(f"bench: unknown workload(s) {unknown} (known: {', '.join(WORKLOADS)})", file=sys.stderr)
        return 2

    cpus = os.cpu_count() or 1
    ctx.daemon_jobs = cpus
    ctx.local_make_jobs = cpus
    ctx.remote_make_jobs = 2 * cpus
    ctx.work = tempfile.mkdtemp(prefix="ferry-bench.")
    ctx.env = envmod.clean_env(ctx.work)
    results = {
        "meta": dict(machine_info(), date=datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
                     ferry_commit=git_commit(os.path.dirname(ctx.bench_dir)), smoke=a.smoke,
                     daemon_jobs=ctx.daemon_jobs, local_make_jobs=ctx.local_make_jobs,
                     remote_make_jobs=ctx.remote_make_jobs),
    }
    # Configured trees are kept in the cache for the next run; the smoke run (which may run while
    # a full run uses the cache) builds in its own work dir.
    tree_root = os.path.join(ctx.work if a.smoke else cache, "builds")
    wls = [WORKLOADS[n](cache, tree_root, ctx.work, ctx.env) for n in names]
    missing = [w.name for w in wls if not w.available()] if "builds" not in skip else []
    if missing:
        print(f"bench: workload source(s) {missing} not in {cache}; run bench/fetch-workloads.sh {cache} "
              f"{' '.join(missing)}", file=sys.stderr)
        return EXIT_SKIPPED

    out = a.out or os.path.join(cache, "results",
                                "results-" + time.strftime("%Y%m%dT%H%M%S", time.gmtime()) + ".json")
    os.makedirs(os.path.dirname(os.path.abspath(out)), exist_ok=True)
    t0 = time.monotonic()
    ferryd_path, ctx.ferryd, ctx.distccd = ctx.ferryd, None, None
    rc = 0
    try:
        ctx.ferryd = daemons.start_ferryd(ferryd_path, ctx.work, ctx.env, ctx.daemon_jobs)
        ctx.distccd = daemons.start_distccd(shutil.which("distccd"), ctx.work, ctx.env, ctx.daemon_jobs)
        print(f"bench: ferryd on :{ctx.ferryd.port}, distccd on :{ctx.distccd.port}, "
              f"--jobs {ctx.daemon_jobs}; work dir {ctx.work}", flush=True)
        sections = [
            ("startup", lambda: startup.run(ctx, a.startup_rounds, a.callgrind)),
            ("invocation", lambda: invocation.run(ctx, a.invocation_rounds)),
            ("traffic", lambda: traffic.run(ctx)),
            ("throughput", lambda: throughput.run(ctx, a.throughput_jobs, 2 * ctx.daemon_jobs + 2, a.throughput_reps)),
        ]
        for name, fn in sections:
            if name in skip:
                continue
            print(f"bench: {name} ...", flush=True)
            t = time.monotonic()
            results[name] = fn()
            results[name]["seconds"] = round(time.monotonic() - t, 1)
        if "builds" not in skip:
            t = time.monotonic()
            deadline = t0 + a.budget_minutes * 60 if a.budget_minutes else None
            results["builds"] = {}
            builds.run_all(ctx, wls, a.reps, results["builds"], deadline, log=lambda s: print(s, flush=True))
            results["builds_seconds"] = round(time.monotonic() - t, 1)
        cc = None if "config_cost" in skip else config_cost_hook(ctx, ctx.work, max(a.config_cost_rounds or a.startup_rounds, 10))
        if cc is not None:
            results["config_cost"] = cc
    except (RuntimeError, OSError, subprocess.CalledProcessError) as e:
        print(f"bench: FAILED: {e}", file=sys.stderr)
        # What was measured before the failure is still written, with the failure in it: the
        # run's exit status says it failed, and the page made from it says so at the top.
        results["error"] = str(e)
        rc = 1
    finally:
        for d in (ctx.ferryd, ctx.distccd):
            if d:
                d.stop()
    results["meta"]["loadavg_end"] = [round(x, 2) for x in os.getloadavg()]
    results["meta"]["seconds"] = round(time.monotonic() - t0, 1)
    with open(out, "w") as f:
        json.dump(results, f, indent=1, sort_keys=False)
        f.write("\n")
    print(f"bench: results in {out} ({results['meta']['seconds']} s)")
    if rc:
        print(f"bench: work dir kept for inspection: {ctx.work}", file=sys.stderr)
        return rc
    if not a.keep:
        shutil.rmtree(ctx.work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
