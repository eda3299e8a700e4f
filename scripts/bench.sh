#!/usr/bin/env bash
# The benchmark, end to end, from the repo root on a Debian machine (as root or with sudo):
#   ./scripts/bench.sh              # full run (~20 min on 2 CPUs): writes docs/performance.md,
#                                   # docs/performance/*.svg and bench/results/latest.json
#   ./scripts/bench.sh --smoke      # lua only, one repetition; results under build/bench/smoke/
#   ./scripts/bench.sh --reps 5 --workloads lua,ninja    # other arguments go to bench/run.py
# It installs what it needs (scripts/install-deps.sh plus the workloads' build tools), builds
# ferry, fetches the workloads from Debian source packages into build/bench/ (bench/fetch-workloads.sh),
# runs bench/run.py and turns its JSON into the page and plots with bench/report.py (gnuplot).
set -euo pipefail
cd "$(dirname "$0")/.."

smoke=0
for a in "$@"; do [ "$a" = --smoke ] && smoke=1; done

./scripts/install-deps.sh
# Build tools of the workloads (jq needs autotools), the plots, and callgrind for instruction counts.
bench_packages=(autoconf automake libtool gnuplot-nox valgrind python3)
missing=()
for p in "${bench_packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2> /dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
    SUDO=""
    [ "$(id -u)" -eq 0 ] || SUDO=sudo
    echo "bench: installing ${missing[*]}" >&2
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
fi

./scripts/build.sh
build_dir=${FERRY_BUILD_DIR:-build}
cache=$build_dir/bench
# Debian's python3, whatever python3 comes first on PATH: the harness uses only its standard library.
py=/usr/bin/python3
[ -x "$py" ] || py=python3

if [ "$smoke" = 1 ]; then
    ./bench/fetch-workloads.sh "$cache" lua
    mkdir -p "$cache/smoke"
    "$py" bench/run.py --ferry-bin "$build_dir/bin" --cache "$cache" --out "$cache/smoke/results.json" "$@"
    "$py" bench/report.py "$cache/smoke/results.json" --out-dir "$cache/smoke"
    exit 0
fi

./bench/fetch-workloads.sh "$cache"
mkdir -p bench/results
"$py" bench/run.py --ferry-bin "$build_dir/bin" --cache "$cache" --out bench/results/latest.json "$@" 2>&1 |
    tee bench/results/latest.raw
"$py" bench/report.py bench/results/latest.json --out-dir docs --json-link ../bench/results/latest.json
