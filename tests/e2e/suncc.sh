#!/usr/bin/env bash
# The suncc plugin end to end, against the stand-in Sun cc of tests/fixtures/suncc/bin (gcc
# underneath, implementing only Sun's documented command line; see its header) and a real
# ferryd that runs the stand-in as `suncc`. The conformance kit (kit.suncc) covers the plain
# verdicts and equivalence runs; this suite covers identification, SUNPRO_DEPENDENCIES and the
# masquerade entry.
#   suncc.sh BIN_DIR

# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
e2e_init "$@"
require_cmd python3 gcc
STANDIN=$FIXTURES/suncc/bin
# Both the client's local runs and the daemon find the stand-in first: `cc` and `suncc`.
export PATH=$STANDIN:$PATH
start_ferryd
SERVER_PORT=$FERRYD_PORT SERVER_LOG=$FERRYD_LOG PROTO=1

setup() {
    cd suncc || fail "no suncc fixture tree"
    mkdir -p build
    use_client ferry "$(hostspec "$SERVER_PORT" "$PROTO")" "$@"
}

probe_identifies_and_caches() {
    setup
    run_ok plan "$FERRY" --plan cc -Iinclude -c src/point.c
    grep -q '^plugin: suncc ' "$TEST_DIR/logs/plan.out" || fail "cc: $(head -n 1 "$TEST_DIR/logs/plan.out")"
    grep -q '^remote: suncc ' "$TEST_DIR/logs/plan.out" || fail "the remote compiler is not suncc"
    grep -q '^cpp: cc -Iinclude src/point.c -E > ' "$TEST_DIR/logs/plan.out" || fail "cpp line: $(grep '^cpp:' "$TEST_DIR/logs/plan.out")"
    local entry
    entry=$(grep -l "	suncc	__SUNPRO_C	" "$FERRY_DIR"/compilers/*.id 2> /dev/null | head -n 1)
    [ -n "$entry" ] || fail "no cached identity for the stand-in in $FERRY_DIR/compilers"
    grep -q "	x86_64-linux-gnu	$STANDIN/cc\$" "$entry" || fail "cache entry: $(cat "$entry")"
}

mapping_overrides_the_probe() {
    setup
    run_ok plan env FERRY_COMPILER_MAP=cc=gcc "$FERRY" --plan cc -c src/point.c
    grep -q '^plugin: gcc ' "$TEST_DIR/logs/plan.out" || fail "$(head -n 1 "$TEST_DIR/logs/plan.out")"
    capture bad env FERRY_COMPILER_MAP=cc "$FERRY" --plan cc -c src/point.c
    [ "$STATUS" = 101 ] || fail "a malformed FERRY_COMPILER_MAP exited $STATUS, expected 101"
    grep -q "FERRY_COMPILER_MAP" "$(err_file bad)" || fail "the error does not name FERRY_COMPILER_MAP"
}

cxx_is_local_with_the_reason() {
    setup
    run_ok plan env FERRY_COMPILER_MAP=CC=suncc "$FERRY" --plan CC -c src/shapes.cc
    grep -q '^reason: language (Sun C++ (CC) always compiles locally' "$TEST_DIR/logs/plan.out" ||
        fail "$(cat "$TEST_DIR/logs/plan.out")"
}

xmd_with_o_elsewhere() {
    setup
    remote_compile point src/point.c "build/point.o build/point.d" exact \
        cc -Iinclude -xO2 -xMD -c src/point.c -o build/point.o
    grep -q '^point.o: include/spaced name.h$' build/point.d || fail "not Sun's format: $(head -n 3 build/point.d)"
}

sunpro_dependencies() {
    setup SUNPRO_DEPENDENCIES="sun.deps point.o"
    # The local reference with the same environment.
    rm -f sun.deps build/point.o
    run_ok point.local env SUNPRO_DEPENDENCIES="sun.deps point.o" cc -Iinclude -c src/point.c -o build/point.o
    mkdir -p "$TEST_DIR/ref/build"
    mv sun.deps "$TEST_DIR/ref/sun.deps"
    mv build/point.o "$TEST_DIR/ref/build/point.o"
    local before
    before=$(count_lines "$SERVER_LOG" COMPILE_OK)
    run_ok point.ferry "${CLIENT[@]}" cc -Iinclude -c src/point.c -o build/point.o
    expect_ferry_job src/point.c "127\.0\.0\.1:$SERVER_PORT \(protocol $PROTO\): ok"
    wait_daemon_ok "$SERVER_LOG" "$before"
    compare_outputs exact "build/point.o sun.deps"
}

masquerade_cc() {
    setup
    mkdir -p "$TEST_DIR/masq"
    ln -s "$FERRY" "$TEST_DIR/masq/cc"
    local_ref point "point.o point.d" cc -Iinclude -xMMD -c src/point.c
    local before
    before=$(count_lines "$SERVER_LOG" COMPILE_OK)
    run_ok point.masquerade env PATH="$TEST_DIR/masq:$PATH" FERRY_HOSTS="$(hostspec "$SERVER_PORT" "$PROTO")" \
        FERRY_LOG="$CLIENT_LOG" FERRY_FALLBACK=0 cc -Iinclude -xMMD -c src/point.c
    expect_ferry_job src/point.c "127\.0\.0\.1:$SERVER_PORT \(protocol $PROTO\): ok"
    wait_daemon_ok "$SERVER_LOG" "$before"
    compare_outputs exact "point.o point.d"
}

TEST "the probe identifies the stand-in behind 'cc' and caches it" probe_identifies_and_caches
TEST "FERRY_COMPILER_MAP overrides the probe; a bad one is exit 101" mapping_overrides_the_probe
TEST "CC (Sun C++) stays local with the reason" cxx_is_local_with_the_reason
TEST "-xMD -o build/point.o: the .d as Sun writes it" xmd_with_o_elsewhere
TEST "SUNPRO_DEPENDENCIES appends the same lines" sunpro_dependencies
TEST "a 'cc' masquerade link with Sun's cc next on PATH" masquerade_cc
e2e_finish
