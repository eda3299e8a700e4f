#!/usr/bin/env bash
# A dead host never breaks the build: ferry compiles locally (same object), says so in one
# stderr line unless FERRY_QUIET=1, and with FERRY_FALLBACK=0 fails with distcc 3.4's exit code
# for a refused connect: 116 (EXIT_NO_HOSTS: the host is backed off and none is left; exitcodes.sh
# checks every case against distcc itself).
#   fallback.sh BIN_DIR

# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
e2e_init "$@"
DEAD=$(dead_port)
DEAD_HOSTS="127.0.0.1:$DEAD"

setup() {
    cd c && mkdir -p build || fail "mkdir"
    CLIENT_LOG=$TEST_DIR/logs/ferry.log
    # A refused connect fails at once; the short I/O timeout only bounds a surprise.
    FERRY_ENV=(env FERRY_HOSTS="$DEAD_HOSTS" FERRY_LOG="$CLIENT_LOG" FERRY_IO_TIMEOUT=10)
}

falls_back_with_notice() {
    setup
    local_ref vec build/vec.o gcc -O2 -Iinclude -c src/vec.c -o build/vec.o
    run_ok vec.ferry "${FERRY_ENV[@]}" "$FERRY" gcc -O2 -Iinclude -c src/vec.c -o build/vec.o
    compare_outputs exact build/vec.o
    local err
    err=$(err_file vec.ferry)
    [ "$(wc -l < "$err")" = 1 ] || fail "expected exactly one notice line on stderr, got: $(cat "$err")"
    grep -q "$DEAD" "$err" || note "the notice does not name the dead host: $(cat "$err")"
    echo "  notice: $(cat "$err")"
    expect_ferry_job src/vec.c "local: fallback: .*127\.0\.0\.1:$DEAD.*"
}

quiet_fallback() {
    setup
    local_ref stats build/stats.o gcc -Iinclude -c src/stats.c -o build/stats.o
    run_ok stats.ferry "${FERRY_ENV[@]}" FERRY_QUIET=1 "$FERRY" gcc -Iinclude -c src/stats.c -o build/stats.o
    compare_outputs exact build/stats.o
    [ ! -s "$(err_file stats.ferry)" ] || fail "FERRY_QUIET=1 but stderr says: $(cat "$(err_file stats.ferry)")"
    expect_ferry_job src/stats.c "local: fallback: .*"
}

no_fallback() {
    setup
    capture vec.ferry "${FERRY_ENV[@]}" FERRY_FALLBACK=0 "$FERRY" gcc -Iinclude -c src/vec.c -o build/vec.o
    [ "$STATUS" = 116 ] || fail "FERRY_FALLBACK=0 with a dead host exited $STATUS; expected 116 (no usable host, as distcc)"
    [ -s "$(err_file vec.ferry)" ] || fail "no error message on stderr"
    expect_missing build/vec.o
}

localhost_runs_here() {
    # "localhost" in the host list means: compile here (distcc grammar, §2).
    setup
    local_ref vec build/vec.o gcc -Iinclude -c src/vec.c -o build/vec.o
    run_ok vec.ferry env FERRY_HOSTS=localhost FERRY_LOG="$CLIENT_LOG" "$FERRY" gcc -Iinclude -c src/vec.c -o build/vec.o
    compare_outputs exact build/vec.o
    [ ! -s "$(err_file vec.ferry)" ] || fail "a planned local compile printed: $(cat "$(err_file vec.ferry)")"
    expect_ferry_job "(gcc command, not analysed)" "local: localhost chosen from .*FERRY_HOSTS.*"
}

localhost_loads_no_plugin() {
    # With only this machine in the list no plugin is needed (docs/hosts.md, "Choosing a host"):
    # a ferry whose plugin directory is empty compiles silently with FERRY_HOSTS=localhost/2,
    # and with a remote host it has to say it found no plugin.
    setup
    mkdir -p "$TEST_DIR/prefix/bin" "$TEST_DIR/prefix/lib/ferry/plugins"
    cp "$FERRY" "$TEST_DIR/prefix/bin/ferry" || fail "cp ferry"
    local bare=$TEST_DIR/prefix/bin/ferry
    local_ref stats build/stats.o gcc -Iinclude -c src/stats.c -o build/stats.o
    run_ok stats.local env FERRY_HOSTS=localhost/2 FERRY_LOG="$CLIENT_LOG" "$bare" gcc -Iinclude -c src/stats.c -o build/stats.o
    compare_outputs exact build/stats.o
    [ ! -s "$(err_file stats.local)" ] || fail "localhost only, yet ferry said: $(cat "$(err_file stats.local)")"
    rm -f build/stats.o
    run_ok stats.remote env FERRY_HOSTS="$DEAD_HOSTS" FERRY_LOG="$CLIENT_LOG" "$bare" gcc -Iinclude -c src/stats.c -o build/stats.o
    compare_outputs exact build/stats.o
    grep -qi "plugin" "$(err_file stats.remote)" ||
        fail "with a remote host a ferry without plugins should say so, it said: $(cat "$(err_file stats.remote)")"
}

not_a_compile() {
    # A link is never distributed, whatever the hosts.
    setup
    printf 'int main(void) { return 0; }\n' > main.c
    run_ok obj gcc -c main.c -o build/main.o
    run_ok link "${FERRY_ENV[@]}" "$FERRY" gcc build/main.o -o build/prog
    [ -x build/prog ] || fail "no program linked"
    run_ok prog build/prog
    [ ! -s "$(err_file link)" ] || fail "a link printed: $(cat "$(err_file link)")"
    local line
    line=$(ferry_job_lines | tail -n 1)
    [[ $line == *" job build/main.o -> local: not-compile"* ]] || fail "expected a 'job build/main.o -> local: not-compile' line, got: $line"
}

TEST "dead host: local fallback with one notice line" falls_back_with_notice
TEST "dead host, FERRY_QUIET=1: silent fallback" quiet_fallback
TEST "dead host, FERRY_FALLBACK=0: distcc exit code, no object" no_fallback
TEST "FERRY_HOSTS=localhost compiles here" localhost_runs_here
TEST "FERRY_HOSTS=localhost loads no plugin" localhost_loads_no_plugin
TEST "a link runs locally" not_a_compile
e2e_finish
