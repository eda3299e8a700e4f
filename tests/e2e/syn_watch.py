#!/usr/bin/env python3
"""Runs a command and measures how long its connects to 127.0.0.1:PORT stayed in SYN_SENT.

    syn_watch.py PORT REPORT CMD [ARGS...]

Polls /proc/net/tcp (a file read, no subprocess, so the polls stay frequent on a loaded
machine) every 20 ms while CMD runs. For the longest-lived SYN_SENT socket to PORT it writes
to REPORT:
    seen N          sockets to PORT seen in SYN_SENT
    lower_ms L      it was in SYN_SENT at least this long (first to last poll that saw it)
    upper_ms U      and at most this long (poll before it appeared to the poll after it went)
    elapsed_ms E    how long CMD ran
Both bounds hold however late a poll comes, so a busy machine only widens them. Exits with
CMD's status (128+n for a signal).
"""
import subprocess
import sys
import time

SYN_SENT = "02"


def syn_sent_sockets(port_hex):
    found = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            with open(table) as f:
                next(f)
                for line in f:
                    fields = line.split()
                    local, remote, state = fields[1], fields[2], fields[3]
                    if state == SYN_SENT and remote.endswith(":" + port_hex):
                        found.add(local)
        except OSError:
            pass
    return found


def main():
    port, report = int(sys.argv[1]), sys.argv[2]
    port_hex = "%04X" % port
    start = time.monotonic()
    proc = subprocess.Popen(sys.argv[3:])
    previous = start    # the time of the last poll
    spans = {}          # socket -> [poll before first seen, first seen, last seen, poll after]
    while True:
        done = proc.poll() is not None
        now_set = syn_sent_sockets(port_hex)
        now = time.monotonic()
        for s in now_set:
            if s not in spans:
                spans[s] = [previous, now, now, None]
            elif spans[s][3] is None:
                spans[s][2] = now
        for s, span in spans.items():
            if s not in now_set and span[3] is None:
                span[3] = now
        previous = now
        if done:
            break
        time.sleep(0.02)
    status = proc.returncode
    end = time.monotonic()
    lower = upper = 0.0
    for before, first, last, after in spans.values():
        if (last - first) >= lower:
            lower = last - first
            upper = (after if after is not None else end) - before
    with open(report, "w") as f:
        f.write("seen %d\nlower_ms %d\nupper_ms %d\nelapsed_ms %d\n"
                % (len(spans), lower * 1000, upper * 1000, (end - start) * 1000))
    sys.exit(status if status >= 0 else 128 - status)


if __name__ == "__main__":
    main()
