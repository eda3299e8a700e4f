#!/usr/bin/env bash
# Entry modes other than "ferry gcc ...": a launcher with an absolute compiler path, the
# implicit compiler (ferry -c x.c), and above all masquerade: symlinks named like compilers
# (gcc -> ferry) first on PATH, the way distcc's /usr/lib/distcc and mold's "ld -> mold" inject a
# tool into unmodified builds. ferry must trim PATH past its own directory so it finds the real
# compiler, and never call itself in a loop.
#   masquerade.sh BIN_DIR

# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
e2e_init "$@"
start_ferryd
SERVER_PORT=$FERRYD_PORT SERVER_LOG=$FERRYD_LOG PROTO=1

MASQ=$WORK/masq
MASQ2=$WORK/masq2
mkdir -p "$MASQ" "$MASQ2"
for c in gcc g++ cc c++; do
    ln -s "$FERRY" "$MASQ/$c"
    ln -s "$FERRY" "$MASQ2/$c"
done

# use_masquerade PATH_PREFIX: CLIENT runs the compiler by name with PATH_PREFIX first on PATH.
use_masquerade() {
    CLIENT_KIND=ferry
    CLIENT_LOG=$TEST_DIR/logs/ferry.log
    touch "$CLIENT_LOG"
    CLIENT=(env PATH="$1:$PATH" FERRY_HOSTS="$(hostspec "$SERVER_PORT" "$PROTO")"
        FERRY_LOG="$CLIENT_LOG" FERRY_FALLBACK=0)
}

c_through_symlinks() {
    cd c && mkdir -p build || fail "mkdir"
    use_masquerade "$MASQ"
    [ "$(env PATH="$MASQ:$PATH" sh -c 'command -v gcc')" = "$MASQ/gcc" ] || fail "the masquerade gcc is not first on PATH"
    remote_compile vec src/vec.c build/vec.o exact gcc -O2 -Iinclude -c src/vec.c -o build/vec.o
    remote_compile stats src/stats.c build/stats.o exact cc -Iinclude -c src/stats.c -o build/stats.o
}

cxx_through_symlinks() {
    cd cxx && mkdir -p build || fail "mkdir"
    use_masquerade "$MASQ"
    remote_compile shapes src/shapes.cpp build/shapes.o exact g++ -O2 -Iinclude -c src/shapes.cpp -o build/shapes.o
    remote_compile matrix src/matrix.cpp build/matrix.o debug c++ -g -Iinclude -c src/matrix.cpp -o build/matrix.o
}

absolute_symlink_path() {
    # Called by its full path with the masquerade dir not on PATH at all.
    cd c && mkdir -p build || fail "mkdir"
    use_masquerade /nonexistent
    local_ref vec build/vec.o gcc -Iinclude -c src/vec.c -o build/vec.o
    local before
    before=$(count_lines "$SERVER_LOG" COMPILE_OK)
    run_ok vec.ferry "${CLIENT[@]}" "$MASQ/gcc" -Iinclude -c src/vec.c -o build/vec.o
    [ "$(ferry_job_lines | wc -l)" = 1 ] || fail "expected one job line: $(ferry_job_lines)"
    expect_ferry_job src/vec.c "127\.0\.0\.1:$SERVER_PORT \(protocol $PROTO\): ok"
    wait_daemon_ok "$SERVER_LOG" "$before"
    compare_outputs exact build/vec.o
}

link_through_symlink() {
    # A link goes through ferry too, runs locally, and gives a working program.
    cd c && mkdir -p build || fail "mkdir"
    use_masquerade "$MASQ"
    printf '#include <stdio.h>\nint main(void) { puts("linked"); return 0; }\n' > main.c
    run_ok main.o "${CLIENT[@]}" gcc -c main.c -o build/main.o
    run_ok link "${CLIENT[@]}" gcc build/main.o -o build/prog
    run_ok prog build/prog
    [ "$(out_of prog)" = linked ] || fail "the program printed '$(out_of prog)'"
    [ "$(ferry_job_lines | wc -l)" = 2 ] || fail "expected 2 job lines (compile, link), got: $(ferry_job_lines)"
    [[ $(ferry_job_lines | tail -n 1) == *" -> local: "* ]] || fail "the link did not run locally: $(ferry_job_lines | tail -n 1)"
}

two_masquerade_dirs() {
    # gcc -> ferry in two directories on PATH (as with two wrappers installed): trimming past the
    # first must not loop; the build still gets gcc's object, in bounded time.
    cd c && mkdir -p build || fail "mkdir"
    use_masquerade "$MASQ:$MASQ2"
    local_ref vec build/vec.o gcc -Iinclude -c src/vec.c -o build/vec.o
    run_ok vec.ferry "${CLIENT[@]}" gcc -Iinclude -c src/vec.c -o build/vec.o
    compare_outputs exact build/vec.o
    local n
    n=$(ferry_job_lines | wc -l)
    [ "$n" -ge 1 ] && [ "$n" -le 3 ] || fail "$n job lines for one compile: $(ferry_job_lines)"
    echo "  job lines: $(ferry_job_lines | sed 's/^ferry\[[0-9]*\] //' | paste -sd ';')"
}

launcher_absolute_compiler() {
    # CMAKE_<LANG>_COMPILER_LAUNCHER=ferry runs "ferry /usr/bin/gcc ...".
    cd c && mkdir -p build || fail "mkdir"
    use_client ferry "$(hostspec "$SERVER_PORT" "$PROTO")"
    local gcc_path
    gcc_path=$(command -v gcc)
    remote_compile vec src/vec.c build/vec.o exact "$gcc_path" -O2 -Iinclude -c src/vec.c -o build/vec.o
}

implicit_compiler() {
    # "ferry -c x.c" means "cc -c x.c", as with distcc.
    cd c && mkdir -p build || fail "mkdir"
    use_client ferry "$(hostspec "$SERVER_PORT" "$PROTO")"
    local_ref vec build/vec.o cc -Iinclude -c src/vec.c -o build/vec.o
    local before
    before=$(count_lines "$SERVER_LOG" COMPILE_OK)
    run_ok vec.ferry "${CLIENT[@]}" -Iinclude -c src/vec.c -o build/vec.o
    expect_ferry_job src/vec.c "127\.0\.0\.1:$SERVER_PORT \(protocol $PROTO\): ok"
    wait_daemon_ok "$SERVER_LOG" "$before"
    compare_outputs exact build/vec.o
}

TEST "launcher: ferry /usr/bin/gcc (absolute compiler path)" launcher_absolute_compiler
TEST "implicit compiler: ferry -c x.c runs cc" implicit_compiler
TEST "gcc and cc symlinks -> ferry: C goes remote, same objects" c_through_symlinks
TEST "g++ and c++ symlinks -> ferry: C++ goes remote" cxx_through_symlinks
TEST "symlink called by absolute path, not on PATH" absolute_symlink_path
TEST "a link through the gcc symlink runs locally" link_through_symlink
TEST "two masquerade dirs on PATH: no recursion" two_masquerade_dirs
e2e_finish
