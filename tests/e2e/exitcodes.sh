#!/usr/bin/env bash
# Exit codes with the local fallback disabled, case by case, next to the real distcc 3.4 given the
# same host and the same command: a transport failure (refused, closed early, protocol error,
# no answer within the I/O timeout, ssh failing) backs the host off and leaves no usable host,
# so both exit 116 (EXIT_NO_HOSTS); a host that cannot run the compiler gives 110; an empty host
# list 116. ferry differs only where distcc never ends: FERRY_BACKOFF_PERIOD=0 with a dead host
# (distcc 3.4 retries it for ever; ferry tries each host once, then 116), every host ,down (distcc
# waits for a slot for ever; ferry: 116) and every slot busy for FERRY_IO_TIMEOUT (distcc waits
# for ever; ferry: 118, EXIT_TIMEOUT).
#   exitcodes.sh BIN_DIR

# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
e2e_init "$@"
require_distcc
require_distccd
require_cmd python3 flock
# --enable-tcp-insecure: no compiler whitelist, so a compiler that is missing on the server is
# run and fails with 110 (instead of the connection being closed); DISTCCD_PATH without the
# client's wrapper directory makes it missing.
DISTCCD_PATH=/usr/bin:/bin start_distccd --enable-tcp-insecure

# A misbehaving host on loopback: MODE close (accepts, closes at once), garbage (reads the
# request, answers a wrong token), stall (accepts, never answers). Sets BAD_PORT.
start_bad_host() {
    local mode=$1 portfile=$WORK/$1.port
    python3 -c '
import socket, sys, threading, time
mode, portfile = sys.argv[1], sys.argv[2]
l = socket.socket(); l.bind(("127.0.0.1", 0)); l.listen(64)
open(portfile, "w").write(str(l.getsockname()[1]))
held = []
def garbage(c):
    c.settimeout(0.5)
    try:
        while c.recv(65536):
            pass
    except socket.timeout:
        pass
    c.sendall(b"XXXX00000001" * 4)
    time.sleep(5)
    c.close()
while True:
    c, _ = l.accept()
    if mode == "close":
        c.close()
    elif mode == "garbage":
        threading.Thread(target=garbage, args=(c,), daemon=True).start()
    else:
        held.append(c)
' "$mode" "$portfile" > /dev/null 2>&1 < /dev/null &
    g_daemon_pids+=($!)
    guard_daemon $!
    local i
    for ((i = 0; i < 100; i++)); do
        [ -s "$portfile" ] && break
        sleep 0.1
    done
    [ -s "$portfile" ] || { echo "FAIL: the $mode host did not start" >&2; exit 1; }
    BAD_PORT=$(cat "$portfile")
}
start_bad_host close
CLOSE=$BAD_PORT
start_bad_host garbage
GARBAGE=$BAD_PORT
start_bad_host stall
STALL=$BAD_PORT

# A compiler wrapper the client has and the servers do not.
WRAP=$WORK/wrap
mkdir -p "$WRAP"
printf '#!/bin/sh\nexec gcc "$@"\n' > "$WRAP/mycc"
chmod +x "$WRAP/mycc"

setup() {
    cd c && mkdir -p build || fail "mkdir"
}

# both_exit CASE EXPECTED HOSTS [VAR=value...] -- COMPILER ARGS...: runs ferry and distcc with the
# fallback disabled, each with a fresh state directory, and checks both exit EXPECTED, print an
# error and leave no object.
both_exit() {
    local case=$1 expected=$2 hosts=$3
    shift 3
    local vars=()
    while [ "$1" != -- ]; do
        vars+=("$1")
        shift
    done
    shift
    rm -f build/vec.o
    # distcc drops every host when its DISTCC_DIR is missing: create both.
    mkdir -p "$TEST_DIR/ferry.$case" "$TEST_DIR/distcc.$case"
    capture "$case.ferry" env FERRY_DIR="$TEST_DIR/ferry.$case" FERRY_HOSTS="$hosts" FERRY_FALLBACK=0 \
        FERRY_IO_TIMEOUT=2 "${vars[@]}" "$FERRY" "$@"
    local ferry_status=$STATUS
    expect_missing build/vec.o
    [ -s "$(err_file "$case.ferry")" ] || fail "$case: ferry printed no error"
    capture "$case.distcc" env DISTCC_DIR="$TEST_DIR/distcc.$case" DISTCC_HOSTS="$hosts" DISTCC_FALLBACK=0 \
        DISTCC_IO_TIMEOUT=2 "${vars[@]//FERRY_/DISTCC_}" "$DISTCC" "$@"
    local distcc_status=$STATUS
    expect_missing build/vec.o
    echo "  $case: ferry $ferry_status, distcc $distcc_status"
    [ "$distcc_status" = "$expected" ] || fail "$case: distcc 3.4 exited $distcc_status here, expected $expected: $(cat "$(err_file "$case.distcc")")"
    [ "$ferry_status" = "$expected" ] || fail "$case: ferry exited $ferry_status, distcc $expected: $(cat "$(err_file "$case.ferry")")"
}

transport_failures() {
    setup
    local dead
    dead=$(dead_port)
    local cmd=(gcc -Iinclude -c src/vec.c -o build/vec.o)
    both_exit refused 116 "127.0.0.1:$dead" -- "${cmd[@]}"
    both_exit refused-twice 116 "127.0.0.1:$dead 127.0.0.1:$(dead_port)" -- "${cmd[@]}"
    both_exit closed-early 116 "127.0.0.1:$CLOSE" -- "${cmd[@]}"
    both_exit protocol-error 116 "127.0.0.1:$GARBAGE" -- "${cmd[@]}"
    both_exit io-timeout 116 "127.0.0.1:$STALL" -- "${cmd[@]}"
    both_exit ssh-fails 116 "nobody@nowhere" FERRY_SSH=false -- "${cmd[@]}"
    # The reason is still named, in one line.
    grep -q "127.0.0.1:$STALL: .*timed out" "$(err_file io-timeout.ferry)" ||
        fail "the timeout is not named: $(cat "$(err_file io-timeout.ferry)")"
    [ "$(wc -l < "$(err_file refused.ferry)")" = 1 ] && grep -q "Connection refused" "$(err_file refused.ferry)" ||
        fail "expected one error line naming the refusal: $(cat "$(err_file refused.ferry)")"
}

no_hosts() {
    setup
    both_exit empty 116 "" -- gcc -Iinclude -c src/vec.c -o build/vec.o
    # Every host ,down: distcc 3.4 waits for a free slot for ever; ferry has no host to wait for.
    capture all-down env FERRY_DIR="$TEST_DIR/state" FERRY_HOSTS="127.0.0.1:$DISTCCD_PORT,down" FERRY_FALLBACK=0 \
        "$FERRY" gcc -Iinclude -c src/vec.c -o build/vec.o
    [ "$STATUS" = 116 ] || fail "every host ,down, FERRY_FALLBACK=0: exit $STATUS, expected 116"
    grep -q "all are ,down" "$(err_file all-down)" || fail "the error does not say why: $(cat "$(err_file all-down)")"
    expect_missing build/vec.o
}

compiler_missing() {
    setup
    export PATH="$WRAP:$PATH"
    both_exit missing 110 "127.0.0.1:$DISTCCD_PORT" -- mycc -Iinclude -c src/vec.c -o build/vec.o
    # Another host first that refuses: still 110, the more telling reason.
    both_exit refused-then-missing 110 "127.0.0.1:$(dead_port) 127.0.0.1:$DISTCCD_PORT" -- mycc -Iinclude -c src/vec.c -o build/vec.o
}

backoff_disabled() {
    # distcc 3.4 retries a dead host for ever here; ferry tries it once.
    setup
    capture nobackoff env FERRY_DIR="$TEST_DIR/state" FERRY_HOSTS="127.0.0.1:$(dead_port)" FERRY_FALLBACK=0 \
        FERRY_BACKOFF_PERIOD=0 "$FERRY" gcc -Iinclude -c src/vec.c -o build/vec.o
    [ "$STATUS" = 116 ] || fail "FERRY_BACKOFF_PERIOD=0, a dead host, FERRY_FALLBACK=0: exit $STATUS, expected 116"
    expect_missing build/vec.o
}

slot_wait() {
    # Every slot of the only host is held (by flock(1), as another ferry would hold it): after
    # waiting FERRY_IO_TIMEOUT for one, 118 (EXIT_TIMEOUT). distcc 3.4 waits for ever here.
    setup
    mkdir -p "$TEST_DIR/state/lock"
    local slot=$TEST_DIR/state/lock/cpu_tcp_127.0.0.1_${DISTCCD_PORT}_0 i
    flock "$slot" sleep 30 &
    local holder=$!
    for ((i = 0; i < 50; i++)); do
        flock -n "$slot" true 2> /dev/null || break
        sleep 0.1
    done
    capture busy env FERRY_DIR="$TEST_DIR/state" FERRY_HOSTS="127.0.0.1:$DISTCCD_PORT/1" FERRY_FALLBACK=0 \
        FERRY_IO_TIMEOUT=1 "$FERRY" gcc -Iinclude -c src/vec.c -o build/vec.o
    kill "$holder" 2> /dev/null
    [ "$STATUS" = 118 ] || fail "no free slot within FERRY_IO_TIMEOUT, FERRY_FALLBACK=0: exit $STATUS, expected 118"
    grep -q "no free host slot" "$(err_file busy)" || fail "the error does not say why: $(cat "$(err_file busy)")"
    expect_missing build/vec.o
}

TEST "transport failures: 116 like distcc" transport_failures
TEST "no usable host: 116 like distcc" no_hosts
TEST "the host cannot run the compiler: 110 like distcc" compiler_missing
TEST "FERRY_BACKOFF_PERIOD=0: each host once, then 116" backoff_disabled
TEST "no free slot within the I/O timeout: 118" slot_wait
e2e_finish
