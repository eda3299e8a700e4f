#!/usr/bin/env bash
# Dependency files: ferry -> ferryd must leave the same .d (name, place, targets, byte for byte)
# as a local gcc run of the same command in the same directory. distcc 3.4 gets plain -MD wrong
# (it writes ./a.d with target a.o: for -o build/a.o; distcc-reference.md §3.3).
#   depfiles.sh BIN_DIR

# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
e2e_init "$@"
start_ferryd
SERVER_PORT=$FERRYD_PORT SERVER_LOG=$FERRYD_LOG PROTO=1

setup() {
    cd "$1" && mkdir -p build/io build/deps || fail "mkdir"
    use_client ferry "$(hostspec "$SERVER_PORT" "$PROTO")"
}

md_with_o() {
    setup c
    remote_compile vec src/vec.c "build/vec.o build/vec.d" exact \
        gcc -Iinclude -MD -c src/vec.c -o build/vec.o
}

mmd_mp_mf_mt() {
    setup c
    remote_compile stats src/stats.c "build/stats.o build/deps/stats.dep" exact \
        gcc -Iinclude -MMD -MP -MF build/deps/stats.dep -MT stats-target.o -c src/stats.c -o build/stats.o
}

mmd_two_targets() {
    setup c
    remote_compile report src/io/report.c "build/io/report.o build/deps/report.d" exact \
        gcc -Iinclude -MMD -MT first.o -MT 'second dir/x.o' -MFbuild/deps/report.d -c src/io/report.c -o build/io/report.o
}

md_mq() {
    setup c
    # shellcheck disable=SC2016 # a literal make variable, as written in a Makefile
    remote_compile report src/io/report.c "build/io/report.o build/io/report.d" exact \
        gcc -Iinclude -MD -MQ '$(OBJ)/report.o' -c src/io/report.c -o build/io/report.o
}

wp_md() {
    # Linux kernel style: the option reaches cpp through -Wp.
    setup c
    remote_compile vec src/vec.c "build/vec.o build/.vec.o.d" exact \
        gcc -Iinclude -Wp,-MD,build/.vec.o.d -c src/vec.c -o build/vec.o
}

wp_mmd() {
    setup c
    remote_compile stats src/stats.c "build/stats.o build/.stats.o.d" exact \
        gcc -Iinclude -Wp,-MMD,build/.stats.o.d -c src/stats.c -o build/stats.o
}

md_no_o() {
    # No -o: gcc names both the object and the .d after the input's basename, in the cwd.
    setup c
    remote_compile report src/io/report.c "report.o report.d" exact \
        gcc -Iinclude -MD -c src/io/report.c
}

md_with_g() {
    setup c
    remote_compile vec src/vec.c "build/vec.o build/vec.d" debug \
        gcc -g -O2 -Iinclude -MD -MP -c src/vec.c -o build/vec.o
}

cxx_md_mp() {
    setup cxx
    remote_compile shapes src/shapes.cpp "build/shapes.o build/shapes.d" exact \
        g++ -std=c++17 -Iinclude -MD -MP -c src/shapes.cpp -o build/shapes.o
}

TEST "-MD -o build/a.o writes build/a.d" md_with_o
TEST "-MMD -MP -MF -MT" mmd_mp_mf_mt
TEST "-MMD with two -MT, joined -MF" mmd_two_targets
TEST "-MD -MQ (make quoting)" md_mq
TEST "-Wp,-MD,build/.a.o.d" wp_md
TEST "-Wp,-MMD,build/.a.o.d" wp_mmd
TEST "-MD without -o" md_no_o
TEST "-MD -MP with -O2 -g" md_with_g
TEST "C++: -MD -MP" cxx_md_mp
e2e_finish
