#!/usr/bin/env bash
# The example out-of-tree plugin (examples/plugin-tcc, for Debian's tcc), built the way a plugin
# author would: against an INSTALLED ferry (cmake --install of this build into a private prefix),
# configured in its own build directory outside ferry's tree, then run through the conformance
# kit (tests/plugin-kit/kit.sh) with the installed ferry and ferryd.
#   outoftree.sh BIN_DIR

# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
e2e_init "$@"
require_cmd tcc cmake ninja pkg-config
BUILD_DIR=$(dirname "$BIN_DIR")
PREFIX=$WORK/prefix
EXAMPLE=$REPO_ROOT/examples/plugin-tcc

install_ferry() {
    run_ok install cmake --install "$BUILD_DIR" --prefix "$PREFIX"
    expect_exists "$PREFIX/include/ferry/plugin.h"
    expect_exists "$PREFIX/lib/cmake/Ferry/FerryConfig.cmake"
    expect_exists "$PREFIX/bin/ferry"
}

build_with_cmake() {
    install_ferry
    run_ok configure cmake -S "$EXAMPLE" -B "$WORK/tcc-build" -G Ninja -DCMAKE_PREFIX_PATH="$PREFIX"
    run_ok build cmake --build "$WORK/tcc-build"
    expect_exists "$WORK/tcc-build/plugins/tcc.so"
    expect_exists "$WORK/tcc-build/plugins/tcc.plugin"
    # Built from the installed header, never from ferry's source tree.
    grep -q -- "-I$PREFIX/include" "$WORK/tcc-build/build.ninja" ||
        grep -q -- "-isystem $PREFIX/include" "$WORK/tcc-build/build.ninja" ||
        fail "the example was not compiled against $PREFIX/include"
    if grep -q -- "$REPO_ROOT/core" "$WORK/tcc-build/build.ninja"; then
        fail "the example's build refers to ferry's source tree"
    fi
    # One exported symbol.
    nm -D --defined-only "$WORK/tcc-build/plugins/tcc.so" | awk '$2 ~ /[TDRB]/ {print $3}' > "$TEST_DIR/logs/syms"
    [ "$(cat "$TEST_DIR/logs/syms")" = ferry_plugin_entry ] || fail "exports: $(tr '\n' ' ' < "$TEST_DIR/logs/syms")"
}

build_with_pkg_config() {
    install_ferry
    local cflags
    cflags=$(PKG_CONFIG_PATH=$PREFIX/lib/pkgconfig pkg-config --cflags ferry-plugin) ||
        fail "pkg-config does not know ferry-plugin"
    cflags=${cflags%% } # pkg-config ends the line with a space
    [ "$cflags" = "-I$PREFIX/lib/pkgconfig/../../include" ] || [ "$cflags" = "-I$PREFIX/include" ] ||
        fail "pkg-config --cflags ferry-plugin: $cflags"
    # shellcheck disable=SC2086 # cflags is a word list
    run_ok cc-build gcc -std=c11 -shared -fPIC -fvisibility=hidden $cflags "$EXAMPLE/tcc_plugin.c" -o tcc.so
    expect_exists tcc.so
}

kit_on_installed_ferry() {
    [ -f "$WORK/tcc-build/plugins/tcc.so" ] || fail "the cmake build did not run first"
    run_ok kit bash "$REPO_ROOT/tests/plugin-kit/kit.sh" --bin "$PREFIX/bin" \
        --plugin-dir "$WORK/tcc-build/plugins" "$EXAMPLE/tcc.cases"
    grep -q ' 0 failed, 0 skipped' "$TEST_DIR/logs/kit.out" || fail "kit: $(tail -n 3 "$TEST_DIR/logs/kit.out")"
    tail -n 1 "$TEST_DIR/logs/kit.out"
}

probe_finds_tcc_behind_a_wrapper() {
    # An ambiguous wrapper name: the probe runs it, sees __TINYC__ (the manifest's identify line).
    mkdir -p wrap
    printf '#!/bin/sh\nexec tcc "$@"\n' > wrap/site-cc
    chmod +x wrap/site-cc
    run_ok plan env PATH="$PWD/wrap:$PATH" FERRY_PLUGIN_PATH="$WORK/tcc-build/plugins" \
        "$PREFIX/bin/ferry" --plan site-cc -c x.c
    grep -q '^plugin: tcc ' "$TEST_DIR/logs/plan.out" || fail "site-cc: $(head -n 1 "$TEST_DIR/logs/plan.out")"
}

# examples/plugin-sdk: a C++ plugin on the installed plugin SDK (Ferry::plugin_sdk).
sdk_plugin_with_cmake() {
    [ -f "$PREFIX/lib/cmake/Ferry/FerryConfig.cmake" ] || fail "the cmake build did not run first"
    expect_exists "$PREFIX/include/ferry/plugin.hpp"
    expect_exists "$PREFIX/include/ferry/sdk/abi.h"
    expect_exists "$PREFIX/lib/libferry_plugin_sdk.a"
    run_ok sdk-configure cmake -S "$REPO_ROOT/examples/plugin-sdk" -B "$WORK/sdk-build" -G Ninja \
        -DCMAKE_PREFIX_PATH="$PREFIX"
    run_ok sdk-build cmake --build "$WORK/sdk-build"
    grep -q -- "$PREFIX/lib/libferry_plugin_sdk.a" "$WORK/sdk-build/build.ninja" ||
        fail "the SDK example was not linked with the installed libferry_plugin_sdk.a"
    if grep -q -- "$REPO_ROOT/\(core\|plugins\)" "$WORK/sdk-build/build.ninja"; then
        fail "the SDK example's build refers to ferry's source tree"
    fi
    nm -D --defined-only "$WORK/sdk-build/plugins/democc.so" | awk '$2 ~ /[TDRBVWu]/ {print $3}' > "$TEST_DIR/logs/sdk-syms"
    [ "$(cat "$TEST_DIR/logs/sdk-syms")" = ferry_plugin_entry ] || fail "exports: $(tr '\n' ' ' < "$TEST_DIR/logs/sdk-syms")"
    # Planned through the SDK's shell and marshalling, read back by the installed ferry.
    run_ok sdk-plan env FERRY_PLUGIN_PATH="$WORK/sdk-build/plugins" "$PREFIX/bin/ferry" --plan democc -Iinc -O2 -c src/a.c -o out/a.o
    grep -q '^plugin: democc ' "$TEST_DIR/logs/sdk-plan.out" || fail "plan: $(head -n 1 "$TEST_DIR/logs/sdk-plan.out")"
    grep -q '^verdict: distribute$' "$TEST_DIR/logs/sdk-plan.out" || fail "plan: $(cat "$TEST_DIR/logs/sdk-plan.out")"
    grep -q '^remote: democc -O2 -c src/a.i -o out/a.o$' "$TEST_DIR/logs/sdk-plan.out" ||
        fail "remote: $(grep '^remote:' "$TEST_DIR/logs/sdk-plan.out")"
    run_ok sdk-local env FERRY_PLUGIN_PATH="$WORK/sdk-build/plugins" "$PREFIX/bin/ferry" --plan democc -g -c a.c
    grep -q '^reason: unsupported (-g: not distributed by democc)$' "$TEST_DIR/logs/sdk-local.out" ||
        fail "local: $(cat "$TEST_DIR/logs/sdk-local.out")"
}

sdk_plugin_with_pkg_config() {
    [ -f "$PREFIX/lib/pkgconfig/ferry-plugin-sdk.pc" ] || fail "ferry-plugin-sdk.pc is not installed"
    local flags
    flags=$(PKG_CONFIG_PATH=$PREFIX/lib/pkgconfig pkg-config --cflags --libs ferry-plugin-sdk) ||
        fail "pkg-config does not know ferry-plugin-sdk"
    # shellcheck disable=SC2086 # flags is a word list
    run_ok sdk-cc-build g++ -std=c++20 -shared -fPIC -fvisibility=hidden "$REPO_ROOT/examples/plugin-sdk/democc_plugin.cpp" \
        $flags -Wl,--no-undefined -Wl,--version-script="$REPO_ROOT/examples/plugin-sdk/democc.map" -o democc.so
    expect_exists democc.so
}

TEST "cmake --install, then build examples/plugin-tcc with find_package(Ferry)" build_with_cmake
TEST "the same plugin built with pkg-config ferry-plugin" build_with_pkg_config
TEST "the conformance kit passes on the out-of-tree plugin" kit_on_installed_ferry
TEST "the compiler probe recognises tcc behind a wrapper" probe_finds_tcc_behind_a_wrapper
TEST "a C++ plugin on the installed SDK (examples/plugin-sdk) with find_package(Ferry)" sdk_plugin_with_cmake
TEST "the same SDK plugin built with pkg-config ferry-plugin-sdk" sdk_plugin_with_pkg_config
e2e_finish
