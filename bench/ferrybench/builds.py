"""Full builds of real projects: local, distcc -> distccd, ferry -> ferryd and ferry -> distccd,
interleaved (a fresh random order each repetition), each timed from `make clean` state.

Correctness rides along: an untimed local build first gives the reference objects, and every
timed build's objects are compared with them by bench/compare-objects.sh; a difference stops the
run. Each distributed build must also have sent jobs to its daemon (COMPILE_OK count), and runs
with fallback off, so a build that silently compiled here cannot pass for a distributed one."""

import os
import random
import shutil
import subprocess
import time

from . import env as envmod
from .measure import summary, ratio

VARIANTS = ("local", "distcc-distccd", "ferry-ferryd", "ferry-distccd")


class ObjectMismatch(RuntimeError):
    pass


def _wrapper(ctx, variant):
    """(wrapper argv, env, daemon, make -j) for a variant."""
    slots = ctx.remote_make_jobs
    if variant == "local":
        return [], ctx.env, None, ctx.local_make_jobs
    client, daemon_kind = variant.split("-")
    daemon = ctx.ferryd if daemon_kind == "ferryd" else ctx.distccd
    spec = envmod.hostspec(daemon.port, 1, slots)
    if client == "ferry":
        return [ctx.ferry], envmod.ferry_env(ctx.env, spec, FERRY_QUIET="1"), daemon, slots
    return [ctx.distcc], envmod.distcc_env(ctx.env, spec), daemon, slots


def snapshot(root, since, dest):
    """Copies every object built after `since` under root to dest (same relative paths)."""
    if os.path.exists(dest):
        shutil.rmtree(dest)
    n = 0
    for d, dirs, files in os.walk(root):
        # CMake's configure-time try-compiles (ninja's check_ipo_supported builds an LTO probe
        # at every re-configure): scratch objects of CMake's, compiled without the launcher
        # and with LTO's per-compile random section names, not the project's objects.
        dirs[:] = [x for x in dirs if not (x.startswith("_CMake") or x in ("CMakeScratch", "CMakeTmp"))]
        for f in files:
            if not f.endswith(".o"):
                continue
            p = os.path.join(d, f)
            if os.path.getmtime(p) < since:
                continue
            rel = os.path.relpath(p, root)
            os.makedirs(os.path.join(dest, os.path.dirname(rel)), exist_ok=True)
            shutil.copy2(p, os.path.join(dest, rel))
            n += 1
    return n


def build_once(ctx, wl, variant, snap):
    wrapper, env, daemon, jobs = _wrapper(ctx, variant)
    wl.before_build(wrapper)
    wl.clean()
    ok0 = daemon.compile_ok_count() if daemon else 0
    wl.env = env
    since = time.time() - 1  # mtime resolution: an object is at least this new
    try:
        m = wl.run(wl.build_argv(wrapper, jobs), f"build.{variant}")
    finally:
        wl.env = ctx.env
    time.sleep(0.1)
    remote = (daemon.compile_ok_count() - ok0) if daemon else 0
    if daemon and remote == 0:
        raise RuntimeError(f"{wl.name} {variant}: no job reached {daemon.kind} (no new COMPILE_OK in {daemon.log})")
    n = snapshot(wl.tree, since, snap)
    return {"wall": m["wall"], "cpu": m["cpu"], "remote_jobs": remote, "objects": n, "make_jobs": jobs}


def compare(ctx, wl, ref, snap, variant):
    p = subprocess.run([os.path.join(ctx.bench_dir, "compare-objects.sh"), ref, snap], capture_output=True,
                       text=True, env=ctx.env)
    if p.returncode != 0:
        raise ObjectMismatch(f"{wl.name} {variant}: objects differ from the local build's:\n{p.stderr}{p.stdout}")
    return dict(kv.split("=") for kv in p.stdout.split())


def _prepare(ctx, wl, log):
    log(f"bench: {wl.name}: preparing (copy + configure) in {wl.tree}")
    if wl.prepare():
        log(f"bench: {wl.name}: reusing the tree prepared by an earlier run")
    snaps = os.path.join(ctx.work, "objects", wl.name)
    ref = os.path.join(snaps, "reference")
    log(f"bench: {wl.name}: reference local build (untimed)")
    r = build_once(ctx, wl, "local", ref)
    return snaps, ref, r["objects"]


def _rep(ctx, wl, snaps, ref, rep, reps, samples, checks, log):
    order = list(VARIANTS)
    random.shuffle(order)
    for v in order:
        snap = os.path.join(snaps, "current")
        b = build_once(ctx, wl, v, snap)
        checks[v] = compare(ctx, wl, ref, snap, v)
        shutil.rmtree(snap)
        samples[v].append(b)
        log(f"bench: {wl.name} rep {rep + 1}/{reps} {v}: {b['wall']:.2f} s, {b['remote_jobs']} remote jobs, "
            f"objects {checks[v]}")


def _result(wl, objects, samples, checks):
    res = {"package": wl.package, "upstream": wl.upstream(), "lang": wl.lang, "reps": len(samples["local"]),
           "objects": objects, "variants": {}}
    for v, bs in samples.items():
        res["variants"][v] = {
            "wall_s": summary([b["wall"] for b in bs]),
            "client_cpu_s": summary([b["cpu"] for b in bs]),
            "remote_jobs": [b["remote_jobs"] for b in bs],
            "make_jobs": bs[0]["make_jobs"],
            "objects_check": checks[v],
        }
    med = {v: res["variants"][v]["wall_s"]["median"] for v in VARIANTS}
    res["ratios"] = {
        "ferry-ferryd / distcc-distccd": ratio(med["ferry-ferryd"], med["distcc-distccd"]),
        "ferry-ferryd / local": ratio(med["ferry-ferryd"], med["local"]),
        "distcc-distccd / local": ratio(med["distcc-distccd"], med["local"]),
        "ferry-distccd / distcc-distccd": ratio(med["ferry-distccd"], med["distcc-distccd"]),
    }
    return res


def run_all(ctx, wls, reps, into, deadline=None, log=print):
    """Builds every workload `reps` times in each variant. Repetitions go round all workloads
    (rep 1 of each, then rep 2 of each, ...). Once `deadline` (time.monotonic()) has passed, no
    further workload is started: a workload that got no repetition is reported as not measured,
    so a busy machine gives fewer figures, never invented ones. Results are written to `into` after
    every repetition, so a failure later in the run keeps what was measured before it."""
    prepared, samples, checks, skipped = {}, {}, {}, []
    for rep in range(reps):
        for wl in wls:
            if deadline is not None and time.monotonic() > deadline and (rep > 0 or prepared):
                if rep == 0:
                    skipped.append(wl.name)
                continue
            if wl.name not in prepared:
                prepared[wl.name] = _prepare(ctx, wl, log)
                samples[wl.name] = {v: [] for v in VARIANTS}
                checks[wl.name] = {}
            snaps, ref, _ = prepared[wl.name]
            _rep(ctx, wl, snaps, ref, rep, reps, samples[wl.name], checks[wl.name], log)
            into[wl.name] = _result(wl, prepared[wl.name][2], samples[wl.name], checks[wl.name])
    if skipped:
        log(f"bench: time budget spent: not built: {', '.join(skipped)}")
    for name in skipped:
        into[name] = {"skipped": "time budget spent before this workload's first repetition"}
