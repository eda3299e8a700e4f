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
"""
import json
import os
import random
import statistics
import sys
import tempfile
import time


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


def main():
    ferry, site_policy, rounds = sys.argv[1], sys.argv[2], int(sys.argv[3])
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
    samples = {name: [] for name in variants}
    order = list(variants)
    cwd = os.getcwd()
    for _ in range(rounds):
        random.shuffle(order)
        for name in order:
            argv, env, where = variants[name]
            os.chdir(where)
            samples[name].append(spawn(argv, env))
    os.chdir(cwd)

    def stat(name, i, q):
        values = sorted(s[i] for s in samples[name])
        return statistics.median(values) if q == 50 else values[len(values) * q // 100]

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
    out = os.environ.get("CONFIG_COST_JSON")
    if out:
        with open(out, "w") as f:
            json.dump(result, f, indent=2)
    os.system(f"rm -rf '{work}'")


if __name__ == "__main__":
    main()
