"""Bytes sent and received per job, for each protocol version: each client talks to each daemon
through a counting TCP relay on 127.0.0.1, one job per connection. For ferry, the relay's count
is checked against the sent=/received= fields of its own log line."""

import os
import re
import shutil
import socket
import threading

from . import env as envmod
from .measure import run_measured


class CountingRelay:
    """Listens on a free port; relays every connection to target_port and counts the bytes."""

    def __init__(self, target_port):
        self.target = target_port
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.port = self.sock.getsockname()[1]
        self.conns = []  # [up, down] per connection, in accept order
        self.lock = threading.Lock()
        self.threads = []
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while True:
            try:
                client, _ = self.sock.accept()
            except OSError:
                return
            server = socket.create_connection(("127.0.0.1", self.target))
            counts = [0, 0]
            with self.lock:
                self.conns.append(counts)
            done = threading.Barrier(2, action=lambda c=client, s=server: (c.close(), s.close()))
            for src, dst, i in ((client, server, 0), (server, client, 1)):
                t = threading.Thread(target=self._pump, args=(src, dst, counts, i, done), daemon=True)
                t.start()
                self.threads.append(t)

    @staticmethod
    def _pump(src, dst, counts, i, done):
        try:
            while True:
                data = src.recv(65536)
                if not data:
                    break
                counts[i] += len(data)
                dst.sendall(data)
        except OSError:
            pass
        try:
            dst.shutdown(socket.SHUT_WR)
        except OSError:
            pass
        done.wait()

    def wait_idle(self):
        for t in list(self.threads):
            t.join(30)

    def close(self):
        self.sock.close()


_FIELDS = re.compile(r" sent=(\d+) received=(\d+)")


def run(ctx):
    work = os.path.join(ctx.work, "traffic")
    os.makedirs(work, exist_ok=True)
    sources = {}
    for name in ("tiny.c", "headers.c"):
        shutil.copy(os.path.join(ctx.data, name), os.path.join(work, name))
        pre = run_measured(["gcc", "-E", name, "-o", name + ".i"], ctx.env, work)
        sources[name] = os.path.getsize(os.path.join(work, name + ".i")) if pre["status"] == 0 else None
    rows = []
    # "ferry-plain": FERRY_STRATEGY=plain, distcc's fully expanded preprocessing, for comparison
    # with the default -fdirectives-only (which keeps the #defines, so it sends more).
    for client in ("ferry", "ferry-plain", "distcc"):
        for daemon in (ctx.ferryd, ctx.distccd):
            relay = CountingRelay(daemon.port)
            try:
                for proto in (1, 2):
                    for name in sources:
                        rows.append(_one(ctx, work, relay, client, daemon.kind, proto, name))
            finally:
                relay.close()
    return {"preprocessed_bytes (gcc -E)": sources, "jobs": rows}


def _one(ctx, work, relay, client, daemon, proto, name):
    spec = envmod.hostspec(relay.port, proto)
    log = os.path.join(work, f"{client}-{daemon}-v{proto}-{name}.log")
    if os.path.exists(log):
        os.unlink(log)
    if client.startswith("ferry"):
        extra = {"FERRY_STRATEGY": "plain"} if client == "ferry-plain" else {}
        env, argv = envmod.ferry_env(ctx.env, spec, FERRY_LOG=log, **extra), [ctx.ferry]
    else:
        env, argv = envmod.distcc_env(ctx.env, spec), [ctx.distcc]
    n0 = len(relay.conns)
    m = run_measured(argv + ["gcc", "-c", name, "-o", "out.o"], env, work, stderr=log + ".err")
    if m["status"] != 0:
        raise RuntimeError(f"traffic: {client} -> {daemon} v{proto} {name} exited with {m['status']}")
    relay.wait_idle()
    conns = relay.conns[n0:]
    if len(conns) != 1:
        raise RuntimeError(f"traffic: {client} -> {daemon} v{proto} {name}: {len(conns)} connections, expected 1")
    up, down = conns[0]
    row = {"client": client, "daemon": daemon, "protocol": proto, "source": name, "sent": up, "received": down}
    if client.startswith("ferry"):
        with open(log) as f:
            fields = _FIELDS.findall(f.read())
        if fields:
            row["ferry_log"] = {"sent": int(fields[-1][0]), "received": int(fields[-1][1])}
    return row
