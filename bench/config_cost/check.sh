#!/usr/bin/env bash
# ctest bench.config_probe: the configuration-cost benchmark's tools still work (they assert
# nothing about speed; this checks they run and report what they claim to measure).
#   bench/config_cost/check.sh BIN_DIR
# - config_lookup_probe in both modes prints one line with sane numbers; in `lookup` mode with a
#   site file, a user file and a project .ferry.toml present it reports having read all three
#   (the project file found by walking up from a subdirectory), in `env-only` mode none;
# - a broken project file makes `lookup` fail with exit 1 and the file named; bad usage exits 2;
# - measure.py (run.sh, 2 rounds) writes the JSON the bench runner and report.py read.
set -uo pipefail
[ $# -eq 1 ] || { echo "usage: $0 BIN_DIR" >&2; exit 2; }
bin=$(cd "$1" && pwd)
here=$(cd "$(dirname "$0")" && pwd)
probe=$bin/config_lookup_probe
py=/usr/bin/python3
[ -x "$py" ] || py=python3
fail() { echo "FAIL: $*" >&2; exit 1; }

work=$(mktemp -d "${TMPDIR:-/tmp}/ferry-config-probe.XXXXXX") || exit 2
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/xdg/ferry" "$work/proj/.git" "$work/proj/src/lib"
printf '[client]\nio_timeout = 120\n' > "$work/policy.toml"
printf '[hosts]\nlist = "localhost"\n' > "$work/xdg/ferry/config.toml"
printf '[client]\nstrategy = "plain"\n' > "$work/proj/.ferry.toml"
clean_env=(env -i PATH="$PATH" HOME="$work" FERRY_SITE_POLICY="$work/policy.toml"
           XDG_CONFIG_HOME="$work/xdg")

# check_line NAME LINE MODE FILES: one line, the mode, numbers in range, FILES files read.
check_line() {
    local name=$1 line=$2 mode=$3 files=$4
    echo "$name: $line"
    [[ $line =~ ^mode=$mode\ cpu_us=([0-9]+\.[0-9])\ wall_us=([0-9]+\.[0-9])\ faults=([0-9]+)\ files=$files( file=[^ ]+)*$ ]] ||
        fail "$name: unexpected output '$line'"
    local cpu=${BASH_REMATCH[1]} wall=${BASH_REMATCH[2]}
    # One call takes microseconds to milliseconds; zero or a second means the clocks are misread.
    awk -v c="$cpu" -v w="$wall" 'BEGIN { exit !(c > 0 && c < 1000000 && w > 0 && w < 1000000) }' ||
        fail "$name: cpu_us=$cpu wall_us=$wall out of range"
}

out=$(cd "$work/proj/src/lib" && "${clean_env[@]}" "$probe" lookup) || fail "lookup exited $?"
check_line lookup "$out" lookup 3
for f in "$work/policy.toml" "$work/xdg/ferry/config.toml" "$work/proj/.ferry.toml"; do
    [[ " $out " == *" file=$f "* ]] || fail "lookup did not report reading $f"
done

out=$(cd "$work/proj/src/lib" && "${clean_env[@]}" "$probe" env-only) || fail "env-only exited $?"
check_line env-only "$out" env-only 0

rm "$work/policy.toml" "$work/xdg/ferry/config.toml" "$work/proj/.ferry.toml"
out=$(cd "$work/proj/src/lib" && "${clean_env[@]}" "$probe" lookup) || fail "lookup (no files) exited $?"
check_line "lookup, no files" "$out" lookup 0

printf '[client\n' > "$work/proj/.ferry.toml"
err=$(cd "$work/proj/src/lib" && "${clean_env[@]}" "$probe" lookup 2>&1 > /dev/null)
rc=$?
[ "$rc" = 1 ] || fail "a broken .ferry.toml: exit $rc, expected 1"
[[ $err == *"$work/proj/.ferry.toml:1:"* ]] || fail "a broken .ferry.toml: message '$err' does not name it"
"$probe" > /dev/null 2>&1
rc=$?
[ "$rc" = 2 ] || fail "no argument: exit $rc, expected 2"

CONFIG_COST_JSON=$work/cost.json "$here/run.sh" "$bin" 2 > "$work/run.out"
rc=$?
cat "$work/run.out"
[ "$rc" = 0 ] || fail "run.sh exited $rc"
"$py" - "$work/cost.json" <<'PY' || fail "run.sh's JSON lacks the probe's figures"
import json, sys
r = json.load(open(sys.argv[1]))
p = r["lookup_probe"]
for name in ("env-only", "lookup", "lookup-no-repo", "lookup-all-files"):
    v = p["variants"][name]
    assert v["cpu_med_us"] > 0 and v["faults_med"] >= 0, (name, v)
assert p["variants"]["lookup-all-files"]["files_read"] == 3
assert p["variants"]["lookup"]["files_read"] == 0 and p["variants"]["env-only"]["files_read"] == 0
for name in ("lookup", "lookup-no-repo", "lookup-all-files"):
    assert "cpu_us" in p[f"{name}_minus_env-only"], name
assert isinstance(p["verdict"]["no_files_measurable"], bool)
assert p["start"]["cpu_p25_us"] <= p["start"]["cpu_p75_us"]
for name in ("version", "no-files", "all-files"):
    assert r["variants"][name]["cpu_med_ms"] > 0, name
PY
echo "PASS: config_lookup_probe and measure.py"
