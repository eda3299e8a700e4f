#!/usr/bin/env bash
# The connect timeout (FERRY_CONNECT_TIMEOUT / client.connect_timeout, default 4 s): a host that
# never completes the TCP handshake costs the connect timeout, not the kernel's SYN retries
# (about two minutes) nor the I/O timeout; it is backed off and the job moves on to the next
# host (or compiles here), with an object identical to a local compile.
#
# The host that drops SYNs is a loopback listener with a listen backlog of 0 whose accept queue
# one connection already fills, and which never accepts: Linux drops every further SYN to a
# listener whose accept queue is full (whatever tcp_syncookies says), so connects to it stay in
# SYN_SENT. No root, namespace or firewall rule is needed; syn_watch.py checks in /proc/net/tcp
# that ferry's connect really sat in SYN_SENT, and for how long.
#   connecttimeout.sh BIN_DIR

# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
e2e_init "$@"
require_cmd python3
start_ferryd
LIVE=$FERRYD_PORT

# Starts the SYN-dropping listener; sets BLACKHOLE to its port.
start_blackhole() {
    local portfile=$WORK/blackhole.port
    python3 -c '
import socket, sys, time
l = socket.socket(); l.bind(("127.0.0.1", 0)); l.listen(0)
port = l.getsockname()[1]
# The one connection the queue holds; it completes because the queue is empty then.
filler = socket.create_connection(("127.0.0.1", port), timeout=10)
# A second connect must now stall; if it completes the kernel does not drop SYNs here.
probe = socket.socket(); probe.settimeout(1.5)
try:
    probe.connect(("127.0.0.1", port))
    sys.exit("a second connect completed: this kernel does not drop SYNs on a full queue")
except socket.timeout:
    pass
probe.close()
open(sys.argv[1], "w").write(str(port))
while True:
    time.sleep(3600)
' "$portfile" > "$WORK/blackhole.out" 2>&1 < /dev/null &
    local pid=$!
    g_daemon_pids+=("$pid")
    guard_daemon "$pid"
    local i
    for ((i = 0; i < 200; i++)); do
        [ -s "$portfile" ] && break
        kill -0 "$pid" 2> /dev/null || break
        sleep 0.1
    done
    if [ ! -s "$portfile" ]; then
        skip "no SYN-dropping loopback listener: $(cat "$WORK/blackhole.out")"
    fi
    BLACKHOLE=$(cat "$portfile")
    echo "e2e: SYN-dropping listener on 127.0.0.1:$BLACKHOLE"
}
start_blackhole

setup() {
    cd c && mkdir -p build || fail "mkdir"
    CLIENT_LOG=$TEST_DIR/logs/ferry.log
    # Each test its own state directory: backoff marks must not leak between tests.
    export FERRY_DIR=$TEST_DIR/state
}

# timed_ferry NAME cmd...: runs cmd like capture under syn_watch.py, which measures how long its
# connects to the blackhole sat in SYN_SENT (bounds that hold however loaded the machine is);
# sets STATUS, ELAPSED_MS, SYN_SEEN, SYN_LOWER_MS and SYN_UPPER_MS.
timed_ferry() {
    local name=$1 report=$TEST_DIR/logs/$1.syn
    shift
    python3 "$E2E_LIB_DIR/syn_watch.py" "$BLACKHOLE" "$report" timeout -k 5 "$CMD_TIMEOUT" "$@" \
        > "$TEST_DIR/logs/$name.out" 2> "$TEST_DIR/logs/$name.err"
    STATUS=$?
    [ "$STATUS" != 124 ] && [ "$STATUS" != 137 ] || fail "$name: timed out after ${CMD_TIMEOUT}s"
    [ -s "$report" ] || fail "$name: syn_watch.py wrote no report"
    SYN_SEEN=$(sed -n 's/^seen //p' "$report")
    SYN_LOWER_MS=$(sed -n 's/^lower_ms //p' "$report")
    SYN_UPPER_MS=$(sed -n 's/^upper_ms //p' "$report")
    ELAPSED_MS=$(sed -n 's/^elapsed_ms //p' "$report")
}

# The only host drops SYNs and fallback is off, so the run costs the connect timeout and no
# compile: its length is the timeout itself, not the timeout plus a compile on a busy machine.
# timeout_alone LABEL LOW_MS HIGH_MS SHOWN [ferry options...]; VAR=value words in $EXTRA_ENV. The
# connect sat in SYN_SENT for at least LOW_MS and at most HIGH_MS, and the error names SHOWN s.
timeout_alone() {
    local label=$1 low=$2 high=$3 shown=$4
    shift 4
    timed_ferry "$label" env FERRY_LOG="$CLIENT_LOG" FERRY_IO_TIMEOUT=60 FERRY_FALLBACK=0 \
        FERRY_HOSTS="127.0.0.1:$BLACKHOLE" "${EXTRA_ENV[@]}" "$FERRY" "$@" gcc -Iinclude -c src/vec.c -o build/vec.o
    [ "$SYN_SEEN" -ge 1 ] || fail "$label: ferry's connect was never seen in SYN_SENT"
    [ "$SYN_LOWER_MS" -ge "$low" ] && [ "$SYN_UPPER_MS" -le "$high" ] ||
        fail "$label: the connect sat in SYN_SENT for ${SYN_LOWER_MS}-${SYN_UPPER_MS}ms, expected within ${low}-${high}ms"
    grep -q "connect to 127.0.0.1:$BLACKHOLE timed out after $shown s" "$(err_file "$label")" ||
        fail "$label: the error does not name the connect timeout: $(cat "$(err_file "$label")")"
    [ "$STATUS" = 116 ] || fail "$label: exit $STATUS with FERRY_FALLBACK=0, expected 116 (no usable host left)"
    expect_missing build/vec.o
    expect_exists "$FERRY_DIR/lock/backoff_tcp_127.0.0.1_$BLACKHOLE"
    rm -f "$FERRY_DIR"/lock/backoff_*
    echo "  $label: in SYN_SENT for ${SYN_LOWER_MS}-${SYN_UPPER_MS}ms; the run took ${ELAPSED_MS}ms"
}

default_timeout() {
    setup
    # 4 s: at least 3 s in SYN_SENT (the polls may miss the first and last moments), the run at
    # least 4 s, and far less than the kernel's SYN retries (~2 min) or the 60 s I/O timeout.
    EXTRA_ENV=()
    timeout_alone default 3000 15000 4
    [ "$ELAPSED_MS" -ge 3950 ] || fail "the run took ${ELAPSED_MS}ms, less than the 4 s connect timeout"
}

configured_timeout() {
    setup
    # 1 s from the environment, and from the configuration (client.connect_timeout): clearly
    # shorter than the default 4 s.
    EXTRA_ENV=(FERRY_CONNECT_TIMEOUT=1)
    timeout_alone env 700 3500 1
    # --set outranks the environment (docs/policy.md).
    EXTRA_ENV=(FERRY_CONNECT_TIMEOUT=8)
    timeout_alone set 1000 3800 1.5 --set client.connect_timeout=1.5
}

moves_on_and_backs_off() {
    setup
    local_ref vec build/vec.o gcc -Iinclude -c src/vec.c -o build/vec.o
    timed_ferry vec.ferry env FERRY_LOG="$CLIENT_LOG" FERRY_IO_TIMEOUT=60 FERRY_CONNECT_TIMEOUT=1 \
        FERRY_HOSTS="127.0.0.1:$BLACKHOLE 127.0.0.1:$LIVE" "$FERRY" gcc -Iinclude -c src/vec.c -o build/vec.o
    [ "$STATUS" = 0 ] || fail "exit $STATUS: $(cat "$(err_file vec.ferry)")"
    [ "$SYN_SEEN" -ge 1 ] || fail "ferry's connect was never seen in SYN_SENT"
    [ "$SYN_LOWER_MS" -ge 700 ] && [ "$SYN_UPPER_MS" -le 3500 ] ||
        fail "the connect sat in SYN_SENT for ${SYN_LOWER_MS}-${SYN_UPPER_MS}ms with FERRY_CONNECT_TIMEOUT=1"
    compare_outputs exact build/vec.o
    expect_ferry_job src/vec.c "127\.0\.0\.1:$LIVE \(protocol 1\): ok"
    [ ! -s "$(err_file vec.ferry)" ] || fail "a successful retry on another host printed: $(cat "$(err_file vec.ferry)")"
    grep -q "attempt src/vec.c -> 127.0.0.1:$BLACKHOLE: failed: connect to 127.0.0.1:$BLACKHOLE timed out after 1 s" "$CLIENT_LOG" ||
        fail "no timed-out attempt on the SYN-dropping host logged"
    grep -q "backing off 127.0.0.1:$BLACKHOLE for 60s" "$CLIENT_LOG" || fail "the SYN-dropping host was not backed off"
    expect_exists "$FERRY_DIR/lock/backoff_tcp_127.0.0.1_$BLACKHOLE"
    # The next job skips it: no second attempt, no second wait.
    local_ref stats build/stats.o gcc -Iinclude -c src/stats.c -o build/stats.o
    timed_ferry stats.ferry env FERRY_LOG="$CLIENT_LOG" FERRY_IO_TIMEOUT=60 FERRY_CONNECT_TIMEOUT=1 \
        FERRY_HOSTS="127.0.0.1:$BLACKHOLE 127.0.0.1:$LIVE" "$FERRY" gcc -Iinclude -c src/stats.c -o build/stats.o
    [ "$STATUS" = 0 ] || fail "exit $STATUS: $(cat "$(err_file stats.ferry)")"
    compare_outputs exact build/stats.o
    [ "$SYN_SEEN" = 0 ] || fail "the backed-off host was connected to again"
    [ "$(count_lines "$CLIENT_LOG" "attempt .* -> 127.0.0.1:$BLACKHOLE")" = 1 ] || fail "the backed-off host was tried again"
    expect_ferry_job src/stats.c "127\.0\.0\.1:$LIVE \(protocol 1\): ok"
}

local_fallback_after_timeout() {
    # The default timeout, the only host: compiled here after 4 s, with one notice line.
    setup
    local_ref vec build/vec.o gcc -O2 -Iinclude -c src/vec.c -o build/vec.o
    timed_ferry vec.ferry env FERRY_LOG="$CLIENT_LOG" FERRY_IO_TIMEOUT=60 \
        FERRY_HOSTS="127.0.0.1:$BLACKHOLE" "$FERRY" gcc -O2 -Iinclude -c src/vec.c -o build/vec.o
    [ "$STATUS" = 0 ] || fail "exit $STATUS: $(cat "$(err_file vec.ferry)")"
    [ "$SYN_SEEN" -ge 1 ] || fail "ferry's connect was never seen in SYN_SENT"
    [ "$SYN_LOWER_MS" -ge 3000 ] && [ "$SYN_UPPER_MS" -le 15000 ] && [ "$ELAPSED_MS" -ge 3950 ] ||
        fail "the connect sat in SYN_SENT for ${SYN_LOWER_MS}-${SYN_UPPER_MS}ms, the run took ${ELAPSED_MS}ms; expected 4 s"
    compare_outputs exact build/vec.o
    [ "$(wc -l < "$(err_file vec.ferry)")" = 1 ] &&
        grep -q "127.0.0.1:$BLACKHOLE: connect to 127.0.0.1:$BLACKHOLE timed out after 4 s; compiling src/vec.c locally" "$(err_file vec.ferry)" ||
        fail "expected one notice naming the connect timeout: $(cat "$(err_file vec.ferry)")"
    expect_ferry_job src/vec.c "local: fallback: .*timed out after 4 s"
    expect_exists "$FERRY_DIR/lock/backoff_tcp_127.0.0.1_$BLACKHOLE"
}

TEST "default connect timeout: 4 s against a host that drops SYNs" default_timeout
TEST "FERRY_CONNECT_TIMEOUT and client.connect_timeout shorten it" configured_timeout
TEST "a SYN-dropping host: the job moves on after the timeout, the host is backed off" moves_on_and_backs_off
TEST "a SYN-dropping only host: local fallback after 4 s, same object" local_fallback_after_timeout
e2e_finish
