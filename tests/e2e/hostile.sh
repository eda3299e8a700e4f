#!/usr/bin/env bash
# Hostile requests against a live ferryd (issue 6, point 1).
#   hostile.sh BIN_DIR
# Each request below is sent byte for byte by ferryd_client.py. For each one: the daemon refuses
# or closes it without running anything but a real compiler (or, for -o outside the job dir,
# compiles into the job dir only), logs why, writes nothing outside its job directories, and
# serves a good client that runs at the same time (its object must equal a local compile).

# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
e2e_init "$@"
require_cmd python3 gcc
CLIENT_PY=$E2E_LIB_DIR/ferryd_client.py
IO_TIMEOUT=4
REQUEST_TIMEOUT=6

# The daemon runs in a canary directory: a relative path it wrongly honoured would land there.
CANARY=$WORK/canary
mkdir -p "$CANARY"
chmod 0777 "$CANARY" # writable even by the job user, so a write would not fail for want of rights
export FERRY_IO_TIMEOUT=$IO_TIMEOUT
cd "$CANARY" || exit 1
start_ferryd --jobs 4 --request-timeout "$REQUEST_TIMEOUT"
cd "$WORK" || exit 1
unset FERRY_IO_TIMEOUT
PORT=$FERRYD_PORT

# ---------------------------------------------------------------------------------------------
# Helpers

# The good client: a real compile through the raw client, compared with a local one (made once).
GOOD=$WORK/good
mkdir -p "$GOOD"
printf 'int good(int x) { return x * 3 + 1; }\n' > "$GOOD/good.c"
(cd "$GOOD" && gcc -E good.c -o good.i && gcc -O2 -c good.c -o ref.o) || exit 1
MARKER=$WORK/marker
touch "$MARKER"
sleep 1 # -newer has one-second granularity on some file systems
# good_start NAME: starts it in the background (sets GOOD_PID); good_check NAME: waits, checks.
good_start() {
    local d=$TEST_DIR/good-$1
    mkdir -p "$d"
    timeout 60 python3 "$CLIENT_PY" compile "$PORT" "$GOOD/good.i" "$d" gcc -O2 -c good.c -o good.o \
        > "$d/client.out" 2>&1 &
    GOOD_PID=$!
}
good_check() {
    local d=$TEST_DIR/good-$1
    wait "$GOOD_PID" || fail "the good client was not served meanwhile: $(cat "$d/client.out")"
    [ "$(cat "$d/status")" = 0 ] || fail "the good compile failed: $(cat "$d/stderr")"
    cmp -s "$GOOD/ref.o" "$d/object" || fail "the good client's object differs from a local compile"
}

# Lines in the daemon log matching an extended regex.
log_count() { grep -cE -- "$1" "$FERRYD_LOG"; }

# expect_logged BEFORE REGEX: a new line matching REGEX appeared (the daemon logs just after
# closing, so give it a moment).
expect_logged() {
    local before=$1 re=$2 i
    for ((i = 0; i < 50; i++)); do
        [ "$(log_count "$re")" -gt "$before" ] && return 0
        sleep 0.1
    done
    fail "the daemon did not log /$re/"
}

# Nothing was written outside the job directories: the canary dir is empty, no job directory is
# left in TMPDIR, and no file newer than the marker exists in the work dir (outside the test
# dirs and daemon logs) or in /etc.
expect_nothing_written() {
    local i left
    for ((i = 0; i < 50; i++)); do
        left=$(ls -A "$TMPDIR")
        [ -z "$left" ] && break
        sleep 0.1
    done
    [ -z "$left" ] || fail "job directories left in TMPDIR: $left"
    [ -z "$(ls -A "$CANARY")" ] || fail "files appeared in the daemon's cwd: $(ls -A "$CANARY")"
    local new
    new=$(find "$WORK" /etc -xdev -newer "$MARKER" -type f \
        -not -path "$WORK/t[0-9]*" -not -path "$WORK/daemons/*" 2> /dev/null)
    [ -z "$new" ] || fail "files written outside the job directories: $new"
    [ ! -e /etc/x ] && [ ! -e "$WORK/x" ] && [ ! -e /tmp/ferry-hostile-pwned ] ||
        fail "a hostile output file exists"
}

# refused_argv REASON_REGEX ARGV...: a complete request with this argv is closed unanswered and
# the refusal is logged with a reason matching REASON_REGEX.
refused_argv() {
    local re="refused client=127\.0\.0\.1:[0-9]+: $1" before
    shift
    before=$(log_count "$re")
    printf 'int x;\n' > "$TEST_DIR/x.i"
    good_start refused
    capture send python3 "$CLIENT_PY" compile "$PORT" "$TEST_DIR/x.i" "$TEST_DIR" "$@"
    [ "$STATUS" = 3 ] || fail "the daemon answered: $(out_of send)"
    good_check refused
    expect_logged "$before" "$re"
    expect_nothing_written
}

# raw_closed REASON_REGEX HEX [client options...]: raw bytes; the daemon must close the
# connection without a byte and log the reason.
raw_closed() {
    local re=$1 hex=$2 before
    shift 2
    before=$(log_count "$re")
    good_start raw
    capture send python3 "$CLIENT_PY" raw "$PORT" - --hold 20 "$@" <<< "$hex"
    [[ $(out_of send) == "closed after 0 bytes"* ]] || fail "not closed unanswered: $(out_of send)"
    good_check raw
    expect_logged "$before" "$re"
    expect_nothing_written
}

hexof() { printf '%s' "$1" | od -An -tx1 | tr -d ' \n'; }
# A valid request's hex for ARGV..., with a tiny source.
request_hex() { printf 'int x;\n' | python3 "$CLIENT_PY" request "$@"; }

# ---------------------------------------------------------------------------------------------
# Compilers

cve_2004_2687() {
    refused_argv "compiler 'sh' is not claimed by any plugin" \
        sh -c "touch /tmp/ferry-hostile-pwned; touch pwned" -c x.c -o x.o
}
bin_sh() { refused_argv "compiler 'sh' is not claimed" /bin/sh -c "touch pwned"; }
absolute_compiler() { refused_argv "compiler '$CANARY/gcc' must be a bare name" "$CANARY/gcc" -c x.c -o x.o; }
relative_compiler() {
    refused_argv "compiler '\./gcc' must be a bare name" ./gcc -c x.c -o x.o
    refused_argv "compiler '\.\./bin/gcc' must be a bare name" ../bin/gcc -c x.c -o x.o
}
unclaimed_compiler() { refused_argv "compiler 'python3' is not claimed" python3 -c x.c -o x.o; }

# ---------------------------------------------------------------------------------------------
# Arguments that load or run other code, or read other files

fplugin() { refused_argv "-fplugin=$CANARY/evil\.so" gcc "-fplugin=$CANARY/evil.so" -c x.c -o x.o; }
specs() { refused_argv "-specs=$CANARY/evil\.specs" gcc "-specs=$CANARY/evil.specs" -c x.c -o x.o; }
b_prefix() { refused_argv "-B$CANARY" gcc "-B$CANARY" -c x.c -o x.o; }
wrapper() { refused_argv "-wrapper" gcc -wrapper "/bin/sh,-c,touch pwned" -c x.c -o x.o; }
response_file() { refused_argv "@/etc/passwd" gcc @/etc/passwd -c x.c -o x.o; }
linking() { refused_argv "not a compile|no -c|link" gcc x.c -o x; }

# -o outside the job directory is not refused: the plugin replaces it with the job dir's
# output, so the client gets its object and nothing is written where -o pointed.
output_outside() {
    local o
    for o in ../x /etc/x "$WORK/x"; do
        local d=$TEST_DIR/out-${o//\//_}
        mkdir -p "$d"
        printf 'int out_of_tree(void) { return 7; }\n' > "$d/o.c"
        gcc -E "$d/o.c" -o "$d/o.i" || fail "gcc -E"
        (cd "$d" && gcc -c o.c -o ref.o) || fail "local gcc"
        good_start "out${#o}"
        capture send python3 "$CLIENT_PY" compile "$PORT" "$d/o.i" "$d" gcc -c o.c -o "$o"
        [ "$STATUS" = 0 ] && [ "$(cat "$d/status")" = 0 ] || fail "-o $o: not compiled: $(out_of send)"
        cmp -s "$d/ref.o" "$d/object" || fail "-o $o: the object differs from a local compile"
        good_check "out${#o}"
    done
    expect_nothing_written
}

# ---------------------------------------------------------------------------------------------
# Broken and hostile framing

unknown_versions() {
    local v
    for v in 00000003 00000099 ffffffff; do
        raw_closed "unsupported protocol version" "$(hexof "DIST$v")$(request_hex gcc -c x.c | cut -c25-)"
    done
}
bad_hex() {
    raw_closed "refused client=.*(hex|header)" "$(hexof 'DISTzzzzzzzz')"
    raw_closed "refused client=.*(hex|header)" "$(hexof 'DIST0000000g')"
    raw_closed "refused client=.*(hex|header)" "$(hexof 'DIST 0000001ARGC00000001')"
}
wrong_token() { raw_closed "refused client=.*(expected|DIST|header)" "$(hexof 'HTTP/1.0 GET /')"; }
truncated() {
    # The header cut short, then an ARGV shorter than announced: both end at end of stream.
    # (--eof: the client shuts its side down after sending, as a crashed client's kernel does.)
    raw_closed "failed client=.*unexpected end of stream" "$(hexof 'DIST0000')" --eof
    raw_closed "failed client=.*unexpected end of stream" "$(hexof 'DIST00000001ARGC00000001ARGV00000064gcc')" --eof
    # A request without its source.
    raw_closed "failed client=.*unexpected end of stream" "$(request_hex gcc -c x.c -o x.o | sed 's/444f5449.*//')" --eof
    expect_logged 0 "CLI_DISCONN status=-"
}
four_gib() {
    raw_closed "refused client=.*(limit|too many|too long|max)" "$(hexof 'DIST00000001ARGCffffffff')"
    raw_closed "refused client=.*(limit|too many|too long|max)" "$(hexof 'DIST00000001ARGC00000001ARGVffffffff')"
    raw_closed "refused client=.*(limit|too large|too long|max)" \
        "$(request_hex gcc -c x.c -o x.o | sed 's/444f5449.*//')$(hexof 'DOTIffffffff')"
}

# ---------------------------------------------------------------------------------------------
# Slow clients and floods

# A valid request, one byte every 0.2 s: each read is quick, the whole request is not.
slow_drip() {
    local start=$SECONDS
    raw_closed "failed client=.*request timeout \($REQUEST_TIMEOUT s\) ran out" \
        "$(request_hex gcc -c x.c -o x.o)" --drip 0.2
    expect_logged 0 "TIMEOUT status=-"
    [ $((SECONDS - start)) -lt $((REQUEST_TIMEOUT + 15)) ] || fail "the slow client was not cut off in time"
}
# Half a request, then silence: the per-read timeout.
stalled() {
    raw_closed "failed client=.*timed out after $IO_TIMEOUT s" "$(request_hex gcc -c x.c -o x.o | cut -c1-60)" \
        --hold $((IO_TIMEOUT + 10))
}
# 300 connections from 127.0.0.5 that never send a byte: none takes a compile slot (a good
# client from 127.0.0.1 is served at once, well before they time out), and all are closed
# after the I/O timeout.
idle_flood() {
    python3 "$CLIENT_PY" flood "$PORT" 300 $((IO_TIMEOUT + 4)) --bind 127.0.0.5 > "$TEST_DIR/flood.out" 2>&1 &
    local flood=$! good_line first_expiry
    sleep 1
    good_start flood
    good_check flood
    wait "$flood" || fail "the flood client failed: $(cat "$TEST_DIR/flood.out")"
    grep -q '^300 of 300 closed' "$TEST_DIR/flood.out" ||
        fail "idle connections were not all closed: $(cat "$TEST_DIR/flood.out")"
    expect_logged 0 "failed client=127\.0\.0\.5:[0-9]+: sent nothing within $IO_TIMEOUT s"
    # Served while the flood was still open, not after its connections timed out (the order of
    # the log lines, so a slow machine cannot make this pass or fail by timing).
    good_line=$(grep -nE 'job client=127\.0\.0\.1:[0-9]+ COMPILE_OK' "$FERRYD_LOG" | tail -n 1 | cut -d: -f1)
    first_expiry=$(grep -nE 'client=127\.0\.0\.5:[0-9]+: sent nothing' "$FERRYD_LOG" | head -n 1 | cut -d: -f1)
    [ "$good_line" -lt "$first_expiry" ] || fail "the good client waited behind the flood"
    expect_nothing_written
}

TEST "CVE-2004-2687: compiler 'sh -c ...'" cve_2004_2687
TEST "compiler /bin/sh" bin_sh
TEST "absolute compiler path" absolute_compiler
TEST "relative compiler paths" relative_compiler
TEST "a compiler no plugin claims" unclaimed_compiler
TEST "-fplugin=" fplugin
TEST "-specs=" specs
TEST "-B" b_prefix
TEST "-wrapper" wrapper
TEST "@file" response_file
TEST "a link request" linking
TEST "-o ../x, -o /etc/x, -o /abs/x compile into the job dir only" output_outside
TEST "unknown protocol versions" unknown_versions
TEST "bad hex in a header" bad_hex
TEST "a wrong token (HTTP)" wrong_token
TEST "truncated packets" truncated
TEST "4 GiB lengths" four_gib
TEST "slow drip: the request timeout" slow_drip
TEST "stalled client: the per-read timeout" stalled
TEST "idle connection flood" idle_flood
e2e_finish
