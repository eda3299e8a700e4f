#!/usr/bin/env bash
# The clang plugin with the real clang 14: ferry -> ferryd must give what a local clang gives.
#   clang.sh BIN_DIR
# Default strategy (plain -E): objects byte-identical without -g; with -g identical without debug
# sections and with the same DWARF names and DW_AT_comp_dir (the plugin sends
# -fdebug-compilation-dir). .d files byte for byte, including clang's own -Wp,-MD rule.
# rewrite-includes: macros expand on the volunteer, so a warning's "expanded from macro" note is
# the local one; the object differs only in the ELF file symbol (the volunteer's input name).
# Options the plugin keeps local (-Xclang, -fmodules) run here, with their reason logged.

# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
e2e_init "$@"
require_cmd clang-14
require_cmd clang++-14
start_ferryd
SERVER_PORT=$FERRYD_PORT SERVER_LOG=$FERRYD_LOG PROTO=2

setup() {
    cd "$1" && mkdir -p build/io build/deps || fail "mkdir"
    use_client ferry "$(hostspec "$SERVER_PORT" "$PROTO")" "${@:2}"
}

c_objects() {
    local mode=$1
    shift
    setup c
    remote_compile vec src/vec.c build/vec.o "$mode" \
        clang-14 "$@" -Iinclude -DVEC_DIM=4 -c src/vec.c -o build/vec.o
    remote_compile stats src/stats.c build/stats.o "$mode" \
        clang-14 "$@" -Iinclude -DSCALE=3 -Wall -c src/stats.c -o build/stats.o
    remote_compile report src/io/report.c report.o "$mode" \
        clang-14 "$@" -I include -c src/io/report.c
}

cxx_objects() {
    local mode=$1
    shift
    setup cxx
    remote_compile shapes src/shapes.cpp build/shapes.o "$mode" \
        clang++-14 "$@" -std=c++17 -Iinclude -c src/shapes.cpp -o build/shapes.o
    remote_compile matrix src/matrix.cpp build/matrix.o "$mode" \
        clang++-14 "$@" -Iinclude -c src/matrix.cpp -o build/matrix.o
}

depfiles() {
    setup c
    remote_compile vec src/vec.c "build/vec.o build/vec.d" exact \
        clang-14 -Iinclude -MD -c src/vec.c -o build/vec.o
    remote_compile stats src/stats.c "build/stats.o build/deps/stats.dep" exact \
        clang-14 -Iinclude -MMD -MP -MF build/deps/stats.dep -MT stats-target.o -c src/stats.c -o build/stats.o
    # shellcheck disable=SC2016 # a literal make variable, as written in a Makefile
    remote_compile report src/io/report.c "build/io/report.o build/io/report.d" exact \
        clang-14 -Iinclude -MD -MQ '$(OBJ)/report.o' -c src/io/report.c -o build/io/report.o
    remote_compile report-no-o src/io/report.c "report.o report.d" exact \
        clang-14 -Iinclude -MD -c src/io/report.c
    # clang's driver reads -Wp,-MD,FILE as -MD -MF FILE: the target is the -o value.
    remote_compile vec-wp src/vec.c "build/vec.o build/.vec.o.d" exact \
        clang-14 -Iinclude -Wp,-MD,build/.vec.o.d -c src/vec.c -o build/vec.o
}

target_and_colour() {
    setup errors
    remote_compile warn warn.c warn.o exact \
        clang-14 --target=x86_64-linux-gnu -target x86_64-linux-gnu -fcolor-diagnostics -fno-caret-diagnostics -Wall -c warn.c -o warn.o
    # The remote's coloured warning (source excerpts off: the volunteer has no source) comes back exactly as a local compile prints it.
    expect_same_file "stderr" "$(err_file warn.local)" "$(err_file warn.ferry)"
    grep -q $'\e\[' "$(err_file warn.ferry)" || fail "no colour in the warning: $(cat "$(err_file warn.ferry)")"
}

# strip_file_symbol OBJ NAME OUT: OBJ without its STT_FILE symbol NAME.
strip_file_symbol() { objcopy --strip-symbol="$2" "$1" "$3" || fail "objcopy --strip-symbol=$2 $1"; }

rewrite_includes() {
    setup clang FERRY_STRATEGY=rewrite-includes
    local_ref shift build/shift.o clang-14 -fno-caret-diagnostics -Wall -c src/shift.c -o build/shift.o
    local before_ok
    before_ok=$(count_lines "$SERVER_LOG" COMPILE_OK)
    run_ok shift.ferry "${CLIENT[@]}" clang-14 -fno-caret-diagnostics -Wall -c src/shift.c -o build/shift.o
    expect_ferry_job src/shift.c "127\.0\.0\.1:$SERVER_PORT \(protocol $PROTO\): ok"
    wait_daemon_ok "$SERVER_LOG" "$before_ok"
    grep -q "expanded from macro 'SHIFT'" "$(err_file shift.local)" || fail "the local compile gave no macro note"
    expect_same_file "stderr" "$(err_file shift.local)" "$(err_file shift.ferry)"
    # Identical but for the ELF file symbol: "shift.c" here, the job's input file there.
    strip_file_symbol "$TEST_DIR/ref/build/shift.o" shift.c "$TEST_DIR/local.o"
    strip_file_symbol build/shift.o input.i "$TEST_DIR/remote.o"
    expect_same_object "$TEST_DIR/local.o" "$TEST_DIR/remote.o"
}

kept_local() {
    setup c
    local_ref vec build/vec.o clang-14 -Iinclude -Xclang -fno-pch-timestamp -c src/vec.c -o build/vec.o
    run_ok vec.ferry "${CLIENT[@]}" clang-14 -Iinclude -Xclang -fno-pch-timestamp -c src/vec.c -o build/vec.o
    # A plan that stays local names its input too (gcc-family's local plans).
    expect_ferry_job src/vec.c "local: unsupported \(-Xclang -fno-pch-timestamp: .*\)"
    compare_outputs exact build/vec.o
    run_ok mod.ferry "${CLIENT[@]}" clang-14 -Iinclude -fmodules -fmodules-cache-path="$TEST_DIR/mc" -c src/vec.c -o build/vec.o
    expect_ferry_job src/vec.c "local: unsupported \(-fmodules: .*module cache.*\)"
}

TEST "clang: C, -O2" c_objects exact -O2
TEST "clang: C, -g" c_objects debug -g
TEST "clang++: C++, -O2 -g" cxx_objects debug -O2 -g
TEST "clang++: C++, -O2" cxx_objects exact -O2
TEST "clang: dependency files" depfiles
TEST "clang: --target, -target and -fcolor-diagnostics" target_and_colour
TEST "clang: rewrite-includes keeps macro notes" rewrite_includes
TEST "clang: -Xclang and -fmodules stay local" kept_local
e2e_finish
