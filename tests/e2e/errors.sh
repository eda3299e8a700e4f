#!/usr/bin/env bash
# Compile errors and warnings through ferry -> a real daemon.
#   errors.sh BIN_DIR ferryd|distccd
# A syntax error fails like a local gcc run: the same exit status (1), no object left behind,
# and the job really went to the daemon (which is not backed off for it). By default ferry
# relays the daemon's diagnostics: the same "error:" lines as gcc's, but without gcc's source
# excerpt lines ("    6 |     return y;"), which gcc prints by reading the source file the
# daemon does not have. With FERRY_LOCAL_RETRY=1 ferry recompiles locally and stderr is
# byte-identical to a local run.

# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
e2e_init "$@"
SERVER_NAME=${2:?server: ferryd or distccd}
case $SERVER_NAME in
ferryd)
    start_ferryd
    SERVER_PORT=$FERRYD_PORT SERVER_LOG=$FERRYD_LOG
    ;;
distccd)
    require_distccd
    start_distccd
    SERVER_PORT=$DISTCCD_PORT SERVER_LOG=$DISTCCD_LOG
    ;;
*) echo "unknown server $SERVER_NAME" >&2 && exit 2 ;;
esac
PROTO=1

# The defaults a user has (local fallback allowed), plus FERRY_LOCAL_RETRY=1 for the checks of
# gcc's exact stderr; the log line must still show the job went to the daemon first.
setup() {
    mkdir -p build || fail "mkdir"
    use_client ferry "$(hostspec "$SERVER_PORT" "$PROTO")" FERRY_FALLBACK=1 FERRY_LOCAL_RETRY=1
}

# Without FERRY_LOCAL_RETRY: the remote result is final.
setup_default() {
    mkdir -p build || fail "mkdir"
    use_client ferry "$(hostspec "$SERVER_PORT" "$PROTO")" FERRY_FALLBACK=1
}

# The diagnostic lines, without gcc's source excerpts (and the "In function" context lines,
# which gcc prints in both cases).
diagnostic_lines() { grep -E '(error|warning|note): ' "$1"; }

# expect_error_relayed NAME INPUT OUT cmd...: the default for a remote compile error.
expect_error_relayed() {
    local name=$1 input=$2 out=$3
    shift 3
    capture "$name.local" "$@"
    local local_status=$STATUS
    [ "$local_status" != 0 ] || fail "the local compile of $input succeeded; the fixture is broken"
    diagnostic_lines "$(err_file "$name.local")" > "$TEST_DIR/logs/$name.local.diag" || fail "no error: line locally"
    capture "$name.ferry" "${CLIENT[@]}" "$@"
    [ "$STATUS" = "$local_status" ] || fail "ferry exited with $STATUS, gcc with $local_status"
    diagnostic_lines "$(err_file "$name.ferry")" > "$TEST_DIR/logs/$name.ferry.diag"
    expect_same_file "error lines" "$TEST_DIR/logs/$name.local.diag" "$TEST_DIR/logs/$name.ferry.diag"
    expect_missing "$out"
    local line
    line=$(ferry_job_lines | grep -F " job $input -> ")
    [ "$(printf '%s\n' "$line" | wc -l)" = 1 ] || fail "expected one job line for $input, got: $line"
    [[ ${line#* -> } =~ ^127\.0\.0\.1:$SERVER_PORT\ \(protocol\ $PROTO\):\ status\ $local_status$JOB_FIELDS$ ]] ||
        fail "the job was not relayed from the daemon with status $local_status: $line"
    ! grep -q 'recompiling locally' "$CLIENT_LOG" || fail "ferry recompiled locally without FERRY_LOCAL_RETRY=1"
    local backoff
    backoff=$(ls "$FERRY_DIR"/lock/backoff_* 2> /dev/null)
    [ -z "$backoff" ] || fail "a compile error backed the host off: $backoff"
}

syntax_error_default() {
    setup_default
    expect_error_relayed bad errors/bad.c build/bad.o gcc -Wall -c errors/bad.c -o build/bad.o
}

# expect_error_like_local NAME INPUT OUT cmd...
expect_error_like_local() {
    local name=$1 input=$2 out=$3
    shift 3
    capture "$name.local" "$@"
    local local_status=$STATUS
    [ "$local_status" != 0 ] || fail "the local compile of $input succeeded; the fixture is broken"
    expect_missing "$out"
    capture "$name.ferry" "${CLIENT[@]}" "$@"
    [ "$STATUS" = "$local_status" ] || fail "ferry exited with $STATUS, gcc with $local_status"
    expect_same_file "stderr" "$(err_file "$name.local")" "$(err_file "$name.ferry")"
    [ ! -s "$TEST_DIR/logs/$name.ferry.out" ] || fail "ferry wrote to stdout: $(out_of "$name.ferry")"
    expect_missing "$out"
    local line
    line=$(ferry_job_lines | grep -F " job $input -> " | head -n 1)
    [ -n "$line" ] || fail "no job line for $input in $CLIENT_LOG"
    # Only the start is fixed: ferry may add what it did next (e.g. a local re-run for gcc's
    # source excerpts, which the daemon cannot print without the source).
    [[ ${line#* -> } =~ ^127\.0\.0\.1:$SERVER_PORT\ \(protocol\ $PROTO\):\ status\ $local_status($|[^0-9]) ]] ||
        fail "the job did not go to the daemon with status $local_status: $line"
}

syntax_error_c() {
    setup
    expect_error_like_local bad errors/bad.c build/bad.o gcc -Wall -c errors/bad.c -o build/bad.o
}

syntax_error_cxx() {
    setup
    printf 'template <typename T> struct S { T t };\nint f() { return S<int>{}.t }\n' > errors/bad.cpp
    expect_error_like_local badxx errors/bad.cpp build/bad.o g++ -c errors/bad.cpp -o build/bad.o
}

syntax_error_no_o() {
    setup
    expect_error_like_local bad errors/bad.c bad.o gcc -c errors/bad.c
}

# A warning on a successful compile. The diagnostic lines must be gcc's; the source excerpt
# lines ("    3 |   int x;") need the source file, which only the client has, so a relayed
# remote stderr may lack them: that is reported, not failed (distcc behaves the same).
warning() {
    setup
    remote_compile warn errors/warn.c build/warn.o exact gcc -Wall -c errors/warn.c -o build/warn.o
    local l r
    l=$(err_file warn.local) r=$(err_file warn.ferry)
    grep -q 'warning: unused variable' "$l" || fail "the fixture no longer warns"
    if cmp -s "$l" "$r"; then
        return 0
    fi
    local excerpt='^ +([0-9]+ )?\| '
    if diff <(grep -Ev "$excerpt" "$l") <(grep -Ev "$excerpt" "$r") > /dev/null; then
        note "the warning came back without gcc's source excerpt lines (the daemon has no source)"
        return 0
    fi
    expect_same_file "stderr with a warning" "$l" "$r"
}

TEST "ferry -> $SERVER_NAME: C syntax error relayed (default)" syntax_error_default
TEST "ferry -> $SERVER_NAME: C syntax error, FERRY_LOCAL_RETRY=1" syntax_error_c
TEST "ferry -> $SERVER_NAME: C++ syntax error, FERRY_LOCAL_RETRY=1" syntax_error_cxx
TEST "ferry -> $SERVER_NAME: syntax error, no -o, FERRY_LOCAL_RETRY=1" syntax_error_no_o
TEST "ferry -> $SERVER_NAME: warning" warning
e2e_finish
