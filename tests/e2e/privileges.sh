#!/usr/bin/env bash
# Privileges and per-job limits (issue 6, point 2).
#   privileges.sh BIN_DIR
# A wrapper named gcc (daemon_lib.sh) on ferryd's DISTCCD_PATH reports on the very process the
# daemon starts for a compile: its uid, process group, no-new-privileges flag, rlimits and
# niceness. Run as root (as CI does), the uid must not be 0, and the listening daemon itself
# must have switched to the job user (no-new-privileges set) before serving, even on a port only
# root may bind. Then: a hostile body that .incbin's a
# root-only file cannot read it (what a job can still read is what its user can: shown with a
# world-readable file); a client that disconnects gets its compiler's whole process group
# killed; --job-lifetime kills a compile that runs too long.

# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
e2e_init "$@"
# shellcheck source=daemon_lib.sh
. "$E2E_LIB_DIR/daemon_lib.sh"
require_cmd python3 gcc ps
make_wrapper_gcc
NAMED_ENV=(DISTCCD_PATH="$WRAPPER_DIR:/usr/bin:/bin")
# --job-lifetime 12: long enough for every ordinary compile here even on a loaded machine (4 s once
# killed the probe compile under a load average of 13), short enough to test it.
start_named_ferryd priv --jobs 2 --nice 7 --job-lifetime 12 --job-memory 512
NAMED_ENV=()
PORT=$N_PORT
LOG=$N_LOG
ROOT=false
[ "$(id -u)" = 0 ] && ROOT=true

probe_value() { sed -n "s/^$1 //p" "$PROBE_DIR/probe.txt"; }

the_compile_process() {
    rm -f "$PROBE_DIR/probe.txt"
    raw_compile "$PORT" "$TEST_DIR/p" probe.c 'int probe(void) { return 5; } /* FERRY_PROBE */'
    [ "$STATUS" = 0 ] && [ "$(cat "$TEST_DIR/p/status")" = 0 ] || fail "the probe compile failed"
    [ -s "$PROBE_DIR/probe.txt" ] || fail "the wrapper wrote no probe (did the daemon run it?)"
    sed 's/^/  probe| /' "$PROBE_DIR/probe.txt"
    local uid
    uid=$(probe_value uid)
    if $ROOT; then
        [ "$uid" != 0 ] || fail "the compiler ran as root"
        local want
        want=$(id -u ferryd 2> /dev/null || id -u nobody)
        [ "$uid" = "$want" ] || fail "the compiler ran as uid $uid, expected $want"
        grep -q "jobs run as user .* (uid $want)" "$LOG" || fail "the start-up line does not name the job user"
    else
        [ "$uid" = "$(id -u)" ] || fail "not root: the compiler should run as us"
        note "not root: no user switch to test (CI runs this as root)"
    fi
    [ "$(probe_value pgid)" = "$(probe_value pid)" ] || fail "the compiler does not lead its own process group"
    grep -q '^NoNewPrivs:1$' "$PROBE_DIR/probe.txt" || fail "no-new-privileges is not set"
    [ "$(probe_value cpu)" = 12 ] || fail "RLIMIT_CPU is not --job-lifetime (12)"
    [ "$(probe_value as)" = $((512 * 1024)) ] || fail "RLIMIT_AS is not --job-memory (512 MiB)"
    [ "$(probe_value core)" = 0 ] || fail "core files are not off"
    [ "$(probe_value fsize)" != unlimited ] || fail "RLIMIT_FSIZE is not set"
    [ "$(probe_value nice)" = 7 ] || fail "the niceness is $(probe_value nice), not --nice 7"
}

# uid_line PID: the four uids of a process (real, effective, saved, fs), space-separated.
uid_line() { sed -n 's/^Uid:[[:space:]]*//p' "/proc/$1/status" | tr -s '[:space:]' ' ' | sed 's/ $//'; }

# Started as root, the daemon drops root itself before it serves: nothing it does while serving
# (accepting, forking, the log, the pid file) runs as root.
the_daemon_itself() {
    wait_log_line "$LOG" "(dropped root: the daemon runs as user|not started as root: no user switch)"
    local want uid
    if $ROOT; then
        want=$(id -u "$(ferryd_user)")
        grep -q "dropped root: the daemon runs as user $(ferryd_user) (uid $want, " "$LOG" ||
            fail "no drop line naming the user: $(cat "$LOG")"
    else
        want=$(id -u)
    fi
    uid=$(uid_line "$N_PID")
    echo "  daemon $N_PID: Uid $uid, $(grep -E '^(NoNewPrivs|Groups):' "/proc/$N_PID/status" | tr -s '\t\n' '  ')"
    [ "$uid" = "$want $want $want $want" ] || fail "the daemon's uids are '$uid', expected $want"
    grep -q '^NoNewPrivs:[[:space:]]*1$' "/proc/$N_PID/status" || fail "the daemon lacks no-new-privileges"
    if $ROOT; then
        local gid
        gid=$(id -g "$(ferryd_user)")
        grep -qE "^Groups:[[:space:]]*$gid[[:space:]]*$" "/proc/$N_PID/status" ||
            fail "supplementary groups kept: $(grep '^Groups:' "/proc/$N_PID/status")"
    fi
}

# A port below 1024 needs root to bind; the daemon binds it, then serves as the user. (A subshell
# per TEST: N_PID and friends are this daemon's only here.)
low_port() {
    $ROOT || { note "not root: cannot bind a low port, skipped"; return 0; }
    local p low=
    for p in $(shuf -i 700-1000 -n 40); do
        if python3 -c "import socket; s=socket.socket(); s.bind(('127.0.0.1', $p))" 2> /dev/null; then
            low=$p
            break
        fi
    done
    [ -n "$low" ] || fail "no free port in 700..1000"
    start_named_ferryd low --port "$low"
    [ "$N_PORT" = "$low" ] || fail "listening on $N_PORT, not $low"
    wait_log_line "$N_LOG" "dropped root: the daemon runs as user"
    [ "$(uid_line "$N_PID")" != "0 0 0 0" ] || fail "the daemon on port $low still runs as root"
    raw_compile "$low" "$TEST_DIR/low" low.c 'int low(void) { return 7; }'
    [ "$STATUS" = 0 ] && [ "$(cat "$TEST_DIR/low/status")" = 0 ] || fail "the compile on port $low failed"
    kill -TERM "$N_PID"
    wait "$N_PID" || fail "the daemon on port $low exited with $?"
    [ ! -e "$N_PIDFILE" ] || fail "the pid file was not removed by the daemon's user"
}

# The known hole, measured: a preprocessed body can make the assembler read files by absolute
# path. The job user cannot read a root-only file; a world-readable one is read (that is what
# remains, see docs/ferryd.md).
incbin() {
    $ROOT || { note "not root: nothing to drop, skipped"; return 0; }
    local s=$TEST_DIR/secret
    mkdir -p "$s"
    chmod 0755 "$s"
    echo "FERRY-ROOT-ONLY-SECRET" > "$s/root-only"
    chmod 0600 "$s/root-only"
    echo "FERRY-WORLD-READABLE" > "$s/public"
    chmod 0644 "$s/public"
    raw_compile "$PORT" "$TEST_DIR/a" a.c "__asm__(\".section .data\\n.incbin \\\"$s/root-only\\\"\");"
    [ "$STATUS" = 0 ] || fail "not answered"
    [ "$(cat "$TEST_DIR/a/status")" != 0 ] || fail "the root-only file was read by the compile"
    # gas says "file not found" for any open failure; test b shows the file itself is fine.
    grep -q 'Permission denied\|file not found\|can.t open\|cannot open' "$TEST_DIR/a/stderr" ||
        fail "unexpected diagnostic: $(cat "$TEST_DIR/a/stderr")"
    ! grep -q FERRY-ROOT-ONLY-SECRET "$TEST_DIR/a/stderr" "$TEST_DIR/a/object" || fail "the secret leaked"
    raw_compile "$PORT" "$TEST_DIR/b" b.c "__asm__(\".section .data\\n.incbin \\\"$s/public\\\"\");"
    [ "$(cat "$TEST_DIR/b/status")" = 0 ] || fail "the world-readable include failed: $(cat "$TEST_DIR/b/stderr")"
    grep -q FERRY-WORLD-READABLE "$TEST_DIR/b/object" || fail "expected the documented hole: a world-readable file is readable"
}

# wait_gone PID...: all gone within 5 s.
wait_gone() {
    local i p alive
    for ((i = 0; i < 50; i++)); do
        alive=
        for p in "$@"; do kill -0 "$p" 2> /dev/null && alive="$alive $p"; done
        [ -z "$alive" ] && return 0
        sleep 0.1
    done
    fail "still running:$alive ($(ps -o pid,pgid,user,args -p "${*// /,}" 2> /dev/null | tail -n +2))"
}

# The client sends a request whose compile starts 'sleep 60', then hangs up.
client_disconnect_kills_the_group() {
    rm -f "$PROBE_DIR/sleep.pids"
    local hex
    hex=$(printf '# 1 "z.c"\nint z; /* FERRY_SLEEP */\n' | python3 "$CLIENT_PY" request gcc -c z.c -o z.o)
    python3 "$CLIENT_PY" raw "$PORT" - --hold 30 <<< "$hex" > "$TEST_DIR/client.out" 2>&1 &
    local client=$! i
    for ((i = 0; i < 300; i++)); do
        [ -s "$PROBE_DIR/sleep.pids" ] && break
        sleep 0.1
    done
    [ -s "$PROBE_DIR/sleep.pids" ] || fail "the compile did not start"
    read -r wrapper sleeper < "$PROBE_DIR/sleep.pids"
    kill -0 "$sleeper" || fail "no sleep process"
    kill "$client"
    wait "$client" 2> /dev/null
    wait_gone "$wrapper" "$sleeper"
    wait_log_line "$LOG" "client disconnected during the compile; compiler killed"
    wait_log_line "$LOG" "CLI_DISCONN status=- .*input=z.c"
}

lifetime_kills_a_long_compile() {
    rm -f "$PROBE_DIR/sleep.pids"
    local start=$SECONDS
    raw_compile "$PORT" "$TEST_DIR/l" long.c 'int l; /* FERRY_SLEEP */'
    [ "$STATUS" = 3 ] || fail "a compile past --job-lifetime was answered"
    [ $((SECONDS - start)) -lt 30 ] || fail "it took $((SECONDS - start)) s"
    read -r wrapper sleeper < "$PROBE_DIR/sleep.pids"
    wait_gone "$wrapper" "$sleeper"
    wait_log_line "$LOG" "ran longer than --job-lifetime \(12 s\); compiler killed"
    wait_log_line "$LOG" "COMPILE_TIMEOUT status=- .*input=long.c"
}

user_root_is_refused() {
    $ROOT || { note "not root: --user is ignored, skipped"; return 0; }
    capture root "$FERRYD" --no-detach --port 0 --user root
    [ "$STATUS" = 101 ] || fail "--user root: exit $STATUS, expected 101"
    grep -q 'uid 0' "$(err_file root)" || fail "no reason: $(cat "$(err_file root)")"
    capture nouser "$FERRYD" --no-detach --port 0 --user no-such-user-ferry
    [ "$STATUS" = 101 ] || fail "unknown --user: exit $STATUS, expected 101"
    # A TMPDIR the job user cannot write is found at start-up, not at the first job.
    mkdir -p "$TEST_DIR/private"
    chmod 0700 "$TEST_DIR/private"
    TMPDIR=$TEST_DIR/private capture private "$FERRYD" --no-detach --port 0
    [ "$STATUS" = 107 ] || fail "an unusable TMPDIR: exit $STATUS, expected 107"
    grep -q "cannot make a directory in '$TEST_DIR/private'" "$(err_file private)" ||
        fail "no reason: $(cat "$(err_file private)")"
}

TEST "the listening daemon itself: the job user, no-new-privileges, no groups" the_daemon_itself
TEST "a port below 1024: bound as root, served as the user" low_port
TEST "the compile process: not root, own process group, no-new-privs, limits, nice" the_compile_process
TEST "a hostile .incbin cannot read a root-only file" incbin
TEST "a client disconnect kills the compiler's process group" client_disconnect_kills_the_group
TEST "--job-lifetime kills a compile that runs too long" lifetime_kills_a_long_compile
TEST "--user root, an unknown user and an unusable TMPDIR are refused at start" user_root_is_refused
e2e_finish
