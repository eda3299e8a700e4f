#!/usr/bin/env bash
# A real multi-file build: examples/demo with make -j4 CC="ferry gcc" against one ferryd.
# The program must run and print the expected output, every object and .d must match a local
# build of the same tree, and the .d files must drive make's rebuilds as a local build's do.
#   make.sh BIN_DIR

# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
e2e_init "$@"
start_ferryd
SERVER_PORT=$FERRYD_PORT SERVER_LOG=$FERRYD_LOG PROTO=2

DEMO=$REPO_ROOT/examples/demo
NSRC=$(find "$DEMO/src" -name "*.c" | wc -l)

setup() {
    cp -R "$DEMO" demo && cd demo || fail "cannot copy $DEMO"
    rm -rf build
    CLIENT_LOG=$TEST_DIR/logs/ferry.log
    touch "$CLIENT_LOG"
    FERRY_MAKE=(env FERRY_HOSTS="$(hostspec "$SERVER_PORT" "$PROTO")" FERRY_LOG="$CLIENT_LOG" FERRY_FALLBACK=0
        make -j4 CC="$FERRY gcc")
}

make_j4() {
    setup
    run_ok make.local make -j4 CC=gcc
    mv build "$TEST_DIR/ref/build"
    local before
    before=$(count_lines "$SERVER_LOG" COMPILE_OK)
    run_ok make.ferry "${FERRY_MAKE[@]}"

    run_ok run build/ferry-demo
    expect_same_file "program output" expected-output.txt "$TEST_DIR/logs/run.out"

    local f n=0
    for f in "$TEST_DIR"/ref/build/*.o; do
        f=build/$(basename "$f")
        expect_same_object "$TEST_DIR/ref/$f" "$f"
        expect_same_file "${f%.o}.d" "$TEST_DIR/ref/${f%.o}.d" "${f%.o}.d"
        n=$((n + 1))
    done
    [ "$n" = "$NSRC" ] || fail "compared $n objects, the demo has $NSRC sources"
    expect_same_object "$TEST_DIR/ref/build/ferry-demo" build/ferry-demo

    local remote
    remote=$(ferry_job_lines | grep -cE " -> 127\.0\.0\.1:$SERVER_PORT \(protocol $PROTO\): ok( |$)")
    [ "$remote" = "$NSRC" ] || fail "$remote of $NSRC compiles went to ferryd: $(ferry_job_lines)"
    ferry_job_lines | grep -q ' -> local: ' || fail "no local job line for the link"
    wait_daemon_ok "$SERVER_LOG" $((before + NSRC - 1))
    echo "  what ran where:"
    ferry_job_lines | sed -E 's/^ferry\[[0-9]+\] job /    /'
}

rebuild_from_depfiles() {
    # The .d files written through ferry must make make rebuild exactly what includes a header.
    setup
    run_ok make.ferry "${FERRY_MAKE[@]}"
    capture up-to-date make -q CC="$FERRY gcc"
    [ "$STATUS" = 0 ] || fail "make -q says the fresh tree is out of date"
    sleep 1 # make compares mtimes with one-second resolution on some filesystems
    touch include/demo/hash.h
    : > "$CLIENT_LOG"
    run_ok make.again "${FERRY_MAKE[@]}"
    local rebuilt
    rebuilt=$(ferry_job_lines | grep ' -> 127' | sed -E 's/.* job ([^ ]+) -> .*/\1/' | sort | paste -sd ' ')
    [ "$rebuilt" = "src/hash.c src/main.c src/words.c" ] ||
        fail "touching hash.h rebuilt '$rebuilt', expected 'src/hash.c src/main.c src/words.c'"
    run_ok run build/ferry-demo
    expect_same_file "program output" expected-output.txt "$TEST_DIR/logs/run.out"
}

TEST "make -j4 CC=\"ferry gcc\": same objects, .d files, program" make_j4
TEST "the .d files drive rebuilds after a header change" rebuild_from_depfiles
e2e_finish
