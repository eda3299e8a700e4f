#!/usr/bin/env bash
# The ferry demo, from a fresh Debian 12 machine:
#   1. install the dependencies and build ferry (build/),
#   2. start ferryd on 127.0.0.1 (a free port),
#   3. build examples/demo (7 C files, headers in include/demo/, -MD dependency files) with
#      make -j4 CC="ferry gcc",
#   4. print what ran where (from FERRY_LOG), check the objects against a local build, run the
#      program, and stop the daemon (also on failure).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

step "Installing dependencies (scripts/install-deps.sh)"
./scripts/install-deps.sh

step "Building ferry, ferryd and the plugins (scripts/build.sh)"
./scripts/build.sh ferry ferryd plugins/all
bin=$root/${FERRY_BUILD_DIR:-build}/bin

work=$(mktemp -d "${TMPDIR:-/tmp}/ferry-demo.XXXXXX")
ferryd_pid=""
cleanup() {
    local rc=$?
    if [ -n "$ferryd_pid" ] && kill -0 "$ferryd_pid" 2> /dev/null; then
        kill -TERM "$ferryd_pid" 2> /dev/null || true
        for _ in $(seq 50); do
            kill -0 "$ferryd_pid" 2> /dev/null || break
            sleep 0.1
        done
        kill -KILL "$ferryd_pid" 2> /dev/null || true
        wait "$ferryd_pid" 2> /dev/null || true
        echo "ferryd (pid $ferryd_pid) stopped."
    fi
    if [ "$rc" != 0 ] && [ -s "$work/ferryd.log" ]; then
        echo "--- ferryd log (last 20 lines)" >&2
        tail -n 20 "$work/ferryd.log" >&2
    fi
    rm -rf "$work"
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

step "Starting ferryd on 127.0.0.1"
"$bin/ferryd" --no-detach --listen 127.0.0.1 --port 0 --port-file "$work/port" --log-stderr \
    > /dev/null 2> "$work/ferryd.log" < /dev/null &
ferryd_pid=$!
for _ in $(seq 200); do
    [ -s "$work/port" ] && break
    kill -0 "$ferryd_pid" 2> /dev/null || { echo "ferryd exited during start-up" >&2; exit 1; }
    sleep 0.1
done
[ -s "$work/port" ] || { echo "ferryd did not report its port within 20 s" >&2; exit 1; }
port=$(cat "$work/port")
echo "ferryd pid $ferryd_pid listening on 127.0.0.1:$port"

cp -R examples/demo "$work/demo"
cd "$work/demo"
export PATH=$bin:$PATH
export FERRY_HOSTS="127.0.0.1:$port,lzo" FERRY_LOG=$work/ferry.log FERRY_DIR=$work/ferry-state
unset DISTCC_HOSTS

step "Building examples/demo: FERRY_HOSTS=$FERRY_HOSTS make -j4 CC=\"ferry gcc\""
timeout 600 make -j4 CC="ferry gcc"

step "What ran where (FERRY_LOG)"
# Log lines: "ferry[PID] job INPUT -> HOST:PORT (protocol N): ok" or "... -> local: REASON".
printf '%-14s %-28s %s\n' "job" "ran on" "result"
printf '%-14s %-28s %s\n' "---" "------" "------"
sed -nE 's/^ferry\[[0-9]+\] job (.*) -> (.*)$/\1\t\2/p' "$FERRY_LOG" |
    while IFS=$'\t' read -r input where; do
        case $where in
        local:*) printf '%-14s %-28s %s\n' "$input" "local" "${where#local: }" ;;
        *) printf '%-14s %-28s %s\n' "$input" "${where%%: *}" "${where##*: }" ;;
        esac
    done
remote=$(grep -cE " -> 127\.0\.0\.1:$port .*: ok( |$)" "$FERRY_LOG" || true)
echo "$remote compile(s) ran on ferryd; ferryd logged $(grep -c COMPILE_OK "$work/ferryd.log" || true) COMPILE_OK line(s)."

step "Comparing with a local build (make BUILD=build-local CC=gcc)"
timeout 600 make -s -j4 BUILD=build-local CC=gcc
same=0 total=0
for o in build-local/*.o; do
    total=$((total + 1))
    if cmp -s "$o" "build/${o#build-local/}"; then
        same=$((same + 1))
    else
        echo "differs: build/${o#build-local/}"
    fi
done
echo "$same of $total objects are byte-identical to the local build."

step "Running the program (build/ferry-demo)"
./build/ferry-demo
