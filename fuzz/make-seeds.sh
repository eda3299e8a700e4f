#!/usr/bin/env bash
# Regenerates the seed corpus from the real distcc 3.4 captures in
# tests/data/distcc-captures/: one seed file per captured message (each
# capture holds exactly one request or one response), named after the
# capture. Seeds the fuzzers add during a campaign can be merged in with
# -merge=1 (docs/fuzzing.md); this script only (re)writes the capture-*
# files.
set -euo pipefail
cd "$(dirname "$0")"
captures=../tests/data/distcc-captures
mkdir -p corpus/request corpus/response
for f in "$captures"/*.req "$captures"/*.resp; do
    name=$(basename "$f")
    case $name in
    *.req) dir=corpus/request ;;
    *.resp) dir=corpus/response ;;
    esac
    # v1-not-whitelisted.resp is empty (distccd hung up): libFuzzer always
    # tries the empty input, it needs no seed.
    [ -s "$f" ] || continue
    cp "$f" "$dir/capture-${name%.*}"
done
ls corpus/request corpus/response
