#!/usr/bin/env python3
"""Per-process cost of ferry's configuration layers.

Three ways to start ferry, run interleaved in random order for ROUNDS rounds (posix_spawn +
wait4, so each start is a fresh process with a cold configuration):

  version     `ferry --version`: returns before any configuration is read (the baseline)
  no-files    `ferry --show-hosts` with no site, user or project file: the layers are looked
              for (a few stat() calls) and the environment is read; nothing is parsed
  all-files   the same with all three files present: the example site policy
              (config/policy.toml, ~60 lines), a user file and a project .ferry.toml

--show-hosts is the cheapest command that reads the configuration (no plugin is loaded, no
compiler runs), so the differences are the configuration's cost. Reported per start: median and
p10 of wall time and of CPU time (user + sys, from wait4), the page faults, and each variant's
difference to the baseline and to no-files. On a loaded shared machine compare medians only.

`no-files - version` also holds --show-hosts' own work, so the cost of looking for files that do
not exist is isolated by config_lookup_probe (lookup_probe.cpp), run in the same rounds: a fresh
process that measures, around that one call only, either the lookup exactly as a ferry start
does it or the same minus the files (environment layer and finish() only):

  probe:env-only          no file is looked for (the baseline of the probe variants)
  probe:lookup            no file exists; cwd two levels below a repository root (.git)
  probe:lookup-no-repo    no file exists; cwd 7 levels deep in no repository: the walk goes to /
  probe:lookup-all-files  the three files of all-files, read and checked

Their differences to probe:env-only are the lookup's cost in CPU time, page faults and wall time
(each probe variant also runs once under strace, when installed, to count its system calls).
The no-file lookup is called measurable at process level when its CPU cost is at least the
spread (p25-p75) of the no-files start's own CPU time, i.e. when it would stand out of the
start-to-start variation.
"""
import json
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

PROBE_VARIANTS = ("env-only", "lookup", "lookup-no-repo", "lookup-all-files")
NO_FILE_LOOKUPS = ("lookup", "lookup-no-repo")


def spawn(argv, env):
    devnull = os.open(os.devnull, os.O_WRONLY)
    t0 = time.perf_counter()
    pid = os.posix_spawn(argv[0], argv, env, file_actions=[
        (os.POSIX_SPAWN_DUP2, devnull, 1), (os.POSIX_SPAWN_DUP2, devnull, 2)])
    _, status, ru = os.wait4(pid, 0)
    wall = time.perf_counter() - t0
    os.close(devnull)
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"config_cost: {argv} exited {status}")
    return wall * 1000, (ru.ru_utime + ru.ru_stime) * 1000, ru.ru_minflt + ru.ru_majflt


def run_probe(argv, env, where):
    """The probe's own line: mode=... cpu_us=... wall_us=... faults=... files=N file=...."""
    p = subprocess.run(argv, env=env, cwd=where, capture_output=True, text=True)
    if p.returncode != 0:
        sys.exit(f"config_cost: {argv} exited {p.returncode}: {p.stderr.strip()}")
    fields = dict(f.split("=", 1) for f in p.stdout.split() if "=" in f and not f.startswith("file="))
    return float(fields["wall_us"]), float(fields["cpu_us"]), int(fields["faults"]), int(fields["files"])


def count_syscalls(argv, env, where, work):
    """(system calls, calls naming a path) of one run under strace, or None without strace."""
    strace = shutil.which("strace")
    if not strace:
        return None
    log = os.path.join(work, "strace.log")
    if "ASAN_OPTIONS" in env:  # a sanitised build: LeakSanitizer cannot run under ptrace
        env = dict(env, ASAN_OPTIONS=env["ASAN_OPTIONS"] + ":detect_leaks=0")
    p = subprocess.run([strace, "-f", "-qq", "-o", log] + argv, env=env, cwd=where,
                       capture_output=True, text=True)
    if p.returncode != 0:  # ptrace may be forbidden (containers): no counts then
        return None
    with open(log) as f:
        lines = [l for l in f if re.match(r"^\d+\s+\w+\(", l)]
    os.unlink(log)
    return len(lines), sum(1 for l in lines if re.search(r'[(,] ?"/', l))


def pct(values, q):
    values = sorted(values)
    return statistics.median(values) if q == 50 else values[len(values) * q // 100]


def main():
    ferry, site_policy, rounds = sys.argv[1], sys.argv[2], int(sys.argv[3])
    probe = os.path.join(os.path.dirname(ferry), "config_lookup_probe")
    if not os.access(probe, os.X_OK):
        sys.exit(f"config_cost: no {probe}; build it (./scripts/build.sh config_lookup_probe)")
    work = tempfile.mkdtemp(prefix="ferry-config-cost.")
    files = os.path.join(work, "files")
    empty = os.path.join(work, "empty")
    for d in (files, empty):
        os.makedirs(os.path.join(d, "xdg", "ferry"))
        os.makedirs(os.path.join(d, "proj", ".git"))
        os.makedirs(os.path.join(d, "proj", "src", "deep"))
    with open(site_policy) as f:
        site_text = f.read()
    with open(os.path.join(files, "policy.toml"), "w") as f:
        f.write(site_text)
    with open(os.path.join(files, "xdg", "ferry", "config.toml"), "w") as f:
        f.write('[hosts]\ngroup = "graphics"\n[client]\nio_timeout = 120\n'
                '[local]\nsources = ["*.generated.c"]\n')
    # Outside any repository, 7 levels below the work dir: the project-file walk goes up to /.
    no_repo = os.path.join(empty, "norepo", "a", "b", "c", "d", "e", "f")
    os.makedirs(no_repo)
    with open(os.path.join(files, "proj", ".ferry.toml"), "w") as f:
        f.write('[local]\nsources = ["vendor/*"]\n[client]\nstrategy = "plain"\n')

    base_env = {k: v for k, v in os.environ.items()
                if not k.startswith(("FERRY_", "DISTCC_", "_FERRY_"))}

    def env_for(root):
        e = dict(base_env)
        e["FERRY_SITE_POLICY"] = os.path.join(root, "policy.toml")
        e["XDG_CONFIG_HOME"] = os.path.join(root, "xdg")
        e["FERRY_HOSTS"] = "localhost"
        return e

    variants = {
        "version": ([ferry, "--version"], env_for(empty), os.path.join(empty, "proj", "src", "deep")),
        "no-files": ([ferry, "--show-hosts"], env_for(empty), os.path.join(empty, "proj", "src", "deep")),
        "all-files": ([ferry, "--show-hosts"], env_for(files), os.path.join(files, "proj", "src", "deep")),
    }
    repo_deep = os.path.join(empty, "proj", "src", "deep")
    probes = {
        "env-only": ([probe, "env-only"], env_for(empty), repo_deep),
        "lookup": ([probe, "lookup"], env_for(empty), repo_deep),
        "lookup-no-repo": ([probe, "lookup"], env_for(empty), no_repo),
        "lookup-all-files": ([probe, "lookup"], env_for(files), os.path.join(files, "proj", "src", "deep")),
    }
    samples = {name: [] for name in variants}
    probe_samples = {name: [] for name in probes}
    order = list(variants) + ["probe:" + name for name in probes]
    cwd = os.getcwd()
    for _ in range(rounds):
        random.shuffle(order)
        for name in order:
            if name.startswith("probe:"):
                probe_samples[name[6:]].append(run_probe(*probes[name[6:]]))
                continue
            argv, env, where = variants[name]
            os.chdir(where)
            samples[name].append(spawn(argv, env))
    os.chdir(cwd)

    def stat(name, i, q):
        return pct([s[i] for s in samples[name]], q)

    result = {"rounds": rounds, "cpus": os.cpu_count(), "load": os.getloadavg()[0],
              "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), "variants": {}}
    print(f"ferry start-up with and without configuration files: {rounds} rounds, interleaved, "
          f"{os.cpu_count()} CPUs, load {os.getloadavg()[0]:.1f}")
    print(f"{'variant':<10} {'wall med':>9} {'wall p10':>9} {'cpu med':>8} {'cpu p10':>8} {'faults':>7}")
    for name in variants:
        row = {"wall_med_ms": stat(name, 0, 50), "wall_p10_ms": stat(name, 0, 10),
               "cpu_med_ms": stat(name, 1, 50), "cpu_p10_ms": stat(name, 1, 10),
               "faults_med": stat(name, 2, 50)}
        result["variants"][name] = row
        print(f"{name:<10} {row['wall_med_ms']:9.3f} {row['wall_p10_ms']:9.3f} "
              f"{row['cpu_med_ms']:8.3f} {row['cpu_p10_ms']:8.3f} {row['faults_med']:7.0f}")
    v = result["variants"]
    for a, b in (("no-files", "version"), ("all-files", "no-files"), ("all-files", "version")):
        d_wall = v[a]["wall_med_ms"] - v[b]["wall_med_ms"]
        d_cpu = v[a]["cpu_med_ms"] - v[b]["cpu_med_ms"]
        ratio = v[a]["cpu_med_ms"] / v[b]["cpu_med_ms"] if v[b]["cpu_med_ms"] else float("nan")
        result[f"{a}_minus_{b}"] = {"wall_ms": d_wall, "cpu_ms": d_cpu, "cpu_ratio": ratio}
        print(f"{a} - {b}: wall {d_wall:+.3f} ms, cpu {d_cpu:+.3f} ms (cpu ratio {ratio:.3f})")
    result["lookup_probe"] = probe_report(probes, probe_samples, samples["no-files"], rounds, work)
    out = os.environ.get("CONFIG_COST_JSON")
    if out:
        with open(out, "w") as f:
            json.dump(result, f, indent=2)
    os.system(f"rm -rf '{work}'")


def probe_report(probes, samples, start_samples, rounds, work):
    """The probe variants, their differences to env-only, and the verdict against the spread of
    a ferry start's own CPU time (the no-files --show-hosts start, from wait4)."""
    rep = {"rounds": rounds, "variants": {}}
    print(f"\nconfiguration lookup alone, in a fresh process (config_lookup_probe): {rounds} rounds, "
          f"same rounds as above; CPU and wall in us, around the one call only")
    print(f"{'variant':<17} {'cpu med':>8} {'cpu p10':>8} {'wall med':>9} {'faults':>7} "
          f"{'syscalls':>9} {'path calls':>10} {'files':>6}")
    for name, (argv, env, where) in probes.items():
        rows = samples[name]
        calls = count_syscalls(argv, env, where, work)
        row = {"cpu_med_us": pct([r[1] for r in rows], 50), "cpu_p10_us": pct([r[1] for r in rows], 10),
               "wall_med_us": pct([r[0] for r in rows], 50), "wall_p10_us": pct([r[0] for r in rows], 10),
               "faults_med": pct([r[2] for r in rows], 50), "faults_p10": pct([r[2] for r in rows], 10),
               "files_read": rows[0][3], "cwd_depth": len([c for c in where.split("/") if c]),
               "syscalls": calls[0] if calls else None, "path_syscalls": calls[1] if calls else None}
        rep["variants"][name] = row
        print(f"{name:<17} {row['cpu_med_us']:8.1f} {row['cpu_p10_us']:8.1f} {row['wall_med_us']:9.1f} "
              f"{row['faults_med']:7.1f} {row['syscalls'] if calls else '-':>9} "
              f"{row['path_syscalls'] if calls else '-':>10} {row['files_read']:>6}")
    v = rep["variants"]
    base = v["env-only"]
    for name in PROBE_VARIANTS[1:]:
        d = {"cpu_us": v[name]["cpu_med_us"] - base["cpu_med_us"],
             "cpu_p10_us": v[name]["cpu_p10_us"] - base["cpu_p10_us"],
             "wall_us": v[name]["wall_med_us"] - base["wall_med_us"],
             "faults": v[name]["faults_med"] - base["faults_med"],
             "syscalls": None, "path_syscalls": None}
        if base["syscalls"] is not None and v[name]["syscalls"] is not None:
            d["syscalls"] = v[name]["syscalls"] - base["syscalls"]
            d["path_syscalls"] = v[name]["path_syscalls"] - base["path_syscalls"]
        rep[f"{name}_minus_env-only"] = d
        extra = f", {d['syscalls']:+d} system calls ({d['path_syscalls']:+d} naming a path)" \
            if d["syscalls"] is not None else ""
        print(f"{name} - env-only: cpu {d['cpu_us']:+.1f} us (p10 {d['cpu_p10_us']:+.1f}), "
              f"faults {d['faults']:+.1f}, wall {d['wall_us']:+.1f} us{extra}")
    cpu = [s[1] * 1000 for s in start_samples]
    faults = [s[2] for s in start_samples]
    spread = {"variant": "no-files", "cpu_med_us": pct(cpu, 50), "cpu_p25_us": pct(cpu, 25),
              "cpu_p75_us": pct(cpu, 75), "faults_med": pct(faults, 50), "faults_p25": pct(faults, 25),
              "faults_p75": pct(faults, 75)}
    spread["cpu_spread_us"] = spread["cpu_p75_us"] - spread["cpu_p25_us"]
    spread["faults_spread"] = spread["faults_p75"] - spread["faults_p25"]
    rep["start"] = spread
    worst = max(NO_FILE_LOOKUPS, key=lambda n: rep[f"{n}_minus_env-only"]["cpu_us"])
    worst_d = rep[f"{worst}_minus_env-only"]
    measurable = worst_d["cpu_us"] >= spread["cpu_spread_us"]
    files_d = rep["lookup-all-files_minus_env-only"]
    rep["verdict"] = {
        "no_files_worst": worst, "no_files_cpu_us": worst_d["cpu_us"], "no_files_faults": worst_d["faults"],
        "no_files_measurable": measurable,
        "no_files_share_of_spread": worst_d["cpu_us"] / spread["cpu_spread_us"] if spread["cpu_spread_us"] else None,
        # Page faults are counted, not timed: a start's count hardly varies, so even one more
        # fault stands out of it (each costs ~25-70 us on a VM, and that is in cpu_us already).
        "no_files_faults_beyond_spread": worst_d["faults"] > spread["faults_spread"],
        "all_files_cpu_us": files_d["cpu_us"], "all_files_faults": files_d["faults"],
        "all_files_under_1ms": files_d["cpu_us"] < 1000,
    }
    print(f"a ferry start (no-files, --show-hosts): CPU median {spread['cpu_med_us']:.0f} us, "
          f"p25-p75 {spread['cpu_p25_us']:.0f}-{spread['cpu_p75_us']:.0f} us (spread "
          f"{spread['cpu_spread_us']:.0f} us); page faults median {spread['faults_med']:.0f}, p25-p75 "
          f"{spread['faults_p25']:.0f}-{spread['faults_p75']:.0f}")
    print(f"no configuration file: the lookup costs up to {worst_d['cpu_us']:.0f} us of CPU and "
          f"{worst_d['faults']:+.1f} page faults ({worst}), "
          + (f"at least the start's own spread of {spread['cpu_spread_us']:.0f} us: measurable at process level"
             if measurable else
             f"below the start's own spread of {spread['cpu_spread_us']:.0f} us: not measurable at process level")
          + (f"; its {worst_d['faults']:+.1f} page faults do stand out of the start's fault spread "
             f"({spread['faults_spread']:.0f})" if rep["verdict"]["no_files_faults_beyond_spread"] else ""))
    print(f"three files: the lookup costs {files_d['cpu_us']:.0f} us of CPU and {files_d['faults']:+.1f} "
          f"page faults, " + ("under" if files_d["cpu_us"] < 1000 else "NOT under") + " a millisecond")
    return rep


if __name__ == "__main__":
    main()
