#!/usr/bin/env python3
"""Turns a bench/run.py results JSON into docs/performance.md and its plots (gnuplot, SVG).

    bench/report.py RESULTS.json --out-dir docs [--json-link ../bench/results/latest.json]

Every figure is labelled with the machine (CPU count, load average) and the date of the run; the
targets of issue 7 are checked here, and a missed one is reported with the margin it missed by."""

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile

# (key, description, target text, how to read the value, limit, lower is better)
TARGETS = []


def fmt(x, nd=2):
    if x is None:
        return "—"
    if isinstance(x, int):
        return str(x)
    return f"{x:.{nd}f}"


def label(meta):
    la = meta.get("loadavg_start") or []
    le = meta.get("loadavg_end") or []
    return (f"{meta.get('cpus')} CPUs, load {'/'.join(fmt(x) for x in la)} at start, "
            f"{'/'.join(fmt(x) for x in le)} at end, {meta.get('date')}")


def targets(r):
    """[(what, value text, target text, met, margin text)]."""
    rows = []

    def add(what, value, limit, higher_is_better=False, unit="×"):
        if value is None:
            rows.append((what, "—", "", None, "not measured"))
            return
        if higher_is_better:
            met = value >= limit
            miss = "" if met else f"missed by {(1 - value / limit) * 100:.0f}% ({fmt(value)}{unit} < {fmt(limit)}{unit})"
            tgt = f"≥ {fmt(limit)}{unit}"
        else:
            met = value <= limit
            miss = "" if met else f"missed by {(value / limit - 1) * 100:.0f}% ({fmt(value)}{unit} > {fmt(limit)}{unit})"
            tgt = f"≤ {fmt(limit)}{unit}"
        rows.append((what, f"{fmt(value)}{unit}", tgt, met, miss))

    inv = r.get("invocation", {}).get("ratios", {})
    add("run-local overhead: `ferry gcc -c` / `gcc -c` (wall, median)", inv.get("ferry-local / gcc"), 1.03)
    iv = r.get("invocation", {}).get("variants", {})
    if "ferry-local" in iv and "gcc" in iv:
        add("run-local overhead: `ferry gcc -c` / `gcc -c` (CPU of the process tree, median)",
            iv["ferry-local"]["client_cpu_ms"]["median"] / iv["gcc"]["client_cpu_ms"]["median"], 1.03)
    st = r.get("startup", {}).get("ratios", {})
    add("wrapper start-up: `ferry --plan` / trivial C++ (CPU)", st.get("ferry --plan gcc -c / trivial-c++ (CPU)"), 1.3)
    add("wrapper start-up: `ferry --plan` / trivial C++ (page faults)",
        st.get("ferry --plan gcc -c / trivial-c++ (page faults)"), 1.3)
    add("remote latency v1: ferry→ferryd / distcc→distccd", inv.get("ferry-ferryd-v1 / distcc-distccd-v1"), 0.8)
    add("remote latency v2: ferry→ferryd / distcc→distccd", inv.get("ferry-ferryd-v2 / distcc-distccd-v2"), 0.8)
    for name, b in r.get("builds", {}).items():
        if "skipped" in b:
            rows.append((f"full build {name}: ferry→ferryd / distcc→distccd", "—", "≤ 1.00×", None,
                         "not measured: " + b["skipped"]))
            continue
        add(f"full build {name}: ferry→ferryd / distcc→distccd", b["ratios"].get("ferry-ferryd / distcc-distccd"), 1.0)
    tp = r.get("throughput", {}).get("ratios", {})
    add("daemon throughput: ferryd / distccd (jobs/s)", tp.get("ferryd / distccd (jobs/s)"), 1.5, higher_is_better=True)
    return rows


# ---------------------------------------------------------------------------------------------
# Plots

def gnuplot(script, tmp):
    path = os.path.join(tmp, "plot.gp")
    with open(path, "w") as f:
        f.write(script)
    subprocess.run(["gnuplot", path], check=True)


def bar_plot(tmp, out, title, ylabel, rows, sub):
    """rows: [(label, value)]: one bar each."""
    dat = os.path.join(tmp, os.path.basename(out) + ".dat")
    with open(dat, "w") as f:
        for name, v in rows:
            f.write(f"\"{name}\" {v if v is not None else 0}\n")
    gnuplot(f"""set terminal svg size 860,420 dynamic font "sans,12"
set output "{out}"
set title "{title}\\n{{/*0.8 {sub}}}"
set ylabel "{ylabel}"
set style fill solid 0.8 border -1
set boxwidth 0.6
set yrange [0:*]
set grid ytics
set xtics rotate by -20 noenhanced
unset key
plot "{dat}" using 0:2:xtic(1) with boxes lc rgb "#4477aa", \\
     "" using 0:2:(sprintf("%.1f", $2)) with labels offset 0,0.7 notitle
""", tmp)


def grouped_plot(tmp, out, title, ylabel, groups, series, values, sub, logscale=False):
    """groups along x, one bar per series in each; values[(group, series)]."""
    dat = os.path.join(tmp, os.path.basename(out) + ".dat")
    with open(dat, "w") as f:
        f.write("group " + " ".join(f"\"{s}\"" for s in series) + "\n")
        for g in groups:
            f.write(f"\"{g}\" " + " ".join(fmt(values.get((g, s)) or 0, 4) for s in series) + "\n")
    cols = ", ".join(f"\"{dat}\" using {i + 2}:xtic(1) title columnheader({i + 2})" if i == 0 else
                     f"'' using {i + 2} title columnheader({i + 2})" for i in range(len(series)))
    gnuplot(f"""set terminal svg size 860,420 dynamic font "sans,12"
set output "{out}"
set title "{title}\\n{{/*0.8 {sub}}}"
set ylabel "{ylabel}"
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.8 border -1
{"set logscale y" if logscale else "set yrange [0:*]"}
set grid ytics
set key top left noenhanced
set xtics noenhanced {"rotate by -20" if len(groups) > 4 else ""}
plot {cols}
""", tmp)


def plots(r, img_dir, rel):
    os.makedirs(img_dir, exist_ok=True)
    sub = label(r["meta"])
    made = {}
    tmp = tempfile.mkdtemp(prefix="ferry-report.")
    try:
        if "invocation" in r:
            v = r["invocation"]["variants"]
            out = os.path.join(img_dir, "invocation.svg")
            bar_plot(tmp, out, "gcc -c tiny.c: wall time per invocation (median)", "ms",
                     [(n, v[n]["wall_ms"]["median"]) for n in v], sub)
            made["invocation"] = f"{rel}/invocation.svg"
        if "startup" in r:
            v = r["startup"]["variants"]
            out = os.path.join(img_dir, "startup.svg")
            grouped_plot(tmp, out, "Start-up cost of one process (median)", "CPU ms / page faults ÷ 10",
                         list(v), ["CPU ms", "page faults / 10"],
                         {**{(n, "CPU ms"): v[n]["cpu_ms"]["median"] for n in v},
                          **{(n, "page faults / 10"): v[n]["minflt"]["median"] / 10 for n in v}}, sub)
            made["startup"] = f"{rel}/startup.svg"
        if any("skipped" not in b for b in r.get("builds", {}).values()):
            b = {w: x for w, x in r["builds"].items() if "skipped" not in x}
            series = list(next(iter(b.values()))["variants"])
            out = os.path.join(img_dir, "builds.svg")
            grouped_plot(tmp, out, "Full builds: wall time relative to the local build (median)",
                         "time / local build", list(b), series,
                         {(w, s): b[w]["variants"][s]["wall_s"]["median"] / b[w]["variants"]["local"]["wall_s"]["median"]
                          for w in b for s in series}, sub)
            made["builds"] = f"{rel}/builds.svg"
        if "throughput" in r:
            v = r["throughput"]["variants"]
            out = os.path.join(img_dir, "throughput.svg")
            bar_plot(tmp, out, f"Daemon throughput: {r['throughput']['jobs']} tiny jobs, "
                     f"{r['throughput']['concurrency']} at a time (median)", "jobs / s",
                     [(n, v[n]["jobs_per_s"]["median"]) for n in v], sub)
            made["throughput"] = f"{rel}/throughput.svg"
        if "traffic" in r:
            pairs = {("ferry", "ferryd"), ("ferry-plain", "ferryd"), ("distcc", "distccd")}
            rows = [j for j in r["traffic"]["jobs"] if (j["client"], j["daemon"]) in pairs]
            groups = sorted({f"{j['client']}→{j['daemon']} {j['source']}" for j in rows})
            out = os.path.join(img_dir, "traffic.svg")
            vals = {}
            for j in rows:
                g = f"{j['client']}→{j['daemon']} {j['source']}"
                vals[(g, f"v{j['protocol']} sent")] = j["sent"] / 1024
                vals[(g, f"v{j['protocol']} received")] = j["received"] / 1024
            grouped_plot(tmp, out, "Bytes on the wire per job", "KiB (log scale)", groups,
                         ["v1 sent", "v1 received", "v2 sent", "v2 received"], vals, sub, logscale=True)
            made["traffic"] = f"{rel}/traffic.svg"
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return made


# ---------------------------------------------------------------------------------------------
# The page

def table(header, rows):
    out = ["| " + " | ".join(header) + " |", "|" + "|".join("---" if i == 0 else "---:" for i in range(len(header))) + "|"]
    out += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return "\n".join(out)


def page(r, made, json_link):
    m = r["meta"]
    L = []
    L.append("# Performance: ferry against plain gcc and distcc 3.4\n")
    L.append(f"Measured {m['date']} on {m['cpus']} CPUs ({m.get('cpu_model', '')}), Linux {m.get('kernel')}, "
             f"{m.get('gcc')}, {m.get('distcc')}; ferry commit `{m.get('ferry_commit')}`. "
             f"Load average {'/'.join(fmt(x) for x in m['loadavg_start'])} at the start of the run and "
             f"{'/'.join(fmt(x) for x in m.get('loadavg_end', []))} at its end; the run took "
             f"{fmt(m.get('seconds'), 0)} s. Raw figures: [{os.path.basename(json_link)}]({json_link}).\n")
    if "error" in r:
        L.append(f"**This run FAILED** and its figures are incomplete: `{r['error'].splitlines()[0]}`\n")
    # Other work on the machine shows in the 1-minute load when the run starts; the 5- and
    # 15-minute averages remember what ran before, and the load at the end is the benchmark's own.
    start_1min = m["loadavg_start"][0]
    if start_1min > 0.5 * m["cpus"]:
        L.append(f"**This run was measured while the machine was loaded** (1-minute load average "
                 f"{fmt(start_1min)} at the start on {m['cpus']} CPUs): other builds and test "
                 "suites were running. Every variant ran interleaved with the others in the same run, so the "
                 "ratios are fairer than the absolute times, but both are noisier than on a quiet machine. The CPU "
                 "times, page faults and instruction counts are the figures the load disturbs least.\n")
    else:
        L.append(f"Nothing else was running when the run started (1-minute load average {fmt(start_1min)}); "
                 "the load during the run is the benchmark's own builds and daemons.\n")
    L.append("Reproduce with `./scripts/bench.sh` (see README.md). Daemons on 127.0.0.1, both with "
             f"`--jobs {m['daemon_jobs']}`, on the same CPUs as the client, so a distributed build cannot beat the "
             "local one here: what these numbers show is each tool's overhead.\n")

    L.append("## Targets\n")
    rows = []
    for what, val, tgt, met, miss in targets(r):
        rows.append((what, val, tgt, "met" if met else ("**missed**" if met is False else "—"), miss))
    L.append(table(["target (issue 7)", "measured", "target", "", "by how much"], rows) + "\n")

    if "invocation" in r:
        inv = r["invocation"]
        L.append("## Per-invocation overhead\n")
        L.append(f"`gcc -c tiny.c -o tiny.o` ({inv['source']}), each variant {inv['rounds']} times, interleaved in "
                 "a random order each round; every output is checked byte for byte against plain gcc's. "
                 "`-local` = hosts `localhost` (the wrapper decides to compile here); `-v1`/`-v2` = to the "
                 "daemon on loopback with protocol 1 / 2 (`,lzo`). Client CPU is the client's whole process "
                 "tree (its gcc -E included); daemon CPU is the daemon's whole tree (its compiler included), "
                 "mean per job.\n")
        rows = []
        for n, v in inv["variants"].items():
            rows.append((f"`{n}`", fmt(v["wall_ms"]["median"], 1), fmt(v["wall_ms"]["p10"], 1), fmt(v["wall_ms"]["p90"], 1),
                         fmt(v["client_cpu_ms"]["median"], 1), fmt(v.get("daemon_cpu_ms_mean"), 1), fmt(v["total_cpu_ms"], 1)))
        L.append(table(["variant", "wall ms (median)", "p10", "p90", "client CPU ms", "daemon CPU ms", "total CPU ms"], rows))
        L.append("\n" + "; ".join(f"{k}: **{fmt(x, 3)}**" for k, x in inv["ratios"].items()) + "\n")
        if "invocation" in made:
            L.append(f"![per-invocation wall time]({made['invocation']})\n")

    if "startup" in r:
        st = r["startup"]
        L.append("## Wrapper start-up\n")
        L.append(f"One process each, {st['rounds']} rounds interleaved; CPU = user + system time and page faults "
                 "(minor) from `wait4`'s rusage. `ferry --plan gcc -c tiny.c` is what every ferry run does before "
                 "it preprocesses or runs the compiler (environment, host list, loading the gcc plugin, the plan), "
                 "without running anything. Instructions: callgrind's count for the process alone, "
                 "which the machine's load does not change.\n")
        rows = []
        for n, v in st["variants"].items():
            rows.append((f"`{n}`", fmt(v["wall_ms"]["median"], 2), fmt(v["cpu_ms"]["median"], 2), fmt(v["minflt"]["median"], 0),
                         f"{v['instructions']:,}" if v.get("instructions") else "—"))
        L.append(table(["process", "wall ms", "CPU ms", "page faults", "instructions"], rows))
        L.append("\n" + "; ".join(f"{k}: **{fmt(x, 2)}**" for k, x in st["ratios"].items()) + "\n")
        if "startup" in made:
            L.append(f"![start-up cost]({made['startup']})\n")

    if "builds" in r:
        L.append("## Full builds\n")
        L.append(f"`make clean` then `make -jN`: local with `-j{m['local_make_jobs']}`; distributed with "
                 f"`-j{m['remote_make_jobs']}` and host `127.0.0.1:PORT/{m['remote_make_jobs']}` (protocol 1), "
                 "fallback off, so a job that could not be distributed would fail the build. Variants interleaved in a "
                 "random order each repetition; medians. An untimed local build first gives the reference objects: "
                 "**every object of every timed build was compared with it** (`bench/compare-objects.sh`, the checks "
                 "of `tests/e2e/lib.sh`: byte-identical, or with -g identical outside the debug sections with the "
                 "same DWARF names and compilation directory), and the run stops at the first difference.\n")
        rows = []
        for w, b in r["builds"].items():
            if "skipped" in b:
                rows.append((w, "—", "not measured", "", "", "", "", b["skipped"] +
                             " (on this busy machine); `./scripts/bench.sh` builds it"))
                continue
            loc = b["variants"]["local"]["wall_s"]["median"]
            for v, d in b["variants"].items():
                chk = d["objects_check"]
                rows.append((f"{w} ({b['lang']}, {b['upstream']})" if v == "local" else "", f"`{v}`",
                             fmt(d["wall_s"]["median"], 2), fmt(d["wall_s"]["min"], 2), fmt(d["wall_s"]["median"] / loc, 2),
                             fmt(d["client_cpu_s"]["median"], 1), "/".join(str(x) for x in d["remote_jobs"]),
                             f"{chk.get('objects')}: {chk.get('identical')} identical, "
                             f"{chk.get('identical_outside_debug')} outside debug"))
        L.append(table(["workload", "variant", "wall s (median)", "min", "÷ local", "client CPU s", "jobs on daemon",
                        "objects vs local build"], rows))
        L.append("")
        for w, b in r["builds"].items():
            if "skipped" in b:
                continue
            L.append(f"- {w} ({b['reps']} repetition{'s' if b['reps'] != 1 else ''}): " + "; ".join(f"{k}: **{fmt(x, 3)}**" for k, x in b["ratios"].items()))
        L.append("")
        if "builds" in made:
            L.append(f"![full builds]({made['builds']})\n")

    if "throughput" in r:
        tp = r["throughput"]
        L.append("## Daemon throughput\n")
        L.append(f"{tp['jobs']} jobs of the preprocessed tiny.c (protocol {tp['protocol']}), {tp['concurrency']} connections "
                 f"at a time, against one daemon with `--jobs {tp['daemon_jobs']}`; {tp['reps']} repetitions, "
                 "interleaved. The requests are sent by a small client in `bench/ferrybench/throughput.py`, so no "
                 "client preprocessing competes with the daemon; every reply is checked (STAT 0, object byte-identical "
                 "to a local compile).\n")
        rows = [(f"`{n}`", fmt(v["jobs_per_s"]["median"], 1), fmt(v["latency_ms"]["median"], 1),
                 fmt(v["latency_ms"]["p90"], 1), fmt(v["daemon_cpu_ms_per_job"]["median"], 1)) for n, v in tp["variants"].items()]
        L.append(table(["daemon", "jobs/s (median)", "latency ms (median)", "p90", "daemon CPU ms/job"], rows))
        L.append("\n" + "; ".join(f"{k}: **{fmt(x, 3)}**" for k, x in tp["ratios"].items()) + "\n")
        if "throughput" in made:
            L.append(f"![daemon throughput]({made['throughput']})\n")

    if "traffic" in r:
        tr = r["traffic"]
        L.append("## Bytes per job\n")
        L.append("One job through a counting TCP relay on loopback: bytes the client sent (request: argv and "
                 "preprocessed source) and received (reply: status, messages, object). Protocol 2 compresses "
                 "the source and the object with LZO. Size of `gcc -E` output for scale: " +
                 ", ".join(f"{k} {v} bytes" for k, v in tr["preprocessed_bytes (gcc -E)"].items()) +
                 ". ferry's preprocessing keeps macros unexpanded (`-fdirectives-only`), so what it sends differs "
                 "from distcc's fully expanded source.\n")
        rows = []
        for j in tr["jobs"]:
            fl = j.get("ferry_log")
            rows.append((f"{j['client']} → {j['daemon']}", j["protocol"], j["source"], j["sent"], j["received"],
                         f"{fl['sent']}/{fl['received']}" if fl else ""))
        L.append(table(["client → daemon", "protocol", "source", "bytes sent", "bytes received",
                        "ferry's log sent/received"], rows))
        L.append("")
        sent = {(j["client"], j["daemon"], j["protocol"], j["source"]): j["sent"] for j in tr["jobs"]}
        notes = []
        for (c, d, p, src), n in sorted(sent.items()):
            other = sent.get(("distcc", "distccd", p, src))
            plain = sent.get(("ferry-plain", "ferryd", p, src))
            if c == "ferry" and d == "ferryd" and other:
                notes.append(f"{src} v{p}: {n} against {other} bytes ({fmt(n / other, 1)}×; "
                             f"{plain if plain is not None else '—'} with `FERRY_STRATEGY=plain`)")
        if notes:
            L.append("Per job, ferry→ferryd sends against distcc→distccd: " + "; ".join(notes) + ". The "
                     "difference is the preprocessing strategy, not the protocol: the gcc plugin's default "
                     "`-fdirectives-only` keeps every `#define` (the compiler's predefined macros and the "
                     "headers'), which a fully expanded `gcc -E` drops; that is what buys -g objects identical "
                     "to a local compile's (docs/ferry.md). `ferry-plain` rows use `FERRY_STRATEGY=plain`, "
                     "distcc's way.\n")
        if "traffic" in made:
            L.append(f"![bytes per job]({made['traffic']})\n")

    if "config_cost" in r:
        L.append("## Reading the configuration\n")
        cc = r["config_cost"]
        L.append(f"From `bench/config_cost/` (issue 5): `ferry --version` (reads no configuration), "
                 f"`ferry --show-hosts` with no configuration file, and with a site policy (the shipped "
                 f"`config/policy.toml`), a user file and a project `.ferry.toml`; {cc.get('rounds')} "
                 f"rounds, interleaved, medians per process ({cc.get('cpus')} CPUs, load "
                 f"{fmt(cc.get('load'), 1)}, {cc.get('date')}).\n")
        L.append("| variant | wall ms | CPU ms | page faults |")
        L.append("|---|---:|---:|---:|")
        for name, v in cc.get("variants", {}).items():
            L.append(f"| {name} | {fmt(v.get('wall_med_ms'), 2)} | {fmt(v.get('cpu_med_ms'), 2)} | "
                     f"{fmt(v.get('faults_med'), 0)} |")
        L.append("")
        d_none = cc.get("no-files_minus_version", {})
        d_files = cc.get("all-files_minus_no-files", {})
        L.append(f"Three configuration files cost {fmt(d_files.get('cpu_ms'), 2)} ms of CPU per start "
                 f"against none (target: well under 1 ms); with no file present, `--show-hosts` "
                 f"costs {fmt(d_none.get('cpu_ms'), 2)} ms over `--version`, which also holds "
                 f"--show-hosts' own work (parsing and printing the host list): the lookup alone is "
                 f"measured below. Wall-clock differences on a loaded VM are "
                 f"noise at this scale; CPU time and page faults are the figures to read.\n")
        if "lookup_probe" in cc:
            L.append(lookup_probe_section(cc["lookup_probe"]))
    return "\n".join(L)


PROBE_ROWS = {
    "env-only": "environment layer and checks only: no file looked for (baseline)",
    "lookup": "the lookup as a start does it, no file exists, cwd 2 levels below a repository root",
    "lookup-no-repo": "the same, cwd in no repository: the walk for .ferry.toml goes up to /",
    "lookup-all-files": "the same with the three files of `all-files` read and checked",
}


def lookup_probe_section(p):
    """The configuration lookup alone (bench/config_cost/lookup_probe.cpp), against env-only."""
    L = ["### The lookup alone\n"]
    L.append("`config_lookup_probe` runs, once in a fresh process and in the same interleaved rounds, "
             "either the configuration lookup exactly as a ferry start does it (`load_client_config` "
             "with the real environment and working directory) or the same minus the files, and "
             "measures that one call from inside: CPU time (the process clock), page faults and wall "
             "time. The difference to `env-only` is what looking for (and reading) the files costs a "
             "start; compare it with how much a start varies by itself, the p25–p75 spread of the "
             "`no-files` start's CPU time. System calls are counted once per variant under strace.\n")
    rows = []
    base = p["variants"]["env-only"]
    for name, v in p["variants"].items():
        d = p.get(f"{name}_minus_env-only")
        depth = f" (depth {v['cwd_depth']})" if name == "lookup-no-repo" and v.get("cwd_depth") else ""
        rows.append((f"`{name}`", PROBE_ROWS.get(name, "") + depth, fmt(v["cpu_med_us"], 0), fmt(v["cpu_p10_us"], 0),
                     fmt(v["faults_med"], 0), fmt(v.get("syscalls")), v.get("files_read"),
                     f"{d['cpu_us']:+.0f} µs, {d['faults']:+g} faults" +
                     (f", {d['syscalls']:+d} calls" if d.get("syscalls") is not None else "") if d else "—"))
    L.append(table(["probe", "what it runs", "CPU µs (median)", "p10", "page faults", "system calls",
                    "files", "− env-only (medians)"], rows))
    st, vd = p["start"], p["verdict"]
    L.append("")
    L.append(f"A `no-files` start itself takes {fmt(st['cpu_med_us'] / 1000, 2)} ms of CPU (median), "
             f"p25–p75 {fmt(st['cpu_p25_us'] / 1000, 2)}–{fmt(st['cpu_p75_us'] / 1000, 2)} ms: a spread of "
             f"{fmt(st['cpu_spread_us'], 0)} µs, and {fmt(st['faults_med'], 0)} page faults "
             f"(p25–p75 {fmt(st['faults_p25'], 0)}–{fmt(st['faults_p75'], 0)}). "
             f"**With no configuration file, the lookup costs up to {fmt(vd['no_files_cpu_us'], 0)} µs of "
             f"CPU and {vd['no_files_faults']:+g} page faults** (`{vd['no_files_worst']}`), "
             + (f"below that spread: not measurable at process level"
                if not vd["no_files_measurable"] else
                f"at least that spread: measurable at process level")
             + (f" in time, though its page faults are counted above the start's own fault spread "
                f"(each costs tens of µs on a VM and is included in the CPU figure)"
                if vd.get("no_files_faults_beyond_spread") else "")
             + f". **With the three files it costs {fmt(vd['all_files_cpu_us'], 0)} µs and "
             f"{vd['all_files_faults']:+g} page faults**, "
             + ("under" if vd["all_files_under_1ms"] else "not under") + " a millisecond.\n")
    return "\n".join(L)


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("results")
    p.add_argument("--out-dir", required=True, help="writes OUT_DIR/performance.md and OUT_DIR/performance/*.svg")
    p.add_argument("--json-link", help="how the page links the results JSON (default: its path)")
    p.add_argument("--no-plots", action="store_true")
    a = p.parse_args()
    with open(a.results) as f:
        r = json.load(f)
    made = {}
    if not a.no_plots:
        if not shutil.which("gnuplot"):
            print("report: gnuplot is not installed (scripts/bench.sh installs gnuplot-nox)", file=sys.stderr)
            return 1
        made = plots(r, os.path.join(a.out_dir, "performance"), "performance")
    md = os.path.join(a.out_dir, "performance.md")
    with open(md, "w") as f:
        f.write(page(r, made, a.json_link or a.results))
    print(f"report: wrote {md}" + (f" and {len(made)} plots" if made else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
