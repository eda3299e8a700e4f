#!/usr/bin/env bash
# The benchmark's CI smoke run (ctest: bench.smoke): one small workload (lua), one repetition,
# every section of bench/run.py with a few rounds, then the page and plots from its JSON — so the
# harness cannot rot. Object checks are as strict as in the full run.
#   bench/smoke.sh BUILD_BIN_DIR CACHE_DIR
# The lua source must already be in CACHE_DIR (scripts/test.sh fetches it with
# bench/fetch-workloads.sh; tests themselves use no network). Without it the test is skipped
# (exit 125), unless FERRY_BENCH_REQUIRE=1 (set by scripts/test.sh) makes that a failure.
set -uo pipefail
[ $# -eq 2 ] || { echo "usage: $0 BUILD_BIN_DIR CACHE_DIR" >&2; exit 2; }
bin=$1 cache=$2
here=$(cd "$(dirname "$0")" && pwd)
py=/usr/bin/python3
[ -x "$py" ] || py=python3

missing() {
    if [ "${FERRY_BENCH_REQUIRE:-0}" = 1 ]; then
        echo "FAIL: $* (FERRY_BENCH_REQUIRE=1)" >&2
        exit 1
    fi
    echo "SKIPPED: $*"
    exit 125
}
[ -f "$cache/src/lua.ok" ] || missing "no lua source in $cache (bench/fetch-workloads.sh $cache lua fetches it)"
plots=()
command -v gnuplot > /dev/null || { [ "${FERRY_BENCH_REQUIRE:-0}" = 1 ] && missing "gnuplot is not installed"; plots=(--no-plots); }

out=$(mktemp -d "${TMPDIR:-/tmp}/ferry-bench-smoke.XXXXXX") || exit 2
trap 'rm -rf "$out"' EXIT
"$py" "$here/run.py" --ferry-bin "$bin" --cache "$cache" --smoke --out "$out/results.json" || exit 1
"$py" "$here/report.py" "$out/results.json" --out-dir "$out" "${plots[@]}" || exit 1
for section in "## Targets" "## Per-invocation overhead" "## Wrapper start-up" "## Full builds" \
    "## Daemon throughput" "## Bytes per job"; do
    grep -qF "$section" "$out/performance.md" || { echo "FAIL: the smoke page has no '$section'" >&2; exit 1; }
done
if [ ${#plots[@]} -eq 0 ]; then
    n=$(find "$out/performance" -name '*.svg' | wc -l)
    [ "$n" -eq 5 ] || { echo "FAIL: expected 5 plots, got $n" >&2; exit 1; }
fi
echo "bench smoke: ok"
