#!/usr/bin/env bash
# The whole test suite, as CI runs it: install the dependencies, build everything, run the unit
# tests and the end-to-end suites (real ferryd, gcc, distcc and distccd on 127.0.0.1).
# Then a short run of each fuzzer (scripts/fuzz-smoke.sh, build-fuzz/); FERRY_SANITIZERS=0 skips it.
# Exits non-zero if any test fails. Extra arguments go to ctest (e.g. -R e2e.make, -L e2e).
set -euo pipefail
cd "$(dirname "$0")/.."

./scripts/install-deps.sh
./scripts/build.sh
# The benchmark smoke test (bench.smoke) builds a real project: fetch its source once (cached).
./bench/fetch-workloads.sh "${FERRY_BUILD_DIR:-build}/bench" lua

# install-deps.sh has installed distcc: an e2e suite that finds a peer missing must fail here
# instead of reporting "skipped".
export E2E_REQUIRE_PEERS=1
export FERRY_BENCH_REQUIRE=1
# --timeout bounds any test without its own TIMEOUT (the e2e suites set theirs), so a hung
# test fails instead of stalling CI.
ctest --test-dir "${FERRY_BUILD_DIR:-build}" --output-on-failure -j2 --timeout 120 "$@"

if [ "${FERRY_SANITIZERS:-1}" != 0 ]; then
    ./scripts/fuzz-smoke.sh
fi
