"""Daemon throughput: many concurrent tiny jobs against one daemon, ferryd against distccd.

A small client in this file sends ready-made protocol-1 requests (the preprocessed tiny.c), so
the measurement is the daemon's, not a client's preprocessing: `concurrency` connections at a
time, `jobs` in all, both daemons started with the same --jobs. Every reply must be DONE 1,
STAT 0 and an object byte-identical to a local `gcc -c tiny.c`."""

import os
import random
import socket
import subprocess
import threading
import time

from .measure import summary, ratio


def _packet(token, value):
    return token.encode() + b"%08x" % value


def request(argv, source):
    out = [_packet("DIST", 1), _packet("ARGC", len(argv))]
    for a in argv:
        b = a.encode()
        out += [_packet("ARGV", len(b)), b]
    out += [_packet("DOTI", len(source)), source]
    return b"".join(out)


def _read_exact(sock, n):
    buf = bytearray()
    while len(buf) < n:
        chunk = sock.recv(n - len(buf))
        if not chunk:
            raise ConnectionError(f"connection closed after {len(buf)} of {n} bytes")
        buf += chunk
    return bytes(buf)


def _read_packet(sock, token):
    head = _read_exact(sock, 12)
    if head[:4] != token.encode():
        raise ConnectionError(f"expected {token}, got {head[:4]!r}")
    return int(head[4:], 16)


def one_job(port, req, timeout=120):
    """Sends one request; returns (STAT, object bytes). Raises on a protocol error."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as s:
        s.sendall(req)
        if _read_packet(s, "DONE") != 1:
            raise ConnectionError("DONE is not 1")
        stat = _read_packet(s, "STAT")
        _read_exact(s, _read_packet(s, "SERR"))
        _read_exact(s, _read_packet(s, "SOUT"))
        obj = _read_exact(s, _read_packet(s, "DOTO"))
        return stat, obj


def batch(port, req, ref_obj, jobs, concurrency):
    """Runs `jobs` jobs with `concurrency` in flight; returns (seconds, per-job latencies)."""
    lock = threading.Lock()
    state = {"next": 0, "errors": []}
    latencies = []

    def worker():
        while True:
            with lock:
                if state["next"] >= jobs or state["errors"]:
                    return
                state["next"] += 1
            t0 = time.perf_counter()
            try:
                stat, obj = one_job(port, req)
                if stat != 0:
                    raise RuntimeError(f"STAT {stat:#x}")
                if obj != ref_obj:
                    raise RuntimeError("the object is not byte-identical to a local gcc -c")
            except Exception as e:  # noqa: BLE001 - reported with the batch
                with lock:
                    state["errors"].append(str(e))
                return
            with lock:
                latencies.append(time.perf_counter() - t0)

    start = time.perf_counter()
    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - start
    if state["errors"]:
        raise RuntimeError(f"throughput job failed on port {port}: {state['errors'][0]}")
    return elapsed, latencies


def run(ctx, jobs, concurrency, reps):
    work = os.path.join(ctx.work, "throughput")
    os.makedirs(work, exist_ok=True)
    tiny = os.path.join(ctx.data, "tiny.c")
    source = subprocess.run(["gcc", "-E", tiny], capture_output=True, check=True, env=ctx.env, cwd=work).stdout
    subprocess.run(["gcc", "-c", tiny, "-o", "ref.o"], check=True, env=ctx.env, cwd=work)
    with open(os.path.join(work, "ref.o"), "rb") as f:
        ref_obj = f.read()
    req = request(["gcc", "-c", "tiny.c", "-o", "tiny.o"], source)
    daemons = [ctx.ferryd, ctx.distccd]
    batch(ctx.ferryd.port, req, ref_obj, concurrency, concurrency)  # warm-up
    batch(ctx.distccd.port, req, ref_obj, concurrency, concurrency)
    rates = {d.kind: [] for d in daemons}
    lat = {d.kind: [] for d in daemons}
    cpu = {d.kind: [] for d in daemons}
    for _ in range(reps):
        order = list(daemons)
        random.shuffle(order)
        for d in order:
            c0 = d.tree_cpu()
            elapsed, l = batch(d.port, req, ref_obj, jobs, concurrency)
            time.sleep(0.2)  # let the daemon reap its last job processes before reading CPU
            cpu[d.kind].append((d.tree_cpu() - c0) / jobs)
            rates[d.kind].append(jobs / elapsed)
            lat[d.kind].extend(l)
    res = {"jobs": jobs, "concurrency": concurrency, "reps": reps, "daemon_jobs": ctx.daemon_jobs,
           "protocol": 1, "variants": {}}
    for k in rates:
        res["variants"][k] = {
            "jobs_per_s": summary(rates[k]),
            "latency_ms": summary(lat[k], 1000),
            "daemon_cpu_ms_per_job": summary(cpu[k], 1000),
        }
    res["ratios"] = {"ferryd / distccd (jobs/s)": ratio(res["variants"]["ferryd"]["jobs_per_s"]["median"],
                                                         res["variants"]["distccd"]["jobs_per_s"]["median"])}
    return res
