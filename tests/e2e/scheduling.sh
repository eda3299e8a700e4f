#!/usr/bin/env bash
# Slots across processes: many ferry processes at once never run more than --localslots local
# compiles, --localslots_cpp preprocessors, or N jobs on a HOST/N, however many are started.
# A wrapper named gcc, first on PATH (and on the daemon's DISTCCD_PATH), records how many of
# its kind run at once, then runs the real gcc.
#   scheduling.sh BIN_DIR

# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
e2e_init "$@"

WRAP=$WORK/wrap
COUNT=$WORK/count
mkdir -p "$WRAP" "$COUNT"
REAL_GCC=$(command -v gcc)
# kind: cpp (-E), compile (-c/-S without -E), link (anything else). Each run leaves a file in
# $COUNT/<kind>/ for 0.4 s and records how many files it saw, so overlapping runs are counted.
cat > "$WRAP/gcc" << EOF2
#!/usr/bin/env bash
kind=link
for a in "\$@"; do
    case \$a in -E) kind=cpp; break ;; -c | -S) kind=compile ;; esac
done
d=$COUNT/\$kind
mkdir -p "\$d"
touch "\$d/\$\$"
ls "\$d" | wc -l >> "$COUNT/\$kind.seen"
sleep 0.4
rm -f "\$d/\$\$"
exec "$REAL_GCC" "\$@"
EOF2
chmod +x "$WRAP/gcc"
# Run as root, ferryd runs the wrapper as its unprivileged job user: let both sides count.
mkdir -p "$COUNT/cpp" "$COUNT/compile" "$COUNT/link"
touch "$COUNT/cpp.seen" "$COUNT/compile.seen" "$COUNT/link.seen"
chmod 1777 "$COUNT" "$COUNT/cpp" "$COUNT/compile" "$COUNT/link"
chmod 0666 "$COUNT"/*.seen

DISTCCD_PATH="$WRAP:/usr/bin:/bin" start_ferryd --jobs 8

max_seen() { sort -n "$COUNT/$1.seen" 2> /dev/null | tail -n 1; }

setup() {
    cd c && mkdir -p build || fail "mkdir"
    CLIENT_LOG=$TEST_DIR/logs/ferry.log
    export FERRY_DIR=$TEST_DIR/state
    rm -rf "${COUNT:?}"/*
    export PATH="$WRAP:$PATH"
}

# parallel N NAME cmd...: starts N copies (with {} replaced by the copy's number), waits for all.
parallel() {
    local n=$1 name=$2 i pids=()
    shift 2
    for ((i = 1; i <= n; i++)); do
        timeout -k 5 "$CMD_TIMEOUT" "${@//\{\}/$i}" > "$TEST_DIR/logs/$name.$i.out" 2> "$TEST_DIR/logs/$name.$i.err" &
        pids+=($!)
    done
    for i in "${!pids[@]}"; do
        wait "${pids[$i]}" || fail "$name copy $((i + 1)) failed: $(cat "$TEST_DIR/logs/$name.$((i + 1)).err")"
    done
}

local_pool() {
    setup
    run_ok obj "$REAL_GCC" -c src/vec.c -Iinclude -o build/vec.o
    printf 'int main(void) { return 0; }\n' > main.c
    run_ok mainobj "$REAL_GCC" -c main.c -o build/main.o
    parallel 8 link env FERRY_LOG="$CLIENT_LOG" FERRY_HOSTS="--localslots=2 127.0.0.1:$FERRYD_PORT" "$FERRY" gcc build/main.o -o build/prog{}
    [ "$(max_seen link)" = 2 ] || fail "8 links with --localslots=2 ran $(max_seen link) at once (seen: $(tr '\n' ' ' < "$COUNT/link.seen"))"
    [ -x build/prog8 ] || fail "no program linked"
}

cpp_pool() {
    setup
    parallel 6 cpp env FERRY_LOG="$CLIENT_LOG" FERRY_FALLBACK=0 FERRY_HOSTS="--localslots_cpp=1 127.0.0.1:$FERRYD_PORT/8" \
        "$FERRY" gcc -Iinclude -c src/vec.c -o build/vec{}.o
    [ "$(max_seen cpp)" = 1 ] || fail "6 jobs with --localslots_cpp=1 ran $(max_seen cpp) preprocessors at once"
    [ "$(ferry_job_lines | grep -c "127.0.0.1:$FERRYD_PORT (protocol 1): ok")" = 6 ] || fail "not all 6 jobs were compiled remotely"
}

host_slots() {
    setup
    parallel 6 remote env FERRY_LOG="$CLIENT_LOG" FERRY_FALLBACK=0 FERRY_HOSTS="127.0.0.1:$FERRYD_PORT/2" \
        "$FERRY" gcc -Iinclude -c src/vec.c -o build/vec{}.o
    [ "$(max_seen compile)" = 2 ] || fail "6 jobs for a host /2 ran $(max_seen compile) compiles at once on it"
    [ "$(ferry_job_lines | grep -c "127.0.0.1:$FERRYD_PORT (protocol 1): ok")" = 6 ] || fail "not all 6 jobs were compiled remotely"
}

localhost_host() {
    # "localhost/1" first: the first job runs here, the next goes to the daemon (slot level
    # first, then list order).
    setup
    parallel 2 mixed env FERRY_LOG="$CLIENT_LOG" FERRY_HOSTS="localhost/1 127.0.0.1:$FERRYD_PORT/1" \
        "$FERRY" gcc -Iinclude -c src/vec.c -o build/vec{}.o
    [ "$(ferry_job_lines | grep -c -- '-> local: localhost chosen')" = 1 ] || fail "expected one job on localhost"
    [ "$(ferry_job_lines | grep -c "127.0.0.1:$FERRYD_PORT (protocol 1): ok")" = 1 ] || fail "expected one job on the daemon"
}

TEST "--localslots bounds local jobs across processes" local_pool
TEST "--localslots_cpp bounds local preprocessors" cpp_pool
TEST "HOST/N bounds the jobs sent to a host" host_slots
TEST "localhost/1 and a remote host share the work" localhost_host
e2e_finish
