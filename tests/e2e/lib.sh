# shellcheck shell=bash
# Shared library of the end-to-end suites (sourced, never run).
#
# Shaped like ccache's test/run: every suite is a bash script that
#   . "$(dirname "$0")/lib.sh"
#   e2e_init "$@"                # $1 = the build's bin/ directory (where ferry and ferryd are)
#   require_distccd              # exit 125 (CTest "skipped") with a reason when a peer is absent
#   start_ferryd                 # real daemons on free 127.0.0.1 ports, stopped by the EXIT trap
#   TEST "name" some_function args...
#   e2e_finish                   # exit 1 if any TEST failed
# Environment: E2E_KEEP=1 keeps the work dir; E2E_REQUIRE_PEERS=1 (set by scripts/test.sh) turns
# a missing peer into a failure; E2E_CMD_TIMEOUT bounds each command (default 120 s).
#
# Each TEST runs its function in a subshell, in a fresh directory holding a copy of tests/fixtures,
# so tests cannot see each other's outputs; the first failed expectation ends that TEST (not the
# suite) and prints the logs that explain it. Daemons live in the suite's shell, one set per
# suite, so suites run in parallel (ctest -j) without sharing ports, state dirs or temp dirs.
#
# Comparisons follow the reference numbers in /work/shared/workloads.md §4: without -g the
# object of a remote compile must be byte-identical to a local one; with -g only the debug
# sections may differ ("preprocess here, compile there" changes .debug_line), so we compare
# objects with the debug sections stripped, plus the DWARF names and DW_AT_comp_dir.

E2E_LIB_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
FIXTURES=$(cd "$E2E_LIB_DIR/../fixtures" && pwd)
REPO_ROOT=$(cd "$E2E_LIB_DIR/../.." && pwd)

CMD_TIMEOUT=${E2E_CMD_TIMEOUT:-120} # seconds for any one compile or make run
DAEMON_START_TIMEOUT=20             # seconds for a daemon to start listening
DAEMON_STOP_TIMEOUT=10              # seconds for a daemon to exit after SIGTERM

g_tests_run=0
g_tests_failed=0
g_failed_names=()
g_daemon_pids=()
g_watchdog_pids=()

# ---------------------------------------------------------------------------------------------
# Set-up and tear-down

e2e_init() {
    local bindir=${1:-}
    if [ -z "$bindir" ]; then
        echo "usage: $0 BUILD_BIN_DIR [suite args...]" >&2
        exit 2
    fi
    BIN_DIR=$(cd "$bindir" && pwd) || exit 2
    FERRY=$BIN_DIR/ferry
    FERRYD=$BIN_DIR/ferryd

    # Nothing from the caller's environment may steer a client or daemon: a stray DISTCC_HOSTS
    # would send test jobs elsewhere, a stray recursion guard would force local compiles.
    local v
    for v in $(compgen -e); do
        case $v in
        FERRY_* | _FERRY_* | DISTCC_* | _DISTCC_* | DISTCCD_* | CCACHE_* | DEPENDENCIES_OUTPUT | SUNPRO_DEPENDENCIES | \
            CPATH | C_INCLUDE_PATH | CPLUS_INCLUDE_PATH | GCC_COMPARE_DEBUG | SOURCE_DATE_EPOCH)
            unset "$v"
            ;;
        esac
    done
    # Diagnostics are compared byte for byte; fix the locale so gcc's quotes do not depend on it.
    export LC_ALL=C
    unset LANG LANGUAGE

    WORK=$(mktemp -d "${TMPDIR:-/tmp}/ferry-e2e.$(basename "$0" .sh).XXXXXX") || exit 2
    # A private TMPDIR for the clients and ferryd; distccd gets /tmp (see start_distccd).
    mkdir -p "$WORK/tmp" "$WORK/ferry-dir" "$WORK/distcc-dir" "$WORK/daemons"
    # Started as root, ferryd runs its jobs as an unprivileged user (docs/ferryd.md), who must
    # reach TMPDIR, where the job directories are.
    chmod 0755 "$WORK" && chmod 1777 "$WORK/tmp"
    export TMPDIR=$WORK/tmp
    export FERRY_DIR=$WORK/ferry-dir
    export DISTCC_DIR=$WORK/distcc-dir
    # No site, user or project configuration of this machine (docs/policy.md): the paths below
    # do not exist unless a test writes them.
    export FERRY_SITE_POLICY=$WORK/etc/policy.toml FERRY_DAEMON_POLICY=$WORK/etc/ferryd.toml
    export XDG_CONFIG_HOME=$WORK/xdg
    trap e2e_cleanup EXIT
    trap 'exit 130' INT
    trap 'exit 143' TERM

    echo "e2e: $(basename "$0") ${*:2} (work dir $WORK)"
    if [ ! -x "$FERRY" ] || [ ! -x "$FERRYD" ]; then
        # Not a skip: ferry is what we test, so a missing binary is a failed build.
        echo "FAIL: $FERRY or $FERRYD is missing; build the tree first" >&2
        exit 1
    fi
}

e2e_cleanup() {
    local rc=$?
    stop_daemons
    if [ "${E2E_KEEP:-0}" = 1 ]; then
        echo "e2e: keeping $WORK (E2E_KEEP=1)"
    else
        rm -rf "$WORK"
    fi
    exit "$rc"
}

# Exit 125 is CTest's "skipped" (SKIP_RETURN_CODE). scripts/test.sh installs every peer and sets
# E2E_REQUIRE_PEERS=1, so there a missing peer is a failure, not a quiet skip.
skip() {
    if [ "${E2E_REQUIRE_PEERS:-0}" = 1 ]; then
        echo "FAIL: $* (E2E_REQUIRE_PEERS=1)" >&2
        exit 1
    fi
    echo "SKIPPED: $*"
    exit 125
}

require_cmd() {
    local c
    for c in "$@"; do
        command -v "$c" > /dev/null 2>&1 || skip "'$c' is not installed (scripts/install-deps.sh installs it)"
    done
}
require_distcc() { require_cmd distcc; DISTCC=$(command -v distcc); }
require_distccd() { require_cmd distccd; DISTCCD=$(command -v distccd); }

# ---------------------------------------------------------------------------------------------
# Daemons

# Prints a TCP port that was free a moment ago on 127.0.0.1.
free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

port_listening() {
    [ -n "$(ss -Hltn "sport = :$1" 2> /dev/null)" ]
}

# stop_pid PID: SIGTERM, a bounded wait, then SIGKILL.
stop_pid() {
    local pid=$1 i
    kill -TERM "$pid" 2> /dev/null || return 0
    for ((i = 0; i < DAEMON_STOP_TIMEOUT * 10; i++)); do
        kill -0 "$pid" 2> /dev/null || break
        sleep 0.1
    done
    if kill -0 "$pid" 2> /dev/null; then
        echo "e2e: pid $pid ignored SIGTERM for ${DAEMON_STOP_TIMEOUT}s; killing it" >&2
        kill -KILL "$pid" 2> /dev/null
    fi
    wait "$pid" 2> /dev/null
    return 0
}

stop_daemons() {
    local pid
    for pid in "${g_daemon_pids[@]}"; do
        stop_pid "$pid"
    done
    for pid in "${g_watchdog_pids[@]}"; do
        kill "$pid" 2> /dev/null
    done
    g_daemon_pids=()
    g_watchdog_pids=()
}

# guard_daemon PID: stops the daemon if this suite dies without running its EXIT trap (SIGKILL).
# The watchdog holds no pipe of ours open, so it cannot keep ctest waiting.
guard_daemon() {
    local pid=$1 suite=$$
    (
        while kill -0 "$suite" && kill -0 "$pid"; do sleep 1; done
        kill -TERM "$pid"
    ) > /dev/null 2>&1 < /dev/null &
    g_watchdog_pids+=($!)
}

# ferryd_user: the user a ferryd started as root serves as (its default --user).
ferryd_user() { id -u ferryd > /dev/null 2>&1 && echo ferryd || echo nobody; }

# give_to_ferryd_user DIR: as an operator gives /run/ferryd to the daemon's user: a ferryd started
# as root serves as that user, who must remove its pid file there (and make a new log file after
# rotation). Not root: nothing to do.
give_to_ferryd_user() {
    [ "$(id -u)" = 0 ] || return 0
    chown "$(ferryd_user):" "$1"
}

# start_ferryd [extra ferryd args...]: sets FERRYD_PORT, FERRYD_PID, FERRYD_LOG.
start_ferryd() {
    local dir=$WORK/daemons/ferryd
    mkdir -p "$dir"
    give_to_ferryd_user "$dir"
    FERRYD_LOG=$dir/log
    "$FERRYD" --no-detach --listen 127.0.0.1 --port 0 --port-file "$dir/port" \
        --pid-file "$dir/pid" --log-stderr --jobs 2 "$@" > "$dir/stdout" 2> "$FERRYD_LOG" < /dev/null &
    FERRYD_PID=$!
    g_daemon_pids+=("$FERRYD_PID")
    guard_daemon "$FERRYD_PID"
    local i
    for ((i = 0; i < DAEMON_START_TIMEOUT * 10; i++)); do
        if [ -s "$dir/port" ]; then
            FERRYD_PORT=$(cat "$dir/port")
            # The port file may be written before listen(); be sure before the first job.
            if [[ $FERRYD_PORT =~ ^[0-9]+$ ]] && port_listening "$FERRYD_PORT"; then
                echo "e2e: ferryd pid $FERRYD_PID listening on 127.0.0.1:$FERRYD_PORT"
                return 0
            fi
        fi
        if ! kill -0 "$FERRYD_PID" 2> /dev/null; then
            wait "$FERRYD_PID"
            echo "FAIL: ferryd exited with status $? before listening; its log:" >&2
            sed 's/^/  | /' "$FERRYD_LOG" >&2
            exit 1
        fi
        sleep 0.1
    done
    echo "FAIL: ferryd did not write a port file within ${DAEMON_START_TIMEOUT}s; its log:" >&2
    sed 's/^/  | /' "$FERRYD_LOG" >&2
    exit 1
}

# start_ferryd_as NAME [extra ferryd args...]: one of several daemons, whose files live in
# $WORK/daemons/NAME; sets NAME_PORT, NAME_PID and NAME_LOG.
start_ferryd_as() {
    local name=$1
    shift
    start_ferryd "$@"
    mv "$WORK/daemons/ferryd" "$WORK/daemons/$name" # the daemon keeps its open log
    printf -v "${name}_PORT" %s "$FERRYD_PORT"
    printf -v "${name}_PID" %s "$FERRYD_PID"
    printf -v "${name}_LOG" %s "$WORK/daemons/$name/log"
}

# start_distccd: the real distccd on a free port; sets DISTCCD_PORT, DISTCCD_PID, DISTCCD_LOG.
# distccd cannot bind port 0, so pick a free port and retry on exit 102 (EXIT_BIND_FAILED), which
# is what distcc's own test suite does. As root it drops to user distccd, so it must not inherit
# our private TMPDIR (it could not write there) and its pid file would fail; $! is its pid anyway
# because of --no-detach. Extra arguments go to distccd.
start_distccd() {
    local dir=$WORK/daemons/distccd attempt i rc
    mkdir -p "$dir"
    DISTCCD_LOG=$dir/log
    for ((attempt = 1; attempt <= 5; attempt++)); do
        DISTCCD_PORT=$(free_port)
        env TMPDIR=/tmp "$DISTCCD" --daemon --no-detach --listen 127.0.0.1 --port "$DISTCCD_PORT" \
            --allow 127.0.0.1 --log-stderr --jobs 2 "$@" > "$dir/stdout" 2> "$DISTCCD_LOG" < /dev/null &
        DISTCCD_PID=$!
        g_daemon_pids+=("$DISTCCD_PID")
        guard_daemon "$DISTCCD_PID"
        for ((i = 0; i < DAEMON_START_TIMEOUT * 10; i++)); do
            if port_listening "$DISTCCD_PORT"; then
                echo "e2e: distccd pid $DISTCCD_PID listening on 127.0.0.1:$DISTCCD_PORT"
                return 0
            fi
            kill -0 "$DISTCCD_PID" 2> /dev/null || break
            sleep 0.1
        done
        if kill -0 "$DISTCCD_PID" 2> /dev/null; then
            stop_pid "$DISTCCD_PID"
            echo "FAIL: distccd did not listen on $DISTCCD_PORT within ${DAEMON_START_TIMEOUT}s:" >&2
            sed 's/^/  | /' "$DISTCCD_LOG" >&2
            exit 1
        fi
        wait "$DISTCCD_PID"
        rc=$?
        [ "$rc" = 102 ] && continue # somebody took the port between free_port and bind
        echo "FAIL: distccd exited with status $rc; its log:" >&2
        sed 's/^/  | /' "$DISTCCD_LOG" >&2
        exit 1
    done
    echo "FAIL: distccd could not bind a port in 5 attempts" >&2
    exit 1
}

# A port with nothing listening on it (bound once, then closed).
dead_port() { free_port; }

# ---------------------------------------------------------------------------------------------
# Tests

# TEST "name" function [args...]
TEST() {
    local name=$1
    shift
    g_tests_run=$((g_tests_run + 1))
    TEST_DIR=$WORK/t$g_tests_run
    mkdir -p "$TEST_DIR/logs" "$TEST_DIR/ref"
    cp -R "$FIXTURES" "$TEST_DIR/tree"
    local rc
    (
        cd "$TEST_DIR/tree" || exit 1
        "$@"
    )
    rc=$?
    if [ "$rc" = 0 ]; then
        echo "ok   $name"
    else
        g_tests_failed=$((g_tests_failed + 1))
        g_failed_names+=("$name")
        echo "FAIL $name"
        show_logs
    fi
}

# Prints the logs that explain a failure: the test's client logs, then the daemons'.
show_logs() {
    local f
    for f in "$TEST_DIR"/logs/*; do
        [ -s "$f" ] || continue
        echo "  --- ${f#"$TEST_DIR"/} (last 30 lines)"
        tail -n 30 "$f" | sed 's/^/  | /'
    done
    for f in "$WORK"/daemons/*/log; do
        [ -s "$f" ] || continue
        echo "  --- ${f#"$WORK"/} (last 15 lines)"
        tail -n 15 "$f" | sed 's/^/  | /'
    done
}

e2e_finish() {
    echo "e2e: $((g_tests_run - g_tests_failed))/$g_tests_run passed"
    if [ "$g_tests_failed" -ne 0 ]; then
        printf '  failed: %s\n' "${g_failed_names[@]}"
        exit 1
    fi
    if [ "$g_tests_run" -eq 0 ]; then
        echo "FAIL: no test ran" >&2
        exit 1
    fi
    exit 0
}

# Ends the current TEST.
fail() {
    echo "  FAILED: $*" >&2
    exit 1
}

note() { echo "  note: $*"; }

# ---------------------------------------------------------------------------------------------
# Running commands (every one bounded by CMD_TIMEOUT)

# capture NAME cmd...: runs cmd with stdout/stderr in $TEST_DIR/logs/NAME.{out,err}; sets STATUS.
capture() {
    local name=$1
    shift
    timeout -k 5 "$CMD_TIMEOUT" "$@" > "$TEST_DIR/logs/$name.out" 2> "$TEST_DIR/logs/$name.err"
    STATUS=$?
    if [ "$STATUS" = 124 ] || [ "$STATUS" = 137 ]; then
        fail "$name: timed out after ${CMD_TIMEOUT}s: $*"
    fi
}

# run_ok NAME cmd...: like capture, but the command must succeed.
run_ok() {
    capture "$@"
    if [ "$STATUS" != 0 ]; then
        echo "  $1 exited with $STATUS: ${*:2}" >&2
        head -n 30 "$TEST_DIR/logs/$1.err" | sed 's/^/  stderr| /' >&2
        fail "$1 failed"
    fi
}

out_of() { cat "$TEST_DIR/logs/$1.out"; }
err_file() { printf '%s' "$TEST_DIR/logs/$1.err"; }

# The host specification for a daemon port and protocol version (2 = ",lzo").
hostspec() {
    if [ "$2" = 2 ]; then echo "127.0.0.1:$1,lzo"; else echo "127.0.0.1:$1"; fi
}

# use_client ferry|distcc HOSTSPEC [VAR=value...]: the client prefix in the CLIENT array.
# Fallback is off for both, so a job that cannot be distributed fails instead of silently
# compiling here; the logs are what the tests read to see where a job ran.
use_client() {
    local kind=$1 hosts=$2
    shift 2
    CLIENT_KIND=$kind
    case $kind in
    ferry)
        CLIENT_LOG=$TEST_DIR/logs/ferry.log
        CLIENT=(env FERRY_HOSTS="$hosts" FERRY_LOG="$CLIENT_LOG" FERRY_FALLBACK=0 "$@" "$FERRY")
        ;;
    distcc)
        CLIENT_LOG=$TEST_DIR/logs/distcc.log
        CLIENT=(env DISTCC_HOSTS="$hosts" DISTCC_LOG="$CLIENT_LOG" DISTCC_FALLBACK=0
            DISTCC_SKIP_LOCAL_RETRY=1 DISTCC_BACKOFF_PERIOD=0 "$@" "$DISTCC")
        ;;
    *) fail "unknown client $kind" ;;
    esac
    touch "$CLIENT_LOG"
}

count_lines() {
    # grep -c prints 0 (and fails) when nothing matches; the count is what we want.
    if [ -f "$1" ]; then grep -c -- "$2" "$1"; else echo 0; fi
}

# ---------------------------------------------------------------------------------------------
# Where did a job run?

# ferry_log_lines: the ferry job lines so far ("ferry[PID] job INPUT -> WHERE").
ferry_job_lines() { grep -E '^ferry\[[0-9]+\] job ' "$CLIENT_LOG" 2> /dev/null; }

# Extra "key=value" fields after a remote result (sent=, received=, ...) are allowed.
JOB_FIELDS='( [a-z_]+=[^ ]*)*'

# expect_ferry_job INPUT REGEX: the newest ferry job line is about INPUT and its destination
# (everything after " -> ") matches REGEX.
expect_ferry_job() {
    local input=$1 re=$2 line
    line=$(ferry_job_lines | tail -n 1)
    [ -n "$line" ] || fail "no 'ferry[PID] job' line in $CLIENT_LOG"
    [[ $line == *" job $input -> "* ]] || fail "the last job line is not about $input: $line"
    [[ ${line#* -> } =~ ^$re$JOB_FIELDS$ ]] || fail "$input ran at '${line#* -> }', expected /$re/"
}

# wait_daemon_ok LOG BEFORE: a daemon logged one more COMPILE_OK than BEFORE (daemons may log
# just after replying, so give it a moment).
wait_daemon_ok() {
    local log=$1 before=$2 i n
    for ((i = 0; i < 50; i++)); do
        n=$(count_lines "$log" COMPILE_OK)
        [ "$n" -gt "$before" ] && return 0
        sleep 0.1
    done
    fail "the daemon did not log COMPILE_OK (still $n lines) in $log"
}

# ---------------------------------------------------------------------------------------------
# Comparing outputs

expect_exists() { [ -f "$1" ] || fail "$1 was not produced"; }
expect_missing() { [ ! -e "$1" ] || fail "$1 exists but should not"; }

expect_same_file() {
    local what=$1 a=$2 b=$3
    expect_exists "$a"
    expect_exists "$b"
    if ! cmp -s "$a" "$b"; then
        echo "  $what differs: $a vs $b" >&2
        diff -u "$a" "$b" 2> /dev/null | head -n 40 | sed 's/^/  diff| /' >&2
        fail "$what is not byte-identical"
    fi
}

expect_same_object() {
    local a=$1 b=$2
    expect_exists "$a"
    expect_exists "$b"
    if ! cmp -s "$a" "$b"; then
        echo "  $a ($(stat -c %s "$a") bytes) vs $b ($(stat -c %s "$b") bytes): $(cmp "$a" "$b" 2>&1)" >&2
        diff <(objdump -h "$a" | tail -n +5) <(objdump -h "$b" | tail -n +5) | head -n 20 | sed 's/^/  sections| /' >&2
        fail "object $b is not byte-identical to the local $a"
    fi
}

# The DWARF names (CU file name, functions, variables, types) and DW_AT_comp_dir, with the
# string-table offsets removed (those move when .debug_line_str is laid out differently).
dwarf_names() {
    readelf --debug-dump=info "$1" 2> /dev/null |
        grep -E 'DW_AT_(name|comp_dir)' |
        sed -E 's/^.*(DW_AT_[a-z_]+)[[:space:]]*:([[:space:]]*\([^)]*\):)?[[:space:]]*/\1 /'
}

# expect_same_debug_object LOCAL REMOTE: for -g objects.
expect_same_debug_object() {
    local a=$1 b=$2 d
    expect_exists "$a"
    expect_exists "$b"
    d=$(mktemp -d "$TEST_DIR/strip.XXXX")
    objcopy --strip-debug "$a" "$d/local.o" || fail "objcopy --strip-debug $a failed"
    objcopy --strip-debug "$b" "$d/remote.o" || fail "objcopy --strip-debug $b failed"
    cmp -s "$d/local.o" "$d/remote.o" || fail "$b differs from the local $a even without debug sections"
    dwarf_names "$a" > "$d/local.names"
    dwarf_names "$b" > "$d/remote.names"
    grep -q DW_AT_comp_dir "$d/local.names" || fail "no DW_AT_comp_dir in the local $a: was it built with -g?"
    if ! cmp -s "$d/local.names" "$d/remote.names"; then
        diff -u "$d/local.names" "$d/remote.names" | head -n 30 | sed 's/^/  dwarf| /' >&2
        fail "$b has other DWARF names or DW_AT_comp_dir than the local $a"
    fi
    if cmp -s "$a" "$b"; then
        note "$(basename "$b"): byte-identical even with debug info"
    fi
    rm -rf "$d"
}

# ---------------------------------------------------------------------------------------------
# One compile, local then through the client, in the same directory with the same paths.

# local_ref NAME "OUT..." cmd...: compiles locally, then moves each OUT to $TEST_DIR/ref/OUT so
# the remote run writes the same paths afresh (the paths end up inside .d files and DWARF).
local_ref() {
    local name=$1 outs=$2 o
    shift 2
    for o in $outs; do rm -f "$o"; done
    run_ok "$name.local" "$@"
    for o in $outs; do
        expect_exists "$o"
        mkdir -p "$TEST_DIR/ref/$(dirname "$o")"
        mv "$o" "$TEST_DIR/ref/$o"
    done
}

# compare_outputs MODE "OUT...": MODE exact | debug; .d/.dep files are always compared exactly.
compare_outputs() {
    local mode=$1 outs=$2 o
    for o in $outs; do
        case $o in
        *.o)
            if [ "$mode" = debug ]; then
                expect_same_debug_object "$TEST_DIR/ref/$o" "$o"
            else
                expect_same_object "$TEST_DIR/ref/$o" "$o"
            fi
            ;;
        *) expect_same_file "$o" "$TEST_DIR/ref/$o" "$o" ;;
        esac
    done
}

# remote_compile NAME INPUT "OUT..." MODE compiler args...: the full check for one job — a local
# reference compile, then the same command through $CLIENT, which must go to the daemon
# ($SERVER_LOG, $SERVER_PORT, $PROTO) and produce the same outputs.
remote_compile() {
    local name=$1 input=$2 outs=$3 mode=$4
    shift 4
    local_ref "$name" "$outs" "$@"
    local before_ok before_jobs before_distcc distcc_ok="compile $input on 127.0.0.1:$SERVER_PORT.* completed ok"
    before_ok=$(count_lines "$SERVER_LOG" COMPILE_OK)
    before_jobs=$(ferry_job_lines | wc -l)
    before_distcc=$(count_lines "$CLIENT_LOG" "$distcc_ok")
    run_ok "$name.$CLIENT_KIND" "${CLIENT[@]}" "$@"
    case $CLIENT_KIND in
    ferry)
        [ "$(ferry_job_lines | wc -l)" -eq $((before_jobs + 1)) ] ||
            fail "expected exactly one new 'job' line in $CLIENT_LOG for one compile"
        expect_ferry_job "$input" "127\.0\.0\.1:$SERVER_PORT \(protocol $PROTO\): ok"
        ;;
    distcc)
        [ "$(count_lines "$CLIENT_LOG" "$distcc_ok")" -gt "$before_distcc" ] ||
            fail "distcc did not log 'compile $input on 127.0.0.1:$SERVER_PORT ... completed ok'"
        ;;
    esac
    wait_daemon_ok "$SERVER_LOG" "$before_ok"
    compare_outputs "$mode" "$outs"
}

# start_staller PORTFILE: a listener on 127.0.0.1 that accepts connections and never answers
# (a hung daemon). Runs in the background (its pid in STALLER_PID) and returns once its port is
# written to PORTFILE.
start_staller() {
    local portfile=$1 i
    python3 -c '
import socket, sys
s = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen(64)
open(sys.argv[1], "w").write(str(s.getsockname()[1]))
held = []
while True:
    c, _ = s.accept(); held.append(c)
' "$portfile" > /dev/null 2>&1 < /dev/null &
    STALLER_PID=$!
    for ((i = 0; i < 100; i++)); do
        [ -s "$portfile" ] && break
        sleep 0.1
    done
}
