"""ferryd and distccd on free 127.0.0.1 ports, started as tests/e2e/lib.sh starts them, and the
CPU time their process trees use (a daemon's compiles are not in the client's rusage)."""

import os
import signal
import socket
import subprocess
import time

START_TIMEOUT = 20
STOP_TIMEOUT = 10
EXIT_BIND_FAILED = 102  # distccd: somebody took the port between free_port() and bind()


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def port_listening(port):
    out = subprocess.run(["ss", "-Hltn", f"sport = :{port}"], capture_output=True, text=True).stdout
    return bool(out.strip())


class Daemon:
    def __init__(self, kind, proc, port, log):
        self.kind = kind
        self.proc = proc
        self.port = port
        self.log = log

    def compile_ok_count(self):
        """COMPILE_OK lines so far: both daemons log one per successful job."""
        try:
            with open(self.log, "rb") as f:
                return f.read().count(b"COMPILE_OK")
        except FileNotFoundError:
            return 0

    def tree_cpu(self):
        """Seconds of CPU used by the daemon, its live children and every child it has reaped."""
        return tree_cpu(self.proc.pid)

    def stop(self):
        if self.proc.poll() is not None:
            return
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


def _wait_listening(proc, port_of, log, what):
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        port = port_of()
        if port and port_listening(port):
            return port
        if proc.poll() is not None:
            return None
        time.sleep(0.1)
    proc.kill()
    raise RuntimeError(f"{what} did not listen within {START_TIMEOUT}s; log {log}")


def start_ferryd(ferryd, work, env, jobs):
    d = os.path.join(work, "daemons", "ferryd")
    os.makedirs(d, exist_ok=True)
    port_file, log = os.path.join(d, "port"), os.path.join(d, "log")
    with open(log, "ab") as err:
        proc = subprocess.Popen(
            [ferryd, "--no-detach", "--listen", "127.0.0.1", "--port", "0", "--port-file", port_file,
             "--log-stderr", "--jobs", str(jobs)],
            env=env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=err)

    def port_of():
        try:
            with open(port_file) as f:
                text = f.read().strip()
            return int(text) if text.isdigit() else None
        except FileNotFoundError:
            return None

    port = _wait_listening(proc, port_of, log, "ferryd")
    if port is None:
        raise RuntimeError(f"ferryd exited with {proc.returncode} before listening; log {log}")
    return Daemon("ferryd", proc, port, log)


def start_distccd(distccd, work, env, jobs):
    """As root distccd drops to user distccd, so it gets TMPDIR=/tmp (it could not write ours)."""
    d = os.path.join(work, "daemons", "distccd")
    os.makedirs(d, exist_ok=True)
    log = os.path.join(d, "log")
    denv = dict(env, TMPDIR="/tmp")
    for _ in range(5):
        port = free_port()
        with open(log, "ab") as err:
            proc = subprocess.Popen(
                [distccd, "--daemon", "--no-detach", "--listen", "127.0.0.1", "--port", str(port),
                 "--allow", "127.0.0.1", "--log-stderr", "--jobs", str(jobs)],
                env=denv, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=err)
        if _wait_listening(proc, lambda: port, log, "distccd"):
            return Daemon("distccd", proc, port, log)
        if proc.wait() != EXIT_BIND_FAILED:
            raise RuntimeError(f"distccd exited with {proc.returncode}; log {log}")
    raise RuntimeError("distccd could not bind a port in 5 attempts")


def _proc_table():
    """pid -> (ppid, cpu ticks: utime + stime + cutime + cstime)."""
    table = {}
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            with open(f"/proc/{name}/stat") as f:
                stat = f.read()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2:].split()
        # fields[0] is field 3 (state): ppid is field 4, utime..cstime are fields 14..17.
        table[int(name)] = (int(fields[1]), sum(int(x) for x in fields[11:15]))
    return table


def tree_cpu(root):
    table = _proc_table()
    children = {}
    for pid, (ppid, _) in table.items():
        children.setdefault(ppid, []).append(pid)
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        if pid in table:
            total += table[pid][1]
            todo.extend(children.get(pid, []))
    return total / os.sysconf("SC_CLK_TCK")
