# shellcheck shell=bash
# Helpers shared by the ferryd suites (hostile.sh, load.sh, privileges.sh, stats.sh); sourced
# after lib.sh and e2e_init.

CLIENT_PY=$E2E_LIB_DIR/ferryd_client.py

# start_named_ferryd NAME [ferryd args...]: a ferryd of its own in $WORK/daemons/NAME, logging to
# a file (--log-file, so SIGHUP can be tested), with a pid file; environment assignments for it
# go in the NAMED_ENV array. Sets N_DIR, N_PORT, N_PID, N_LOG, N_PIDFILE.
start_named_ferryd() {
    local name=$1 i
    shift
    N_DIR=$WORK/daemons/$name
    mkdir -p "$N_DIR"
    give_to_ferryd_user "$N_DIR"
    N_LOG=$N_DIR/log
    N_PIDFILE=$N_DIR/pid
    env "${NAMED_ENV[@]}" "$FERRYD" --no-detach --listen 127.0.0.1 --port 0 --port-file "$N_DIR/port" \
        --pid-file "$N_PIDFILE" --log-file "$N_LOG" "$@" > "$N_DIR/stdout" 2> "$N_DIR/stderr" < /dev/null &
    N_PID=$!
    g_daemon_pids+=("$N_PID")
    guard_daemon "$N_PID"
    for ((i = 0; i < DAEMON_START_TIMEOUT * 10; i++)); do
        if [ -s "$N_DIR/port" ]; then
            N_PORT=$(cat "$N_DIR/port")
            if [[ $N_PORT =~ ^[0-9]+$ ]] && port_listening "$N_PORT"; then
                echo "e2e: ferryd '$name' pid $N_PID listening on 127.0.0.1:$N_PORT"
                return 0
            fi
        fi
        if ! kill -0 "$N_PID" 2> /dev/null; then
            wait "$N_PID"
            echo "FAIL: ferryd '$name' exited with status $? before listening:" >&2
            sed 's/^/  | /' "$N_DIR/stderr" "$N_LOG" >&2 2> /dev/null
            exit 1
        fi
        sleep 0.1
    done
    echo "FAIL: ferryd '$name' did not listen within ${DAEMON_START_TIMEOUT}s" >&2
    exit 1
}

# wait_log_line LOG REGEX [TENTHS]: waits (default 10 s) for a line matching REGEX in LOG.
wait_log_line() {
    local log=$1 re=$2 tenths=${3:-100} i
    for ((i = 0; i < tenths; i++)); do
        grep -qE -- "$re" "$log" 2> /dev/null && return 0
        sleep 0.1
    done
    fail "no line /$re/ in $log"
}

# A compiler wrapper named gcc, for DISTCCD_PATH: it reports on the compile it is part of and can
# be made slow, then runs the real gcc. Markers in the preprocessed source steer it:
#   FERRY_PROBE  write facts about this process to $PROBE_DIR/probe.txt
#   FERRY_SLOW   sleep 5 s first
#   FERRY_SLEEP  start 'sleep 60' and wait for it (write "PID SLEEP_PID" to $PROBE_DIR/sleep.pids)
# It runs as the daemon's job user, so $PROBE_DIR is world-writable.
make_wrapper_gcc() {
    WRAPPER_DIR=$WORK/wrapper-bin
    PROBE_DIR=$WORK/probe
    mkdir -p "$WRAPPER_DIR" "$PROBE_DIR"
    chmod 1777 "$PROBE_DIR"
    cat > "$WRAPPER_DIR/gcc" << EOF2
#!/bin/sh
for a; do case \$a in *.i) in=\$a ;; esac; done
if grep -q FERRY_PROBE "\$in"; then
    {
        echo "uid \$(id -u)"
        echo "pid \$\$"
        echo "pgid \$(ps -o pgid= -p \$\$ | tr -d ' ')"
        grep NoNewPrivs /proc/self/status | tr -d '\t'
        echo "cpu \$(ulimit -t)"
        echo "as \$(ulimit -v)"
        echo "fsize \$(ulimit -f)"
        echo "core \$(ulimit -c)"
        echo "nice \$(nice)"
    } > "$PROBE_DIR/probe.txt"
fi
if grep -q FERRY_SLOW "\$in"; then sleep 5; fi
if grep -q FERRY_SLEEP "\$in"; then
    sleep 60 &
    echo "\$\$ \$!" > "$PROBE_DIR/sleep.pids"
    wait
fi
exec /usr/bin/gcc "\$@"
EOF2
    chmod 0755 "$WRAPPER_DIR/gcc"
}

# raw_compile PORT DIR NAME.c BODY [ARGS...]: writes DIR/NAME.i with a line marker and BODY, sends it
# with 'gcc -O2 -c NAME.c -o NAME.o' (plus ARGS) through ferryd_client.py; the answer lands in
# DIR (status, stderr, object). Sets STATUS (0 answered, 3 closed unanswered).
raw_compile() {
    local port=$1 dir=$2 src=$3 body=$4
    shift 4
    mkdir -p "$dir"
    printf '# 1 "%s"\n%s\n' "$src" "$body" > "$dir/${src%.c}.i"
    capture "raw-${src%.c}" python3 "$CLIENT_PY" compile "$port" "$dir/${src%.c}.i" "$dir" \
        gcc -O2 "$@" -c "$src" -o "${src%.c}.o"
}
