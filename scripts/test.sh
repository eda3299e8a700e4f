#!/usr/bin/env bash
# The whole test suite, as CI runs it (.ci/run). In order:
#   1. install the dependencies and build build/ (the normal, shipped configuration);
#   2. run the whole suite there: unit tests and the end-to-end suites (real ferryd, gcc, clang,
#      distcc and distccd on 127.0.0.1). Meanwhile build-asan/ (ASan + UBSan) and build-fuzz/
#      (libFuzzer) are built in the background at nice 19: the suite spends much of its time
#      waiting on compilers, sockets and timeouts, and at nice 19 the build only takes the CPU
#      the tests leave (measured: the whole run keeps the two cores ~85% busy);
#   3. run the whole suite again under AddressSanitizer + UndefinedBehaviorSanitizer
#      (scripts/test-sanitizers.sh: every sanitiser report is a failure);
#   4. run each fuzzer for a short bounded time (scripts/fuzz-smoke.sh).
# Exits non-zero if any step fails; a failed test pass does not stop the next one, so one CI run
# shows everything (a failed build does). FERRY_SANITIZERS=0 runs steps 1-2 only. Extra arguments go to both ctest runs
# (e.g. -R e2e.make, -L e2e).
set -euo pipefail
cd "$(dirname "$0")/.."
started=$SECONDS

./scripts/install-deps.sh
./scripts/build.sh
# The benchmark smoke test (bench.smoke) builds a real project: fetch its source once (cached).
./bench/fetch-workloads.sh "${FERRY_BUILD_DIR:-build}/bench" lua
echo "test: build took $((SECONDS - started)) s"

sanitizers=${FERRY_SANITIZERS:-1}
background=
if [ "$sanitizers" != 0 ]; then
    background_log=$(mktemp "${TMPDIR:-/tmp}/ferry-sanitizer-build.XXXXXX")
    ( nice -n 19 ./scripts/test-sanitizers.sh --build-only &&
      nice -n 19 ./scripts/fuzz-smoke.sh --build-only ) > "$background_log" 2>&1 &
    background=$!
fi

# shellcheck source=scripts/python-first.sh
. scripts/python-first.sh
python_first "$PWD/${FERRY_BUILD_DIR:-build}/python"

# install-deps.sh has installed distcc: an e2e suite that finds a peer missing must fail here
# instead of reporting "skipped".
export E2E_REQUIRE_PEERS=1
export FERRY_BENCH_REQUIRE=1
rc=0
# --timeout bounds any test without its own TIMEOUT (the e2e suites set theirs), so a hung
# test fails instead of stalling CI.
tests_started=$SECONDS
ctest --test-dir "${FERRY_BUILD_DIR:-build}" --output-on-failure -j2 --timeout 120 "$@" || rc=1
echo "test: the suite took $((SECONDS - tests_started)) s"

if [ -n "$background" ]; then
    if ! wait "$background"; then
        echo "test: building build-asan/ or build-fuzz/ failed:" >&2
        tail -n 60 "$background_log" >&2
        rm -f "$background_log"
        exit 1
    fi
    grep -E '^test-sanitizers: build|^fuzz-smoke: build' "$background_log" || true
    rm -f "$background_log"
    echo "test: sanitiser and fuzzer builds done $((SECONDS - tests_started)) s after the suite started"
    ./scripts/test-sanitizers.sh "$@" || rc=1
    ./scripts/fuzz-smoke.sh || rc=1
fi
echo "test: $((SECONDS - started)) s in all; $([ "$rc" = 0 ] && echo passed || echo FAILED)"
exit $rc
