#!/usr/bin/env bash
# The whole test suite (unit + e2e) under AddressSanitizer + UndefinedBehaviorSanitizer, as CI runs
# it after the normal run: gcc with -DFERRY_SANITIZE=address,undefined in build-asan/ (ferry,
# ferryd, the plugins they dlopen and the tests are all instrumented), then the full ctest.
# Extra arguments go to ctest. --build-only (first argument) builds build-asan/ and stops.
#
# Skipped here (FERRY_ASAN_SKIP, a ctest -E regex; empty: nothing): bench.smoke, the benchmark's
# smoke run. It builds lua through distcc and ferry, which e2e.make and e2e.realbuild already do
# here, and needs a workload fetched from the network (bench/fetch-workloads.sh).
#
# Every sanitiser report fails the run, even one a test cannot see: a ferryd that dies under
# ASan makes its clients fall back to a local compile, and the test would pass. So reports go
# to files (log_path) instead of the programs' stderr (which the e2e suites compare), and any
# file there afterwards is a failure, printed in full.
#   FERRY_ASAN_DIR   build dir (default build-asan)
#   FERRY_ASAN_SKIP  tests not run here (default '^bench\.smoke$')
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

build_only=0
if [ "${1:-}" = --build-only ]; then
    build_only=1
    shift
fi
build_dir=${FERRY_ASAN_DIR:-build-asan}
skip=${FERRY_ASAN_SKIP-'^bench\.smoke$'}
started=$SECONDS
FERRY_BUILD_DIR=$build_dir FERRY_CMAKE_ARGS="-DFERRY_SANITIZE=address,undefined" ./scripts/build.sh

reports=$root/$build_dir/sanitizer-reports
rm -rf "$reports"
mkdir -p "$reports"
# A ferryd started as root (as CI runs the suite) serves as an unprivileged user, and so do its
# jobs: they must be able to write their reports here too, or a report would be lost.
chmod 1777 "$reports"
built=$SECONDS
echo "test-sanitizers: build took $((built - started)) s"
if [ "$build_only" = 1 ]; then
    exit 0
fi

# halt_on_error: the first report ends the program with a failure (the code is also built with
# -fno-sanitize-recover=all). detect_leaks: LeakSanitizer at exit, with the suppressions in
# scripts/lsan.supp. The compilers the tests run (gcc, cc1, clang) are not instrumented, so the
# options reach them but do nothing.
export ASAN_OPTIONS="halt_on_error=1:detect_leaks=1:strict_init_order=1:check_initialization_order=1:detect_stack_use_after_return=1:log_path=$reports/asan"
export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1:log_path=$reports/ubsan"
export LSAN_OPTIONS="suppressions=$root/scripts/lsan.supp:print_suppressions=0"
export E2E_REQUIRE_PEERS=1
# shellcheck source=scripts/python-first.sh
. scripts/python-first.sh
python_first "$root/$build_dir/python"

rc=0
# A longer default timeout than the normal run: instrumented code runs ~2-3x slower.
ctest --test-dir "$build_dir" --output-on-failure -j2 --timeout 300 ${skip:+-E "$skip"} "$@" || rc=$?
echo "test-sanitizers: tests took $((SECONDS - built)) s"

shopt -s nullglob
found=("$reports"/*)
if [ ${#found[@]} -gt 0 ]; then
    echo "test-sanitizers: ${#found[@]} sanitizer report(s):" >&2
    for f in "${found[@]}"; do
        echo "--- $f" >&2
        cat "$f" >&2
    done
    rc=1
fi
if [ "$rc" = 0 ]; then
    echo "test-sanitizers: all tests pass under ASan+UBSan, no sanitizer reports"
fi
exit $rc
