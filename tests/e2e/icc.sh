#!/usr/bin/env bash
# The icc plugin against the stand-in icc (tests/fixtures/icc: gcc underneath, only Intel's
# documented command line on top), on the PATH of both ferry and ferryd.
#   icc.sh BIN_DIR
# -x<CPU> and numbered diagnostics are distributed (objects and .d files byte for byte as a local
# run of the same stand-in); -xHost, -ipo and -prof-gen run here with their reason logged.

# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
e2e_init "$@"
require_cmd gcc
# The daemon resolves "icc" on its own PATH: the stand-in, as a volunteer would have icc.
PATH=$FIXTURES/icc:$PATH
export PATH
start_ferryd
SERVER_PORT=$FERRYD_PORT SERVER_LOG=$FERRYD_LOG PROTO=1

setup() {
    cd "$1" && mkdir -p build/io || fail "mkdir"
    use_client ferry "$(hostspec "$SERVER_PORT" "$PROTO")"
}

cpu_and_diagnostics() {
    setup c
    remote_compile vec src/vec.c "build/vec.o build/vec.d" exact \
        icc -xCORE-AVX2 -diag-disable=10441 -wd1478 -O2 -Iinclude -DVEC_DIM=4 -MD -c src/vec.c -o build/vec.o
    remote_compile stats src/stats.c "build/stats.o build/stats.d" exact \
        icx -xSSE4.2 -diag-enable=remark -Iinclude -MMD -MP -c src/stats.c -o build/stats.o
}

cxx_driver() {
    setup cxx
    remote_compile shapes src/shapes.cpp build/shapes.o exact \
        icpc -xAVX -std=c++17 -Iinclude -c src/shapes.cpp -o build/shapes.o
    remote_compile matrix src/matrix.cpp build/matrix.o debug \
        icpx -g -Iinclude -c src/matrix.cpp -o build/matrix.o
}

# expect_local_job NAME REASON_RE same|exists icc ARGS...: compiled here, with that reason; the
# object is the local one ("exists" where two local runs differ: gcc stamps profiling objects).
expect_local_job() {
    local name=$1 re=$2 check=$3
    shift 3
    local_ref "$name" build/vec.o "$@"
    run_ok "$name.ferry" "${CLIENT[@]}" "$@"
    # A plan that stays local names its input too (gcc-family's local plans).
    expect_ferry_job src/vec.c "local: $re"
    if [ "$check" = same ]; then
        compare_outputs exact build/vec.o
    else
        expect_exists build/vec.o
    fi
}

kept_local() {
    setup c
    expect_local_job xhost 'host-specific \(-xHost: .*\)' same icc -xHost -Iinclude -c src/vec.c -o build/vec.o
    expect_local_job ipo 'unsupported \(-ipo: code generation happens at link time\)' same \
        icc -ipo -Iinclude -c src/vec.c -o build/vec.o
    mkdir -p "$TEST_DIR/prof"
    expect_local_job prof 'profiling \(-prof-gen: .*\)' exists \
        icc -prof-gen -prof-dir "$TEST_DIR/prof" -Iinclude -c src/vec.c -o build/vec.o
}

TEST "icc: -x<CPU>, -diag-*, -wd, dependency files" cpu_and_diagnostics
TEST "icpc/icpx: C++ drivers" cxx_driver
TEST "icc: -xHost, -ipo, -prof-gen stay local" kept_local
e2e_finish
