#!/usr/bin/env bash
# CI fuzz smoke test: builds the libFuzzer targets with clang-14 (ASan + UBSan) in build-fuzz/
# and runs each one for a bounded time on a scratch copy of the seed corpus (fuzz/corpus/).
# Fails if a fuzzer finds a crash, a sanitiser report, a leak, a timeout or an out-of-memory;
# the input that did it is kept in build-fuzz/artifacts/ (reproduce: build-fuzz/bin/fuzz_NAME
# FILE). Longer campaigns: docs/fuzzing.md.
# --build-only builds the fuzzers and stops.
#   FUZZ_SECONDS    time per fuzzer (default 30)
#   FERRY_FUZZ_DIR  build dir (default build-fuzz)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

seconds=${FUZZ_SECONDS:-30}
build_dir=${FERRY_FUZZ_DIR:-build-fuzz}

# Tests and plugins are not needed here: only the two fuzzers and the core libraries under them.
cmake -S . -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DCMAKE_C_COMPILER=clang-14 -DCMAKE_CXX_COMPILER=clang++-14 \
    -DFERRY_FUZZ=ON -DFERRY_BUILD_TESTS=OFF > /dev/null
started=$SECONDS
cmake --build "$build_dir" -j "$(nproc)" --target fuzz_request fuzz_response
echo "fuzz-smoke: build took $((SECONDS - started)) s"
if [ "${1:-}" = --build-only ]; then
    exit 0
fi

artifacts=$root/$build_dir/artifacts
mkdir -p "$artifacts"
status=0
for name in request response; do
    # The fuzzer adds what it finds to its first corpus dir: a scratch copy keeps fuzz/corpus/
    # as committed.
    work=$(mktemp -d "${TMPDIR:-/tmp}/ferry-fuzz-$name.XXXXXX")
    cp fuzz/corpus/$name/* "$work/"
    echo "fuzz-smoke: fuzz_$name for ${seconds}s on $(ls "$work" | wc -l) seeds"
    # -timeout: one input may take at most 10 s; -rss_limit_mb bounds memory (the decoders
    # must never allocate what a peer merely announces); -error_exitcode makes any finding a
    # failure. halt_on_error/detect_leaks are libFuzzer's defaults under ASan, set for clarity.
    if ! ASAN_OPTIONS=halt_on_error=1:detect_leaks=1 \
        UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
        "$build_dir/bin/fuzz_$name" -max_total_time="$seconds" -timeout=10 \
        -rss_limit_mb=2048 -error_exitcode=77 -print_final_stats=1 \
        -dict=fuzz/distcc.dict -artifact_prefix="$artifacts/$name-" \
        "$work" > "$artifacts/$name.log" 2>&1; then
        echo "fuzz-smoke: fuzz_$name FAILED; last lines of $artifacts/$name.log:" >&2
        tail -n 40 "$artifacts/$name.log" >&2
        status=1
    else
        grep -E '^stat::number_of_executed_units|^#[0-9]+[[:space:]]+DONE' "$artifacts/$name.log" || true
    fi
    rm -rf "$work"
done
exit $status
