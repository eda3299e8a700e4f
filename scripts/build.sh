#!/usr/bin/env bash
# Configures (CMake + Ninja) and builds ferry; shared by demo.sh and test.sh.
#   scripts/build.sh [TARGET...]      # no target: everything, tests included
# The build dir is build/ (FERRY_BUILD_DIR overrides), the build type RelWithDebInfo
# (FERRY_BUILD_TYPE overrides). FERRY_CMAKE_ARGS adds cache options (e.g. -DFERRY_SANITIZE=address,undefined).
set -euo pipefail
cd "$(dirname "$0")/.."

build_dir=${FERRY_BUILD_DIR:-build}
build_type=${FERRY_BUILD_TYPE:-RelWithDebInfo}

if [ -f "$build_dir/CMakeCache.txt" ] && ! grep -q '^CMAKE_GENERATOR:INTERNAL=Ninja$' "$build_dir/CMakeCache.txt"; then
    echo "build.sh: $build_dir was configured with another generator; remove it or set FERRY_BUILD_DIR" >&2
    exit 1
fi
cmake -S . -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE="$build_type" -DFERRY_BUILD_TESTS=ON ${FERRY_CMAKE_ARGS:-} > /dev/null

targets=()
for t in "$@"; do
    targets+=(--target "$t")
done
cmake --build "$build_dir" -j "$(nproc)" "${targets[@]}"
