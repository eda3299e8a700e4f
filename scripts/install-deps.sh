#!/usr/bin/env bash
# Installs the Debian packages ferry needs to build, test and demo.
# Only missing packages are installed; apt-get update runs only when needed.
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config git
  llvm-14-dev clang-14 clang
  nlohmann-json3-dev libtomlplusplus-dev libgtest-dev liblzo2-dev
  distcc            # the real distcc/distccd, used as interoperability peers
  binutils elfutils # objcopy/readelf to compare objects with debug info
  python3 make procps iproute2
  libclang-rt-14-dev  # libFuzzer + clang's sanitiser runtimes (scripts/fuzz-smoke.sh)
  gnuplot-nox       # the benchmark's plots (bench/report.py, run by the bench.smoke test)
  tcc               # the compiler of the out-of-tree example plugin (examples/plugin-tcc)
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  SUDO="sudo"
fi
echo "install-deps: installing ${missing[*]}" >&2
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
