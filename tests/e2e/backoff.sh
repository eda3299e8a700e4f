#!/usr/bin/env bash
# Failures of hosts: retry on the next host, per-host backoff shared through $FERRY_DIR, local
# fallback with a one-line notice (FERRY_FALLBACK=0: distcc's exit codes instead), a stalled
# daemon bounded by FERRY_IO_TIMEOUT, and the host list's own errors.
#   backoff.sh BIN_DIR

# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
e2e_init "$@"
require_cmd python3 flock
start_ferryd
LIVE=$FERRYD_PORT

# A listener that accepts connections and never answers (a hung daemon).
start_staller "$WORK/stall.port"
g_daemon_pids+=("$STALLER_PID")
guard_daemon "$STALLER_PID"
STALL=$(cat "$WORK/stall.port")

setup() {
    cd c && mkdir -p build || fail "mkdir"
    CLIENT_LOG=$TEST_DIR/logs/ferry.log
    # Each test its own state directory: backoff marks must not leak between tests.
    export FERRY_DIR=$TEST_DIR/state
}


retry_then_backoff() {
    setup
    local dead
    dead=$(dead_port)
    local_ref vec build/vec.o gcc -Iinclude -c src/vec.c -o build/vec.o
    run_ok vec.ferry env FERRY_LOG="$CLIENT_LOG" FERRY_IO_TIMEOUT=10 FERRY_HOSTS="127.0.0.1:$dead 127.0.0.1:$LIVE" "$FERRY" gcc -Iinclude -c src/vec.c -o build/vec.o
    compare_outputs exact build/vec.o
    expect_ferry_job src/vec.c "127\.0\.0\.1:$LIVE \(protocol 1\): ok"
    [ ! -s "$(err_file vec.ferry)" ] || fail "a successful retry on another host printed: $(cat "$(err_file vec.ferry)")"
    grep -q "attempt src/vec.c -> 127.0.0.1:$dead: failed" "$CLIENT_LOG" || fail "no failed attempt on the dead host logged"
    grep -q "backing off 127.0.0.1:$dead for 60s" "$CLIENT_LOG" || fail "the dead host was not backed off"
    expect_exists "$FERRY_DIR/lock/backoff_tcp_127.0.0.1_$dead"
    # The next job skips the dead host at once: no second attempt on it.
    local_ref stats build/stats.o gcc -Iinclude -c src/stats.c -o build/stats.o
    run_ok stats.ferry env FERRY_LOG="$CLIENT_LOG" FERRY_IO_TIMEOUT=10 FERRY_HOSTS="127.0.0.1:$dead 127.0.0.1:$LIVE" "$FERRY" gcc -Iinclude -c src/stats.c -o build/stats.o
    compare_outputs exact build/stats.o
    [ "$(count_lines "$CLIENT_LOG" "attempt .* -> 127.0.0.1:$dead")" = 1 ] || fail "the backed-off host was tried again"
    expect_ferry_job src/stats.c "127\.0\.0\.1:$LIVE \(protocol 1\): ok"
}

backoff_disabled() {
    setup
    local dead
    dead=$(dead_port)
    local i
    for i in 1 2; do
        run_ok "vec$i" env FERRY_LOG="$CLIENT_LOG" FERRY_IO_TIMEOUT=10 FERRY_BACKOFF_PERIOD=0 FERRY_HOSTS="127.0.0.1:$dead 127.0.0.1:$LIVE" "$FERRY" gcc -Iinclude -c src/vec.c -o build/vec.o
    done
    [ "$(count_lines "$CLIENT_LOG" "attempt .* -> 127.0.0.1:$dead")" = 2 ] || fail "FERRY_BACKOFF_PERIOD=0 but the dead host was not tried by each job"
    [ -z "$(ls "$FERRY_DIR/lock/" | grep backoff_)" ] || fail "FERRY_BACKOFF_PERIOD=0 but a backoff file was written"
}

all_backed_off() {
    setup
    local dead
    dead=$(dead_port)
    capture first env FERRY_LOG="$CLIENT_LOG" FERRY_IO_TIMEOUT=10 FERRY_HOSTS="127.0.0.1:$dead" "$FERRY" gcc -Iinclude -c src/vec.c -o build/vec.o
    [ "$STATUS" = 0 ] || fail "the fallback compile failed with $STATUS"
    grep -q "127.0.0.1:$dead: connect" "$(err_file first)" || fail "the notice does not name the failure: $(cat "$(err_file first)")"
    rm -f build/vec.o
    capture nofb env FERRY_LOG="$CLIENT_LOG" FERRY_IO_TIMEOUT=10 FERRY_FALLBACK=0 FERRY_HOSTS="127.0.0.1:$dead" "$FERRY" gcc -Iinclude -c src/vec.c -o build/vec.o
    [ "$STATUS" = 116 ] || fail "every host backed off and FERRY_FALLBACK=0: exit $STATUS, expected 116"
    grep -q "backed off" "$(err_file nofb)" || fail "the error does not say the host is backed off: $(cat "$(err_file nofb)")"
    [ "$(wc -l < "$(err_file nofb)")" = 1 ] || fail "expected one error line: $(cat "$(err_file nofb)")"
    expect_missing build/vec.o
    capture fb env FERRY_LOG="$CLIENT_LOG" FERRY_IO_TIMEOUT=10 FERRY_HOSTS="127.0.0.1:$dead" "$FERRY" gcc -Iinclude -c src/vec.c -o build/vec.o
    [ "$STATUS" = 0 ] || fail "fallback with a backed-off host failed: $STATUS"
    [ "$(wc -l < "$(err_file fb)")" = 1 ] && grep -q "backed off.*compiling src/vec.c locally" "$(err_file fb)" ||
        fail "expected one notice naming the backoff: $(cat "$(err_file fb)")"
}

stalled_host() {
    setup
    local start elapsed
    local_ref vec build/vec.o gcc -Iinclude -c src/vec.c -o build/vec.o
    start=$(date +%s%N)
    run_ok vec.ferry env FERRY_LOG="$CLIENT_LOG" FERRY_IO_TIMEOUT=2 FERRY_HOSTS="127.0.0.1:$STALL" "$FERRY" gcc -Iinclude -c src/vec.c -o build/vec.o
    elapsed=$((($(date +%s%N) - start) / 1000000))
    compare_outputs exact build/vec.o
    [ "$elapsed" -ge 1900 ] && [ "$elapsed" -lt 15000 ] || fail "a stalled host with FERRY_IO_TIMEOUT=2 took ${elapsed}ms"
    grep -q "127.0.0.1:$STALL: .*timed out.*compiling src/vec.c locally" "$(err_file vec.ferry)" ||
        fail "the notice does not say the host timed out: $(cat "$(err_file vec.ferry)")"
    rm -f build/vec.o "$FERRY_DIR"/lock/backoff_*
    capture nofb env FERRY_IO_TIMEOUT=1 FERRY_FALLBACK=0 FERRY_HOSTS="127.0.0.1:$STALL" "$FERRY" gcc -Iinclude -c src/vec.c -o build/vec.o
    [ "$STATUS" = 116 ] || fail "stalled host, FERRY_FALLBACK=0: exit $STATUS, expected 116 (no usable host left, as distcc)"
    expect_missing build/vec.o
}

slot_wait_bounded() {
    # Every slot of the only host is held (by flock(1), as another ferry would hold it): the
    # job waits for at most the I/O timeout, then compiles here and says why.
    setup
    mkdir -p "$FERRY_DIR/lock"
    flock "$FERRY_DIR/lock/cpu_tcp_127.0.0.1_${LIVE}_0" sleep 30 &
    local holder=$! i
    for ((i = 0; i < 50; i++)); do
        flock -n "$FERRY_DIR/lock/cpu_tcp_127.0.0.1_${LIVE}_0" true 2> /dev/null || break
        sleep 0.1
    done
    local start elapsed
    start=$(date +%s%N)
    capture vec.ferry env FERRY_LOG="$CLIENT_LOG" FERRY_IO_TIMEOUT=2 FERRY_HOSTS="127.0.0.1:$LIVE/1" "$FERRY" gcc -Iinclude -c src/vec.c -o build/vec.o
    elapsed=$((($(date +%s%N) - start) / 1000000))
    kill "$holder" 2> /dev/null
    [ "$STATUS" = 0 ] || fail "exit $STATUS"
    [ "$elapsed" -ge 1900 ] && [ "$elapsed" -lt 10000 ] || fail "waiting for a busy slot took ${elapsed}ms with FERRY_IO_TIMEOUT=2"
    grep -q "no free host slot" "$(err_file vec.ferry)" || fail "no notice about the busy slots: $(cat "$(err_file vec.ferry)")"
    expect_ferry_job src/vec.c "local: fallback: no free host slot.*"
}

host_list_errors() {
    setup
    capture bad env FERRY_HOSTS="127.0.0.1:$LIVE red/0" "$FERRY" gcc -Iinclude -c src/vec.c -o build/vec.o
    [ "$STATUS" = 106 ] || fail "a bad host spec exited $STATUS, expected 106"
    grep -q "bad host spec 'red/0' (token 2)" "$(err_file bad)" || fail "the error does not name the token: $(cat "$(err_file bad)")"
    expect_missing build/vec.o
    capture empty env FERRY_LOG="$CLIENT_LOG" FERRY_HOSTS="" "$FERRY" gcc -Iinclude -c src/vec.c -o build/vec.o
    [ "$STATUS" = 0 ] || fail "an empty host list: exit $STATUS"
    expect_exists build/vec.o
    [ "$(wc -l < "$(err_file empty)")" = 1 ] || fail "an empty host list should warn in one line: $(cat "$(err_file empty)")"
    rm -f build/vec.o
    capture empty_nofb env FERRY_HOSTS="" FERRY_FALLBACK=0 "$FERRY" gcc -Iinclude -c src/vec.c -o build/vec.o
    [ "$STATUS" = 116 ] || fail "an empty host list with FERRY_FALLBACK=0: exit $STATUS, expected 116"
    # Hosts files: $FERRY_DIR/hosts when no variable is set.
    mkdir -p "$FERRY_DIR"
    printf '# farm\n127.0.0.1:%s/3 # the live one\n--localslots=1\n' "$LIVE" > "$FERRY_DIR/hosts"
    run_ok show "$FERRY" --show-hosts
    [ "$(out_of show)" = "127.0.0.1:$LIVE/3" ] || fail "--show-hosts printed: $(out_of show)"
    run_ok slots "$FERRY" -j
    [ "$(out_of slots)" = 3 ] || fail "-j printed $(out_of slots), expected 3"
    run_ok file_job env FERRY_LOG="$CLIENT_LOG" "$FERRY" gcc -Iinclude -c src/vec.c -o build/vec.o
    expect_ferry_job src/vec.c "127\.0\.0\.1:$LIVE \(protocol 1\): ok"
}

TEST "dead host first: retried on the next host, then backed off" retry_then_backoff
TEST "FERRY_BACKOFF_PERIOD=0: no backoff" backoff_disabled
TEST "every host backed off: 116 without fallback, a notice with it" all_backed_off
TEST "a host that never answers: bounded by FERRY_IO_TIMEOUT" stalled_host
TEST "all slots busy: the wait is bounded by FERRY_IO_TIMEOUT" slot_wait_bounded
TEST "host list errors, empty lists, hosts files, --show-hosts, -j" host_list_errors
e2e_finish
