#!/usr/bin/env bash
# ferry --monitor: the jobs this client is distributing now, where, and in which phase, from the
# job files in $FERRY_DIR/state; finished jobs (local compiles too) leave nothing, killed ones are
# recognised as stale.
#   monitor.sh BIN_DIR

# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
e2e_init "$@"
require_cmd python3

setup() {
    cd c && mkdir -p build || fail "mkdir"
    CLIENT_LOG=$TEST_DIR/logs/ferry.log
    export FERRY_DIR=$TEST_DIR/state
}

running_job_shown() {
    setup
    # A host that accepts and never answers keeps the job in its "compile" phase.
    local portfile=$TEST_DIR/stall.port
    python3 -c '
import socket, sys, time
s = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen(8)
open(sys.argv[1], "w").write(str(s.getsockname()[1]))
c, _ = s.accept(); time.sleep(60)
' "$portfile" > /dev/null 2>&1 < /dev/null &
    local staller=$! i
    for ((i = 0; i < 100; i++)); do [ -s "$portfile" ] && break; sleep 0.1; done
    local port
    port=$(cat "$portfile")
    env FERRY_LOG="$CLIENT_LOG" FERRY_IO_TIMEOUT=60 FERRY_HOSTS="127.0.0.1:$port" "$FERRY" gcc -Iinclude -c src/vec.c -o build/vec.o \
        > /dev/null 2>&1 &
    local job=$! line=
    for ((i = 0; i < 200; i++)); do
        run_ok mon "$FERRY" --monitor --once
        line=$(grep -E "^$job +127\.0\.0\.1:$port +compile +[0-9.]+s +src/vec\.c$" "$TEST_DIR/logs/mon.out") && break
        sleep 0.1
    done
    [ -n "$line" ] || { kill "$job" "$staller"; fail "the monitor never showed job $job compiling on port $port: $(out_of mon)"; }
    head -n 1 "$TEST_DIR/logs/mon.out" | grep -q "^1 job running" || fail "header: $(head -n 1 "$TEST_DIR/logs/mon.out")"
    echo "  monitor: $line"
    # Killed without a chance to clean up: the file stays, but the monitor ignores and removes it.
    kill -KILL "$job"
    wait "$job" 2> /dev/null
    kill "$staller"
    expect_exists "$FERRY_DIR/state/job_$job"
    run_ok mon2 "$FERRY" --monitor --once
    [ "$(head -n 1 "$TEST_DIR/logs/mon2.out")" = "0 jobs running ($FERRY_DIR/state)" ] || fail "a dead job is still shown: $(out_of mon2)"
    expect_missing "$FERRY_DIR/state/job_$job"
}

finished_job_leaves_nothing() {
    setup
    # Local compiles (a fallback, localhost chosen, a link) replace ferry with the compiler, so
    # ferry removes the job file before: none may be left behind for the monitor to sweep.
    run_ok vec env FERRY_HOSTS="127.0.0.1:$(dead_port)" FERRY_QUIET=1 "$FERRY" gcc -Iinclude -c src/vec.c -o build/vec.o
    run_ok here env FERRY_HOSTS="localhost" "$FERRY" gcc -Iinclude -c src/stats.c -o build/stats.o
    printf 'int main(void) { return 0; }\n' > main.c
    run_ok main env FERRY_HOSTS="127.0.0.1:$(dead_port)" FERRY_QUIET=1 "$FERRY" gcc -c main.c -o build/main.o
    run_ok link env FERRY_HOSTS="127.0.0.1:$(dead_port)" "$FERRY" gcc build/main.o -o build/prog
    [ -z "$(ls -A "$FERRY_DIR/state")" ] || fail "job files left behind by finished local compiles: $(ls -A "$FERRY_DIR/state")"
    run_ok mon "$FERRY" --monitor --once
    [ "$(head -n 1 "$TEST_DIR/logs/mon.out")" = "0 jobs running ($FERRY_DIR/state)" ] || fail "after the job: $(out_of mon)"
    capture bad "$FERRY" --monitor --bogus
    [ "$STATUS" = 101 ] || fail "ferry --monitor --bogus exited $STATUS, expected 101"
}

TEST "a running job is shown with its host and phase; a killed one is dropped" running_job_shown
TEST "finished jobs are not shown; bad options exit 101" finished_job_leaves_nothing
e2e_finish
