#!/usr/bin/env bash
# A real build through ferry: tests/fixtures/realbuild (39 C/C++ translation units in six
# directories, -MD dependency files, -g in two directories) built with make -j8 against two
# ferryd daemons on loopback, compared with a local build of the same tree at the same paths:
# every .d byte-identical, every object byte-identical (with -g: identical outside the debug
# sections, with the same DWARF names and compilation directory). Then the same build while
# one daemon is killed part-way, and one against a host that accepts and never answers.
#   realbuild.sh BIN_DIR

# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
e2e_init "$@"
require_cmd make python3

start_ferryd_as A --jobs 4
start_ferryd_as B --jobs 4

# One tree, built locally once as the reference (objects with -g name their directory, so every
# build must happen at the same path); each test builds it again into out/ through ferry.
RB=$WORK/rb
cp -R "$FIXTURES/realbuild" "$RB" || exit 1
(cd "$RB" && ./generate.sh .) || exit 1
REF=$WORK/ref
local_start=$(date +%s%N)
if ! (cd "$RB" && timeout -k 5 "$CMD_TIMEOUT" make -j8 OUT=out > "$WORK/make.local.log" 2>&1); then
    echo "FAIL: the local reference build failed:" >&2
    tail -n 20 "$WORK/make.local.log" >&2
    exit 1
fi
LOCAL_MS=$((($(date +%s%N) - local_start) / 1000000))
mkdir -p "$REF"
mv "$RB/out" "$REF/out"
N_OBJECTS=$(find "$REF/out" -name '*.o' | wc -l)
echo "e2e: local reference build: $N_OBJECTS objects in ${LOCAL_MS}ms"
[ "$N_OBJECTS" -ge 30 ] || { echo "FAIL: only $N_OBJECTS objects in the reference build" >&2; exit 1; }

project() {
    cd "$RB" || fail "no project tree"
    rm -rf out
    CLIENT_LOG=$TEST_DIR/logs/ferry.log
    export FERRY_DIR=$TEST_DIR/state
    touch "$CLIENT_LOG"
}

ferry_make() {
    local name=$1
    shift
    run_ok "$name" env FERRY_LOG="$CLIENT_LOG" "$@" make -j8 OUT=out CC="$FERRY gcc" CXX="$FERRY g++"
}

# Every object and .d of the reference exists in out/ and matches it.
compare_tree() {
    local ref o rel n=0 debug=0
    while IFS= read -r ref; do
        rel=${ref#"$REF"/}
        case $rel in
        out/src/util/* | out/src/model/detail/*)
            expect_same_debug_object "$ref" "$rel"
            debug=$((debug + 1))
            ;;
        *) expect_same_object "$ref" "$rel" ;;
        esac
        expect_same_file "${rel%.o}.d" "${ref%.o}.d" "${rel%.o}.d"
        n=$((n + 1))
    done < <(find "$REF/out" -name '*.o' | sort)
    [ "$n" = "$N_OBJECTS" ] || fail "compared $n objects, expected $N_OBJECTS"
    [ "$debug" -ge 5 ] || fail "only $debug -g objects compared"
    run_ok prog ./out/prog
    [ "$(out_of prog)" = "$("$REF/out/prog")" ] || fail "the program built through ferry prints something else"
}

jobs_on() { ferry_job_lines | grep -c -- "-> 127.0.0.1:$1 (protocol 1): ok"; }

two_daemons() {
    project
    ferry_make make.ferry FERRY_FALLBACK=0 FERRY_HOSTS="127.0.0.1:$A_PORT/4 127.0.0.1:$B_PORT/4"
    compare_tree
    local a b
    a=$(jobs_on "$A_PORT") b=$(jobs_on "$B_PORT")
    note "jobs: $a on A, $b on B"
    [ $((a + b)) = "$N_OBJECTS" ] || fail "$((a + b)) of $N_OBJECTS compiles went to the daemons"
    [ "$a" -gt 0 ] && [ "$b" -gt 0 ] || fail "the work was not spread over both daemons (A $a, B $b)"
}

# Daemon B dies part-way: killed (with its running jobs) after it has finished some compiles
# and while make is still running, so the jobs after it (and any it was serving) move to A.
daemon_dies() {
    project
    env FERRY_LOG="$CLIENT_LOG" FERRY_HOSTS="127.0.0.1:$A_PORT/4 127.0.0.1:$B_PORT/4" \
        timeout -k 5 "$CMD_TIMEOUT" make -j8 OUT=out CC="$FERRY gcc" CXX="$FERRY g++" \
        > "$TEST_DIR/logs/make.ferry.out" 2> "$TEST_DIR/logs/make.ferry.err" &
    local make_pid=$! i b_start
    # B's log goes on from the earlier tests of this suite: count from here.
    b_start=$(count_lines "$B_LOG" COMPILE_OK)
    # Poll often: on a loaded machine a compile takes long enough that B's first two are seen
    # while most of the 39 are still to come; on a fast one make -j8 is still far from done.
    for ((i = 0; i < 2400; i++)); do
        [ "$(count_lines "$B_LOG" COMPILE_OK)" -ge $((b_start + 2)) ] && break
        kill -0 "$make_pid" 2> /dev/null || break
        sleep 0.05
    done
    local b_served jobs_at_kill a_at_kill children
    b_served=$(($(count_lines "$B_LOG" COMPILE_OK) - b_start))
    if ! kill -0 "$make_pid" 2> /dev/null || [ "$b_served" -lt 2 ]; then
        wait "$make_pid"
        fail "make ended (or B served only $b_served jobs) before B could be killed part-way"
    fi
    # The daemon and the job processes it forked: a crash, not a graceful stop.
    children=$(ps -o pid= --ppid "$B_PID" 2> /dev/null | tr -s ' \n' ' ')
    kill -KILL "$B_PID" $children 2> /dev/null
    jobs_at_kill=$(ferry_job_lines | wc -l)
    a_at_kill=$(count_lines "$A_LOG" COMPILE_OK)
    local running=0
    kill -0 "$make_pid" 2> /dev/null && running=1
    note "killed daemon B (and $(echo $children | wc -w) job processes) after it served $b_served jobs; $jobs_at_kill jobs done then"
    wait "$make_pid" || fail "make failed after a daemon died: $(tail -n 5 "$TEST_DIR/logs/make.ferry.err")"
    [ "$running" = 1 ] || fail "make had ended by the time B was killed"
    [ "$jobs_at_kill" -lt "$N_OBJECTS" ] || fail "all $jobs_at_kill compiles were done before B was killed"
    compare_tree
    # Jobs went on after the kill: more compiles finished, on A.
    local jobs_after a_after
    jobs_after=$(($(ferry_job_lines | wc -l) - jobs_at_kill))
    a_after=$(($(count_lines "$A_LOG" COMPILE_OK) - a_at_kill))
    note "after the kill: $jobs_after more jobs, $a_after compiles on A"
    [ "$jobs_after" -gt 0 ] && [ "$a_after" -gt 0 ] || fail "no job finished on A after B died ($jobs_after jobs, $a_after on A)"
    [ "$(jobs_on "$B_PORT")" -ge 1 ] || fail "the client logged no job completed on B before it died"
    [ "$jobs_at_kill" -ge 2 ] || fail "only $jobs_at_kill jobs were done when B was killed"
    expect_exists "$FERRY_DIR/lock/backoff_tcp_127.0.0.1_$B_PORT"
    grep -q "backing off 127.0.0.1:$B_PORT" "$CLIENT_LOG" || fail "no job backed off the dead daemon"
}

host_never_answers() {
    project
    local portfile=$TEST_DIR/stall.port
    start_staller "$portfile"
    local staller=$STALLER_PID
    local timeout_s=5 start elapsed limit
    start=$(date +%s%N)
    ferry_make make.ferry FERRY_QUIET=1 FERRY_IO_TIMEOUT=$timeout_s FERRY_HOSTS="127.0.0.1:$(cat "$portfile")/4"
    elapsed=$((($(date +%s%N) - start) / 1000000))
    kill "$staller"
    limit=$((timeout_s * 1000 + LOCAL_MS * 2 + 10000))
    note "build against a silent host: ${elapsed}ms (limit ${limit}ms)"
    [ "$elapsed" -le "$limit" ] || fail "the build took ${elapsed}ms, more than the I/O timeout plus a margin (${limit}ms)"
    compare_tree
}

TEST "make -j8 over two daemons: every .d and object as a local build's" two_daemons
TEST "a daemon killed part-way: the build succeeds, the host is backed off" daemon_dies
TEST "a host that never answers: the build ends within the I/O timeout" host_never_answers
e2e_finish
