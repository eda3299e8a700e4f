#!/usr/bin/env bash
# What reading the configuration layers costs a ferry start (issue #5, point 5).
#   bench/config_cost/run.sh [BIN_DIR] [ROUNDS]     (defaults: build/bin, 400)
#   CONFIG_COST_JSON=FILE writes the results as JSON too (for the bench runner).
# Not a test: it measures and prints; nothing is asserted. See measure.py for the method.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
bin_dir=$(cd "${1:-$here/../../build/bin}" && pwd)
rounds=${2:-400}
exec python3 "$here/measure.py" "$bin_dir/ferry" "$here/../../config/policy.toml" "$rounds"
