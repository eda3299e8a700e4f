#!/usr/bin/env bash
# Client details distcc users rely on, each through a real ferryd: @file response files, the
# implied -o, -S beating -c, .i/.ii inputs sent without preprocessing, output to /dev/null, the
# umask applied to the object, and DISTCC_* variables honoured when no FERRY_* one is set.
# (Masquerade names, cc/c++ and the recursion guard are in masquerade.sh.)
#   clientdetails.sh BIN_DIR

# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
e2e_init "$@"
start_ferryd
SERVER_PORT=$FERRYD_PORT SERVER_LOG=$FERRYD_LOG PROTO=1

setup() {
    cd c && mkdir -p build || fail "mkdir"
    use_client ferry "$(hostspec "$SERVER_PORT" "$PROTO")"
}

response_file() {
    setup
    printf -- '-O2 -Iinclude\n"-DSCALE=3"\n-c src/stats.c\n' > build/args.rsp
    remote_compile rsp src/stats.c build/stats.o exact gcc @build/args.rsp -o build/stats.o
}

implied_output() {
    setup
    remote_compile noo src/vec.c vec.o exact gcc -Iinclude -c src/vec.c
}

s_beats_c() {
    setup
    local_ref s "vec.s" gcc -Iinclude -c -S src/vec.c
    run_ok s.ferry "${CLIENT[@]}" gcc -Iinclude -c -S src/vec.c
    expect_ferry_job src/vec.c "127\.0\.0\.1:$SERVER_PORT \(protocol 1\): ok"
    expect_missing vec.o
    compare_outputs exact vec.s
}

preprocessed_inputs() {
    setup
    run_ok cpp gcc -Iinclude -E src/vec.c -o build/vec.i
    run_ok cppxx g++ -I../cxx/include -E ../cxx/src/matrix.cpp -o build/matrix.ii
    remote_compile i build/vec.i build/vec.o exact gcc -O2 -c build/vec.i -o build/vec.o
    remote_compile ii build/matrix.ii build/matrix.o exact g++ -O2 -c build/matrix.ii -o build/matrix.o
}

dev_null_output() {
    setup
    local before
    before=$(count_lines "$SERVER_LOG" COMPILE_OK)
    run_ok null "${CLIENT[@]}" gcc -Iinclude -c src/vec.c -o /dev/null
    expect_ferry_job src/vec.c "127\.0\.0\.1:$SERVER_PORT \(protocol 1\): ok"
    wait_daemon_ok "$SERVER_LOG" "$before"
    [ -c /dev/null ] || fail "/dev/null is no longer a character device"
}

umask_respected() {
    setup
    (umask 027 && "${CLIENT[@]}" gcc -Iinclude -c src/vec.c -o build/vec.o) || fail "the compile failed"
    expect_ferry_job src/vec.c "127\.0\.0\.1:$SERVER_PORT \(protocol 1\): ok"
    [ "$(stat -c %a build/vec.o)" = 640 ] || fail "with umask 027 the object has mode $(stat -c %a build/vec.o), expected 640"
    (umask 002 && "${CLIENT[@]}" gcc -Iinclude -c src/vec.c -o build/vec2.o) || fail "the compile failed"
    [ "$(stat -c %a build/vec2.o)" = 664 ] || fail "with umask 002 the object has mode $(stat -c %a build/vec2.o), expected 664"
}

distcc_variables() {
    setup
    local log=$TEST_DIR/logs/distcc-vars.log
    run_ok dv env DISTCC_HOSTS="$(hostspec "$SERVER_PORT" 1)" DISTCC_LOG="$log" "$FERRY" gcc -Iinclude -c src/vec.c -o build/vec.o
    grep -q "job src/vec.c -> 127.0.0.1:$SERVER_PORT (protocol 1): ok" "$log" || fail "DISTCC_HOSTS/DISTCC_LOG were not honoured"
    capture dfb env DISTCC_HOSTS="127.0.0.1:$(dead_port)" DISTCC_FALLBACK=0 "$FERRY" gcc -Iinclude -c src/vec.c -o build/vec.o
    [ "$STATUS" = 116 ] || fail "DISTCC_FALLBACK=0 with a dead host: exit $STATUS, expected 116"
    # FERRY_* wins over DISTCC_*.
    run_ok both env FERRY_HOSTS="$(hostspec "$SERVER_PORT" 1)" DISTCC_HOSTS="127.0.0.1:$(dead_port)" \
        FERRY_FALLBACK=0 FERRY_LOG="$log" "$FERRY" gcc -Iinclude -c src/stats.c -o build/stats.o
    grep -q "job src/stats.c -> 127.0.0.1:$SERVER_PORT (protocol 1): ok" "$log" || fail "FERRY_HOSTS did not win over DISTCC_HOSTS"
}

TEST "@file response file" response_file
TEST "gcc -c x.c writes x.o" implied_output
TEST "-S beats -c" s_beats_c
TEST ".i and .ii inputs go out as they are" preprocessed_inputs
TEST "-o /dev/null" dev_null_output
TEST "the umask sets the object's mode" umask_respected
TEST "DISTCC_* variables when no FERRY_* is set" distcc_variables
e2e_finish
