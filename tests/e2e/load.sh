#!/usr/bin/env bash
# ferryd under load, and its signals (issue 6, point 3).
#   load.sh BIN_DIR
# - 200 clients connect at once to a daemon with --jobs 4: every one is served (none dropped, none
#   refused), every object equals a local compile, and never more than 4 jobs run at a time.
# - SIGTERM: the port closes at once, the running job finishes and is answered, the pid file goes.
# - SIGHUP: after the log file is moved away, the daemon writes to a new one.

# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
e2e_init "$@"
# shellcheck source=daemon_lib.sh
. "$E2E_LIB_DIR/daemon_lib.sh"
require_cmd python3 gcc pgrep
make_wrapper_gcc
CLIENTS=200
# 200 compiles on a busy 2-core machine can take minutes; the suite's own ctest TIMEOUT still bounds it.
CMD_TIMEOUT=400

# The most job processes (children of the daemon) seen at once while the load ran.
sample_children() {
    local pid=$1 out=$2 max=0 n
    while [ ! -e "$out.stop" ]; do
        n=$(pgrep -c -P "$pid")
        [ "$n" -gt "$max" ] && max=$n && echo "$max" > "$out"
        sleep 0.02
    done
}

two_hundred_clients() {
    start_named_ferryd load --jobs 4
    local d=$TEST_DIR/load i
    mkdir -p "$d"
    for ((i = 1; i <= CLIENTS; i++)); do
        printf 'int load_%d(int x) { return x * %d + %d; }\n' "$i" "$i" "$((i * 7))" > "$d/s$i.c"
        # What gcc -E would send for it (there are no directives to expand).
        printf '# 1 "s%d.c"\n' "$i" | cat - "$d/s$i.c" > "$d/s$i.i"
    done
    # The local references, in one gcc run (one driver for 200 files keeps this cheap).
    (cd "$d" && gcc -O2 -c s*.c) || fail "the local compiles failed"
    echo 0 > "$d/max"
    sample_children "$N_PID" "$d/max" &
    local sampler=$!
    capture load python3 "$CLIENT_PY" load "$N_PORT" "$d" "$CLIENTS"
    touch "$d/max.stop"
    wait "$sampler"
    [ "$STATUS" = 0 ] || fail "not every client was served: $(head -n 20 "$TEST_DIR/logs/load.out")"
    for ((i = 1; i <= CLIENTS; i++)); do
        cmp -s "$d/s$i.o" "$d/s$i.remote.o" || fail "client $i got an object that is not its own"
    done
    local max
    max=$(cat "$d/max")
    [ "$max" -le 4 ] || fail "$max job processes ran at once with --jobs 4"
    [ "$max" -ge 2 ] || fail "the jobs did not run in parallel (at most $max at once)"
    [ "$(grep -c 'COMPILE_OK' "$N_LOG")" = "$CLIENTS" ] || fail "the daemon did not log $CLIENTS COMPILE_OK"
    ! grep -qE 'REJ_|CLI_DISCONN|TIMEOUT|OTHER' "$N_LOG" || fail "a job was refused or lost: $(grep -E 'REJ_|CLI_DISCONN|TIMEOUT|OTHER' "$N_LOG" | head -n 3)"
    note "at most $max jobs at once; $CLIENTS of $CLIENTS served"
}

# SIGTERM while a job runs: no new connections, the job finishes and is answered, the pid file
# is removed, exit 0.
sigterm_drains() {
    NAMED_ENV=(DISTCCD_PATH="$WRAPPER_DIR:/usr/bin:/bin")
    start_named_ferryd drain --jobs 2 --verbose
    NAMED_ENV=()
    local d=$TEST_DIR/drain
    mkdir -p "$d"
    printf '# 1 "slow.c"\nint slow(void) { return 1; } /* FERRY_SLOW */\n' > "$d/slow.i"
    printf 'int slow(void) { return 1; } /* FERRY_SLOW */\n' > "$d/slow.c"
    (cd "$d" && gcc -O2 -c slow.c -o ref.o) || fail "local gcc"
    python3 "$CLIENT_PY" compile "$N_PORT" "$d/slow.i" "$d" gcc -O2 -c slow.c -o slow.o > "$d/client.out" 2>&1 &
    local client=$!
    wait_log_line "$N_LOG" "exec client="
    [ -s "$N_PIDFILE" ] || fail "no pid file while running"
    kill -TERM "$N_PID"
    wait_log_line "$N_LOG" "caught .*stopping after 1 running job"
    kill -0 "$N_PID" 2> /dev/null || fail "the daemon exited before its job finished"
    # The port is closed at once, while the job still runs.
    ! python3 -c "import socket,sys; socket.create_connection(('127.0.0.1', $N_PORT), 2)" 2> /dev/null ||
        fail "the daemon still accepts connections after SIGTERM"
    wait "$client" || fail "the running job was not answered: $(cat "$d/client.out")"
    [ "$(cat "$d/status")" = 0 ] || fail "the running job failed: $(cat "$d/stderr")"
    cmp -s "$d/ref.o" "$d/object" || fail "the drained job's object differs from a local compile"
    local i
    for ((i = 0; i < 100; i++)); do
        kill -0 "$N_PID" 2> /dev/null || break
        sleep 0.1
    done
    kill -0 "$N_PID" 2> /dev/null && fail "the daemon did not exit after its last job"
    wait "$N_PID"
    local rc=$?
    [ "$rc" = 0 ] || fail "the daemon exited with $rc"
    [ ! -e "$N_PIDFILE" ] || fail "the pid file was not removed"
    grep -q 'stopped$' "$N_LOG" || fail "no 'stopped' line"
}

# SIGHUP after the log was moved away (logrotate's way): new lines go to a new file.
sighup_reopens_log() {
    start_named_ferryd hup --jobs 2
    local d=$TEST_DIR/hup
    raw_compile "$N_PORT" "$d" one.c 'int one(void) { return 1; }'
    [ "$STATUS" = 0 ] || fail "the first compile was not answered"
    wait_log_line "$N_LOG" "COMPILE_OK .*input=one.c"
    mv "$N_LOG" "$N_LOG.1"
    kill -HUP "$N_PID"
    local i
    for ((i = 0; i < 50; i++)); do
        [ -e "$N_LOG" ] && break
        sleep 0.1
    done
    [ -e "$N_LOG" ] || fail "SIGHUP did not create a new log file"
    raw_compile "$N_PORT" "$d" two.c 'int two(void) { return 2; }'
    [ "$STATUS" = 0 ] || fail "the compile after SIGHUP was not answered"
    wait_log_line "$N_LOG" "COMPILE_OK .*input=two.c"
    ! grep -q 'input=two.c' "$N_LOG.1" || fail "the daemon still wrote to the moved log"
    grep -q 'input=one.c' "$N_LOG.1" || fail "the old log lost its lines"
    kill -0 "$N_PID" 2> /dev/null || fail "SIGHUP stopped the daemon"
}

TEST "$CLIENTS concurrent clients, --jobs 4: all served, right objects" two_hundred_clients
TEST "SIGTERM: stop accepting, finish the running job, remove the pid file" sigterm_drains
TEST "SIGHUP reopens a moved log file" sighup_reopens_log
e2e_finish
