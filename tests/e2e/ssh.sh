#!/usr/bin/env bash
# SSH hosts ([USER]@HOST[/N][:COMMAND]): ferry runs `$FERRY_SSH [-l USER] HOST COMMAND --inetd`
# and speaks the protocol over its stdin/stdout. The ssh here is tests/fixtures/ssh/ssh, a
# stand-in that records its argv and runs the command locally (the real built ferryd).
#   ssh.sh BIN_DIR

# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
e2e_init "$@"
SSH_STANDIN=$FIXTURES/ssh/ssh

setup() {
    cd c && mkdir -p build || fail "mkdir"
    CLIENT_LOG=$TEST_DIR/logs/ferry.log
    SSH_LOG=$TEST_DIR/logs/ssh-argv.log
    export FERRY_DIR=$TEST_DIR/state
    touch "$SSH_LOG"
}

ssh_compile() {
    setup
    local_ref vec build/vec.o gcc -O2 -Iinclude -c src/vec.c -o build/vec.o
    run_ok vec.ferry env FERRY_LOG="$CLIENT_LOG" FERRY_FALLBACK=0 FERRY_TEST_SSH_LOG="$SSH_LOG" \
        FERRY_SSH="$SSH_STANDIN -o BatchMode=yes" FERRY_HOSTS="bob@buildbox/2:$FERRYD" \
        "$FERRY" gcc -O2 -Iinclude -c src/vec.c -o build/vec.o
    compare_outputs exact build/vec.o
    expect_ferry_job src/vec.c "bob@buildbox \(protocol 1\): ok"
    [ "$(cat "$SSH_LOG")" = "-o BatchMode=yes -l bob buildbox $FERRYD --inetd" ] ||
        fail "ssh was run as: $(cat "$SSH_LOG")"
}

ssh_lzo_no_user() {
    setup
    local_ref stats build/stats.o gcc -g -Iinclude -c src/stats.c -o build/stats.o
    run_ok stats.ferry env FERRY_LOG="$CLIENT_LOG" FERRY_FALLBACK=0 FERRY_TEST_SSH_LOG="$SSH_LOG" \
        DISTCC_SSH="$SSH_STANDIN" FERRY_HOSTS="@buildbox:$FERRYD,lzo" \
        "$FERRY" gcc -g -Iinclude -c src/stats.c -o build/stats.o
    compare_outputs debug build/stats.o
    expect_ferry_job src/stats.c "buildbox \(protocol 2\): ok"
    [ "$(cat "$SSH_LOG")" = "buildbox $FERRYD --inetd" ] || fail "ssh (from DISTCC_SSH) was run as: $(cat "$SSH_LOG")"
}

# distcc #434: after the first connection in a process, DISTCC_SSH was cut to its first word.
# Here the first host fails (its daemon does not exist), the job is retried on the second, and
# both ssh runs must carry the whole FERRY_SSH.
ssh_retry_keeps_command() {
    setup
    local_ref vec build/vec.o gcc -Iinclude -c src/vec.c -o build/vec.o
    run_ok vec.ferry env FERRY_LOG="$CLIENT_LOG" FERRY_FALLBACK=0 FERRY_TEST_SSH_LOG="$SSH_LOG" \
        FERRY_SSH="$SSH_STANDIN -o BatchMode=yes -o ConnectTimeout=5" \
        FERRY_HOSTS="bob@first:/nonexistent/ferryd alice@second:$FERRYD" \
        "$FERRY" gcc -Iinclude -c src/vec.c -o build/vec.o
    compare_outputs exact build/vec.o
    expect_ferry_job src/vec.c "alice@second \(protocol 1\): ok"
    local want
    want=$(printf '%s\n' "-o BatchMode=yes -o ConnectTimeout=5 -l bob first /nonexistent/ferryd --inetd" \
        "-o BatchMode=yes -o ConnectTimeout=5 -l alice second $FERRYD --inetd")
    [ "$(cat "$SSH_LOG")" = "$want" ] || fail "ssh runs: $(cat "$SSH_LOG")"
    expect_exists "$FERRY_DIR/lock/backoff_ssh_first"
}

ssh_missing_program() {
    setup
    capture vec.ferry env FERRY_LOG="$CLIENT_LOG" FERRY_SSH="/nonexistent/ssh" FERRY_HOSTS="bob@box" \
        "$FERRY" gcc -Iinclude -c src/vec.c -o build/vec.o
    [ "$STATUS" = 0 ] || fail "exit $STATUS"
    grep -q "cannot run '/nonexistent/ssh'.*compiling src/vec.c locally" "$(err_file vec.ferry)" ||
        fail "the notice does not say ssh could not run: $(cat "$(err_file vec.ferry)")"
}

TEST "user@host: compiled through ssh, same object" ssh_compile
TEST "@host,lzo with DISTCC_SSH and -g" ssh_lzo_no_user
TEST "a failed ssh host is retried on the next with the same FERRY_SSH (distcc #434)" ssh_retry_keeps_command
TEST "ssh cannot be run: local fallback with a notice" ssh_missing_program
e2e_finish
