#!/usr/bin/env bash
# Statistics (issue 6, point 4, the daemon's half).
#   stats.sh BIN_DIR
# Real requests (two good compiles, a compile error, a refused compiler, one running compile),
# then the page on --stats-port in distccd's text format (distcc-reference §4.3: the same keys in
# the same order) and as JSON at /json, with the counts those requests must have produced.

# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
e2e_init "$@"
# shellcheck source=daemon_lib.sh
. "$E2E_LIB_DIR/daemon_lib.sh"
require_cmd python3 gcc
make_wrapper_gcc
NAMED_ENV=(DISTCCD_PATH="$WRAPPER_DIR:/usr/bin:/bin")
start_named_ferryd stats --jobs 3 --allow 127.0.0.1/32 --stats-port 0 --stats-port-file "$WORK/stats-port"
NAMED_ENV=()
PORT=$N_PORT
LOG=$N_LOG
STATS_PORT=$(cat "$WORK/stats-port")

get() { python3 "$CLIENT_PY" http "$STATS_PORT" "$@"; }

# Two OK, one compile error, one refused, and one still running (FERRY_SLOW: 5 s) while we look.
make_traffic() {
    raw_compile "$PORT" "$TEST_DIR/a" a.c 'int a(void) { return 1; }'
    [ "$(cat "$TEST_DIR/a/status")" = 0 ] || fail "a.c failed"
    raw_compile "$PORT" "$TEST_DIR/b" b.c 'int b(void) { return 2; }'
    [ "$(cat "$TEST_DIR/b/status")" = 0 ] || fail "b.c failed"
    raw_compile "$PORT" "$TEST_DIR/e" e.c 'int e(void) { return }'
    [ "$(cat "$TEST_DIR/e/status")" != 0 ] || fail "e.c compiled"
    printf 'int x;\n' > "$TEST_DIR/x.i"
    capture refused python3 "$CLIENT_PY" compile "$PORT" "$TEST_DIR/x.i" "$TEST_DIR" sh -c 'echo hi' -c x.c
    [ "$STATUS" = 3 ] || fail "sh was answered"
    wait_log_line "$LOG" "REJ_BAD_REQ"
    mkdir -p "$TEST_DIR/slow"
    printf '# 1 "slow.c"\nint slow; /* FERRY_SLOW */\n' > "$TEST_DIR/slow/slow.i"
    python3 "$CLIENT_PY" compile "$PORT" "$TEST_DIR/slow/slow.i" "$TEST_DIR/slow" gcc -c slow.c -o slow.o \
        > "$TEST_DIR/slow/out" 2>&1 &
    SLOW_PID=$!
    wait_log_line "$LOG" "COMPILE_ERROR"
    sleep 1 # the slow job has been accepted and is running
}

text_page() {
    make_traffic
    get / > "$TEST_DIR/page.txt" || fail "GET / failed"
    sed 's/^/  page| /' "$TEST_DIR/page.txt"
    head -n 5 "$TEST_DIR/page.txt" | cmp -s - <(printf 'HTTP/1.0 200 OK\nContent-Type: text/plain\nConnection: close\n\nargv /ferryd\n') ||
        fail "the header is not distccd's"
    # Exactly distccd's keys, in distccd's order.
    local keys
    keys=$(sed -n '/^<distccstats>$/,/^<\/distccstats>$/p' "$TEST_DIR/page.txt" | sed '1d;$d' | cut -d' ' -f1 | tr '\n' ' ')
    [ "$keys" = "dcc_tcp_accept dcc_rej_bad_req dcc_rej_overload dcc_compile_ok dcc_compile_error dcc_compile_timeout dcc_cli_disconnect dcc_other dcc_longest_job dcc_longest_job_compiler dcc_longest_job_time_msecs dcc_max_kids dcc_avg_kids1 dcc_avg_kids2 dcc_avg_kids3 dcc_current_load dcc_load1 dcc_load2 dcc_load3 dcc_num_compiles1 dcc_num_compiles2 dcc_num_compiles3 dcc_num_procstate_D dcc_max_RSS dcc_max_RSS_name dcc_io_rate dcc_free_space " ] ||
        fail "keys differ from distccd's: $keys"
    value() { sed -n "s/^$1 //p" "$TEST_DIR/page.txt"; }
    [ "$(value dcc_tcp_accept)" = 5 ] || fail "dcc_tcp_accept $(value dcc_tcp_accept), expected 5"
    [ "$(value dcc_compile_ok)" = 2 ] || fail "dcc_compile_ok"
    [ "$(value dcc_compile_error)" = 1 ] || fail "dcc_compile_error"
    [ "$(value dcc_rej_bad_req)" = 1 ] || fail "dcc_rej_bad_req"
    [ "$(value dcc_max_kids)" = 3 ] || fail "dcc_max_kids is not --jobs"
    [ "$(value dcc_current_load)" = 1 ] || fail "dcc_current_load: the slow job is running"
    [[ $(value dcc_longest_job) =~ ^[ab]\.c$ ]] || fail "dcc_longest_job"
    [ "$(value dcc_longest_job_compiler)" = gcc ] || fail "dcc_longest_job_compiler"
    [ "$(value dcc_num_compiles1)" = 3 ] || fail "dcc_num_compiles1"
    [[ $(value dcc_free_space) =~ ^[0-9]+\ MB$ ]] || fail "dcc_free_space"
    [[ $(value dcc_load1) =~ ^[0-9]+\.[0-9][0-9]$ ]] || fail "dcc_load1"
    wait "$SLOW_PID" || fail "the slow job failed"
}

json_body() { get /json | sed '1,/^$/d'; }

json_page() {
    json_body > "$TEST_DIR/before.json" || fail "GET /json failed"
    make_traffic
    get /json > "$TEST_DIR/page.json" || fail "GET /json failed"
    grep -q '^Content-Type: application/json$' "$TEST_DIR/page.json" || fail "not served as JSON"
    sed '1,/^$/d' "$TEST_DIR/page.json" > "$TEST_DIR/after.json"
    python3 - "$TEST_DIR/before.json" "$TEST_DIR/after.json" << 'PY' || fail "the JSON does not hold what the requests did"
import json, sys
b = json.load(open(sys.argv[1]))
d = json.load(open(sys.argv[2]))
def check(cond, what):
    if not cond:
        print("  json: " + what + ": " + json.dumps(d, indent=1)[:3000])
        sys.exit(1)
def delta(*path):
    def get(doc):
        for p in path:
            doc = doc.get(p, {}) if isinstance(doc, dict) else {}
        return doc if isinstance(doc, int) else 0
    return get(d) - get(b)
# What make_traffic did: two OK, one error, one refused 'sh', one still running.
check(delta("outcomes", "COMPILE_OK") == 2, "outcomes.COMPILE_OK +2")
check(delta("outcomes", "COMPILE_ERROR") == 1, "outcomes.COMPILE_ERROR +1")
check(delta("outcomes", "REJ_BAD_REQ") == 1, "outcomes.REJ_BAD_REQ +1")
check(all(k in d["outcomes"] for k in ("REJ_ACCESS", "CLI_DISCONN", "TIMEOUT", "COMPILE_TIMEOUT", "OTHER")), "every category")
check(delta("compilers", "gcc", "COMPILE_OK") == 2, "compilers.gcc.COMPILE_OK +2")
check(delta("compilers", "gcc", "COMPILE_ERROR") == 1, "compilers.gcc.COMPILE_ERROR +1")
check(delta("compilers", "sh", "REJ_BAD_REQ") == 1, "compilers.sh.REJ_BAD_REQ +1")
check(delta("accepted") == 5, "accepted +5")
check(d["current_load"] == 1, "current_load (the slow job)")
check(d["max_jobs"] == 3, "max_jobs")
lj = d["longest_job"]
check(lj["compiler"] == "gcc" and lj["input"].endswith(".c") and lj["time_ms"] > 0, "longest_job")
check(d["compiles"]["last_1min"] >= 3, "compiles")
check(len(d["system"]["load_average"]) == 3, "load_average")
PY
    wait "$SLOW_PID" || fail "the slow job failed"
}

# Statistics are for allowed clients only (--allow 127.0.0.1/32; 127.0.0.2 is not allowed).
not_allowed() {
    get / --bind 127.0.0.2 > "$TEST_DIR/denied.txt"
    [ ! -s "$TEST_DIR/denied.txt" ] || fail "a client outside --allow got the page"
    wait_log_line "$LOG" "refused statistics client=127\.0\.0\.2"
}

TEST "text page: distccd's keys, counts from real requests" text_page
TEST "JSON page: outcomes, compilers, current load, longest job" json_page
TEST "statistics only for allowed clients" not_allowed
e2e_finish
