#!/usr/bin/env python3
"""A raw distcc-protocol client for the ferryd e2e suites (hostile.sh, load.sh, ...).

It speaks protocol 1 byte by byte so the tests can send what no real client would.

  ferryd_client.py compile PORT SOURCE.i OUT_DIR ARGV...
      Sends DIST 1, the argv and SOURCE.i; writes OUT_DIR/{status,stderr,stdout,object} from the
      answer. Exit 0 when answered, 3 when the daemon closed without answering.
  ferryd_client.py raw PORT HEXFILE|- [--drip SECONDS] [--hold SECONDS] [--eof] [--bind ADDR]
      Sends the bytes (hex text, whitespace ignored; '-' reads stdin), optionally one byte every
      SECONDS, then (with --eof) shuts down its sending side, and keeps reading until the daemon closes (at most --hold seconds after sending).
      Prints "closed after N bytes" or "open" (still open when --hold ran out). Exit 0.
  ferryd_client.py request ARGV...   (with SOURCE on stdin)
      Prints a complete protocol-1 request as hex (to feed 'raw', cut or changed).
  ferryd_client.py load PORT DIR N
      N clients at once, each sending DIR/sI.i (see cmd_load); exit 0 when all compiled.
  ferryd_client.py http PORT PATH [--bind ADDR]
      GET PATH from a statistics port and print the response.
  ferryd_client.py flood PORT COUNT SECONDS [--bind ADDR]
      Opens COUNT connections, sends nothing, keeps them SECONDS, then closes them.
      Prints how many the daemon closed first.

Common option: --bind ADDR picks the client's source address (127.0.0.2 and so on are all
loopback), so a test can tell a flood's address from a good client's.
"""
import socket
import sys
import time


def header(token, value):
    return token.encode() + b"%08x" % value


def build_request(argv, source, version=1):
    out = header("DIST", version) + header("ARGC", len(argv))
    for a in argv:
        b = a.encode()
        out += header("ARGV", len(b)) + b
    return out + header("DOTI", len(source)) + source


def connect(port, bind=None, timeout=60):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    if bind:
        s.bind((bind, 0))
    s.settimeout(timeout)
    s.connect(("127.0.0.1", port))
    return s


def read_exact(s, n):
    buf = b""
    while len(buf) < n:
        chunk = s.recv(n - len(buf))
        if not chunk:
            raise EOFError("closed after %d of %d bytes" % (len(buf), n))
        buf += chunk
    return buf


def read_packet(s, token):
    h = read_exact(s, 12)
    if h[:4] != token.encode():
        raise ValueError("expected %s, got %r" % (token, h))
    return int(h[4:], 16)


def take_option(args, name, default=None):
    if name in args:
        i = args.index(name)
        value = args[i + 1]
        del args[i:i + 2]
        return value
    return default


def cmd_compile(args):
    bind = take_option(args, "--bind")
    port, source, out_dir, argv = int(args[0]), args[1], args[2], args[3:]
    with open(source, "rb") as f:
        body = f.read()
    s = connect(port, bind)
    s.sendall(build_request(argv, body))
    try:
        try:
            first = s.recv(12, socket.MSG_WAITALL)
        except ConnectionResetError:
            first = b""  # closed with our unread request bytes still queued
        if len(first) == 0:
            print("closed without an answer")
            return 3
        if first[:4] != b"DONE":
            raise ValueError("expected DONE, got %r" % first)
        status = read_packet(s, "STAT")
        parts = {}
        for token, name in (("SERR", "stderr"), ("SOUT", "stdout"), ("DOTO", "object")):
            parts[name] = read_exact(s, read_packet(s, token))
    except (EOFError, ConnectionResetError) as e:
        print("closed mid-answer: %s" % e)
        return 3
    with open(out_dir + "/status", "w") as f:
        f.write("%d\n" % status)
    for name, data in parts.items():
        with open(out_dir + "/" + name, "wb") as f:
            f.write(data)
    print("status %d" % status)
    return 0


def cmd_raw(args):
    drip = float(take_option(args, "--drip", "0"))
    hold = float(take_option(args, "--hold", "30"))
    bind = take_option(args, "--bind")
    eof = "--eof" in args
    if eof:
        args.remove("--eof")
    port, src = int(args[0]), args[1]
    text = sys.stdin.read() if src == "-" else open(src).read()
    data = bytes.fromhex("".join(text.split()))
    s = connect(port, bind)
    sent = 0
    try:
        if drip > 0:
            for i in range(len(data)):
                s.sendall(data[i:i + 1])
                sent += 1
                time.sleep(drip)
        else:
            s.sendall(data)
            sent = len(data)
        if eof:
            s.shutdown(socket.SHUT_WR)
    except (BrokenPipeError, ConnectionResetError):
        pass
    received = 0
    s.settimeout(0.2)
    deadline = time.monotonic() + hold
    while time.monotonic() < deadline:
        try:
            chunk = s.recv(65536)
        except socket.timeout:
            continue
        except ConnectionResetError:
            chunk = b""
        if not chunk:
            print("closed after %d bytes (sent %d of %d)" % (received, sent, len(data)))
            return 0
        received += len(chunk)
    print("open after %d bytes (sent %d of %d)" % (received, sent, len(data)))
    return 0


def cmd_request(args):
    version = int(take_option(args, "--version", "1"))
    body = sys.stdin.buffer.read()
    print(build_request(args, body, version).hex())
    return 0


def cmd_flood(args):
    bind = take_option(args, "--bind")
    port, count, seconds = int(args[0]), int(args[1]), float(args[2])
    socks = []
    for _ in range(count):
        socks.append(connect(port, bind))
    time.sleep(seconds)
    closed = 0
    for s in socks:
        s.setblocking(False)
        try:
            if s.recv(1) == b"":
                closed += 1
        except BlockingIOError:
            pass
        except ConnectionResetError:
            closed += 1
        s.close()
    print("%d of %d closed by the daemon" % (closed, count))
    return 0


def cmd_load(args):
    """N clients at once: DIR/sI.i (I = 1..N) sent as 'gcc -O2 -c sI.c -o sI.o'; each answer's
    object goes to DIR/sI.remote.o. Prints the counts; exit 0 when every job compiled."""
    import threading
    port, d, n = int(args[0]), args[1], int(args[2])
    barrier = threading.Barrier(n)
    results = [None] * n

    def one(i):
        name = "s%d" % (i + 1)
        with open("%s/%s.i" % (d, name), "rb") as f:
            body = f.read()
        req = build_request(["gcc", "-O2", "-c", name + ".c", "-o", name + ".o"], body)
        barrier.wait()
        try:
            s = connect(port, timeout=300)
            s.sendall(req)
            if read_exact(s, 12)[:4] != b"DONE":
                raise ValueError("no DONE")
            status = read_packet(s, "STAT")
            read_exact(s, read_packet(s, "SERR"))
            read_exact(s, read_packet(s, "SOUT"))
            obj = read_exact(s, read_packet(s, "DOTO"))
            s.close()
            with open("%s/%s.remote.o" % (d, name), "wb") as f:
                f.write(obj)
            results[i] = "status %d" % status
        except Exception as e:  # noqa: BLE001 - reported per client
            results[i] = "error %s" % e

    threads = [threading.Thread(target=one, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    ok = sum(1 for r in results if r == "status 0")
    print("%d of %d compiled" % (ok, n))
    for i, r in enumerate(results):
        if r != "status 0":
            print("s%d: %s" % (i + 1, r))
    return 0 if ok == n else 1


def cmd_http(args):
    """GET PATH from the statistics port; prints the whole response (header and body)."""
    bind = take_option(args, "--bind")
    port, path = int(args[0]), args[1]
    s = connect(port, bind, timeout=20)
    s.sendall(("GET %s HTTP/1.0\r\n\r\n" % path).encode())
    data = b""
    while True:
        try:
            chunk = s.recv(65536)
        except ConnectionResetError:
            break
        if not chunk:
            break
        data += chunk
    sys.stdout.write(data.decode("utf-8", "replace"))
    return 0


def main():
    if len(sys.argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    cmd, args = sys.argv[1], sys.argv[2:]
    return {"compile": cmd_compile, "raw": cmd_raw, "request": cmd_request,
            "flood": cmd_flood, "load": cmd_load, "http": cmd_http}[cmd](args)


if __name__ == "__main__":
    sys.exit(main())
