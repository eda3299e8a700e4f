#!/usr/bin/env bash
# Interoperability: one client, one real daemon, one protocol version.
#   interop.sh BIN_DIR ferry|distcc ferryd|distccd 1|2
# Compiles the C and C++ fixtures through the pair and checks that every job went to the daemon
# (client log + daemon COMPILE_OK) and that the objects are what a local gcc makes: byte-identical
# without -g; with -g and -O2 -g, identical without debug sections and with the same DWARF names
# and DW_AT_comp_dir. (For distcc -> ferryd the preprocessing is distcc's own; the same holds.)

# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
e2e_init "$@"
CLIENT_NAME=${2:?client: ferry or distcc}
SERVER_NAME=${3:?server: ferryd or distccd}
PROTO=${4:?protocol: 1 or 2}

case $CLIENT_NAME in
ferry) ;;
distcc) require_distcc ;;
*) echo "unknown client $CLIENT_NAME" >&2 && exit 2 ;;
esac
case $SERVER_NAME in
ferryd)
    start_ferryd
    SERVER_PORT=$FERRYD_PORT SERVER_LOG=$FERRYD_LOG
    ;;
distccd)
    require_distccd
    start_distccd
    SERVER_PORT=$DISTCCD_PORT SERVER_LOG=$DISTCCD_LOG
    ;;
*) echo "unknown server $SERVER_NAME" >&2 && exit 2 ;;
esac

# compile_c MODE FLAGS...: the C fixtures (headers in include/ subdirectories, -D macros, a
# source in a subdirectory with a quoted include next to it, one job with no -o).
compile_c() {
    local mode=$1
    shift
    cd c && mkdir -p build/io || fail "mkdir"
    use_client "$CLIENT_NAME" "$(hostspec "$SERVER_PORT" "$PROTO")"
    remote_compile vec src/vec.c build/vec.o "$mode" \
        gcc "$@" -Iinclude -DVEC_DIM=4 -c src/vec.c -o build/vec.o
    remote_compile stats src/stats.c build/stats.o "$mode" \
        gcc "$@" -Iinclude -DSCALE=3 -Wall -c src/stats.c -o build/stats.o
    remote_compile report src/io/report.c build/io/report.o "$mode" \
        gcc "$@" -I include -c src/io/report.c -o build/io/report.o
    # No -o: the object lands in the current directory as a local gcc would put it.
    remote_compile vec-no-o src/vec.c vec.o "$mode" \
        gcc "$@" -Iinclude -c src/vec.c
}

# compile_cxx MODE FLAGS...: the C++ fixtures (templates, the standard library, COMDAT groups).
compile_cxx() {
    local mode=$1
    shift
    cd cxx && mkdir -p build || fail "mkdir"
    use_client "$CLIENT_NAME" "$(hostspec "$SERVER_PORT" "$PROTO")"
    remote_compile shapes src/shapes.cpp build/shapes.o "$mode" \
        g++ "$@" -std=c++17 -Iinclude -c src/shapes.cpp -o build/shapes.o
    remote_compile matrix src/matrix.cpp build/matrix.o "$mode" \
        g++ "$@" -Iinclude -c src/matrix.cpp -o build/matrix.o
}

pair="$CLIENT_NAME -> $SERVER_NAME (protocol $PROTO)"
TEST "$pair: C, -O2" compile_c exact -O2
TEST "$pair: C++, -O2" compile_cxx exact -O2
TEST "$pair: C, no optimisation" compile_c exact
TEST "$pair: C, -g" compile_c debug -g
TEST "$pair: C++, -g" compile_cxx debug -g
TEST "$pair: C, -O2 -g" compile_c debug -O2 -g
TEST "$pair: C++, -O2 -g" compile_cxx debug -O2 -g
e2e_finish
