#!/usr/bin/env bash
# remote.require_identity (docs/policy.md) and the ferry-native FIDN packet (docs/protocol.md,
# "Compiler identity"), with real daemons on 127.0.0.1:
#   MATCH   a ferryd whose gcc is the local /usr/bin/gcc
#   OTHER1  a ferryd whose gcc is tests/fixtures/identity/other-gcc/gcc (compiles with the real
#   OTHER2  gcc, but its identity says version 99.1.0)
#   distccd the real distccd
# With the key on, jobs go only to MATCH (the daemons' logs show where they ran); with only
# OTHERs they compile here with one notice naming both identities; with the key off the OTHERs
# are used like any host; a distccd (not marked ,ferry) never gets a job or a FIDN.
# Also the probe's timeout: a compiler that hangs on the probe is killed with its process group.
#   identity.sh BIN_DIR

# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
e2e_init "$@"
# shellcheck source=daemon_lib.sh
. "$E2E_LIB_DIR/daemon_lib.sh"
require_distccd

LOCAL_VERSION=$(gcc -dumpfullversion)
OTHER_BIN=$FIXTURES/identity/other-gcc

NAMED_ENV=()
start_named_ferryd match
MATCH=$N_PORT MATCH_LOG=$N_LOG
NAMED_ENV=(DISTCCD_PATH="$OTHER_BIN:/usr/bin:/bin")
start_named_ferryd other1
OTHER1=$N_PORT OTHER1_LOG=$N_LOG
start_named_ferryd other2
OTHER2=$N_PORT OTHER2_LOG=$N_LOG
NAMED_ENV=()
start_distccd

setup() {
    cd c && mkdir -p build || fail "mkdir"
    CLIENT_LOG=$TEST_DIR/logs/ferry.log
    # A state directory per test: refusals are remembered there.
    mkdir -p "$TEST_DIR/ferry-dir"
    FERRY_ENV=(env FERRY_DIR="$TEST_DIR/ferry-dir" FERRY_LOG="$CLIENT_LOG" FERRY_IO_TIMEOUT=30
        FERRY_BACKOFF_PERIOD=0)
}

# count LOG REGEX: matching lines (0 when none or no log).
count() { grep -cE -- "$2" "$1" 2> /dev/null || true; }
refusals() { count "$1" "refused client=.*compiler identity differs"; }

compile_ok() { # NAME SRC HOSTS [VAR=value...]: a compile through ferry that matches the local one
    local name=$1 src=$2 hosts=$3 obj
    shift 3
    obj=build/$(basename "${src%.c}").o
    local_ref "$name" "$obj" gcc -O2 -Iinclude -DSCALE=3 -c "$src" -o "$obj"
    run_ok "$name.ferry" "${FERRY_ENV[@]}" FERRY_HOSTS="$hosts" "$@" \
        "$FERRY" gcc -O2 -Iinclude -DSCALE=3 -c "$src" -o "$obj"
    compare_outputs exact "$obj"
}

only_the_matching_host() {
    setup
    local m1 o1 o2 r1
    m1=$(count "$MATCH_LOG" COMPILE_OK)
    o1=$(count "$OTHER1_LOG" COMPILE_OK) o2=$(count "$OTHER2_LOG" COMPILE_OK)
    r1=$(refusals "$OTHER1_LOG")
    local hosts="127.0.0.1:$OTHER1,ferry 127.0.0.1:$MATCH,ferry"
    compile_ok vec src/vec.c "$hosts" FERRY_REQUIRE_IDENTITY=1
    wait_daemon_ok "$MATCH_LOG" "$m1"
    expect_ferry_job src/vec.c "127\.0\.0\.1:$MATCH \(protocol 1\): ok"
    wait_log_line "$OTHER1_LOG" "refused client=.*compiler identity differs: client has 'gcc x86_64-linux-gnu $LOCAL_VERSION', .* is 'gcc x86_64-linux-gnu 99\.1\.0"
    [ "$(refusals "$OTHER1_LOG")" = $((r1 + 1)) ] || fail "OTHER1 refused $(($(refusals "$OTHER1_LOG") - r1)) requests, expected 1"
    [ ! -s "$(err_file vec.ferry)" ] || fail "a job another host compiled printed: $(cat "$(err_file vec.ferry)")"
    # The refusal is remembered: the next jobs go to MATCH without asking OTHER1 again.
    compile_ok stats src/stats.c "$hosts" FERRY_REQUIRE_IDENTITY=1
    compile_ok report src/io/report.c "$hosts" FERRY_REQUIRE_IDENTITY=1
    expect_ferry_job src/io/report.c "127\.0\.0\.1:$MATCH \(protocol 1\): ok"
    [ "$(refusals "$OTHER1_LOG")" = $((r1 + 1)) ] || fail "OTHER1 was asked again despite its remembered refusal"
    [ "$(count "$OTHER1_LOG" COMPILE_OK)" = "$o1" ] || fail "OTHER1 compiled a job"
    [ "$(count "$OTHER2_LOG" COMPILE_OK)" = "$o2" ] || fail "OTHER2 compiled a job"
    # The configuration key does the same as the variable; protocol 2 carries FIDN too.
    rm -rf "$TEST_DIR/ferry-dir/identity"
    compile_ok vec2 src/vec.c "127.0.0.1:$OTHER2,ferry,lzo 127.0.0.1:$MATCH,ferry,lzo" \
        FERRY_SITE_POLICY="$TEST_DIR/policy.toml"
    expect_ferry_job src/vec.c "127\.0\.0\.1:$OTHER2 \(protocol 2\): ok"
    printf '[remote]\nrequire_identity = true\n' > "$TEST_DIR/policy.toml"
    compile_ok vec3 src/vec.c "127.0.0.1:$OTHER2,ferry,lzo 127.0.0.1:$MATCH,ferry,lzo" \
        FERRY_SITE_POLICY="$TEST_DIR/policy.toml"
    expect_ferry_job src/vec.c "127\.0\.0\.1:$MATCH \(protocol 2\): ok"
    wait_log_line "$OTHER2_LOG" "refused client=.*compiler identity differs"
}

all_mismatched_falls_back() {
    setup
    local o1 o2
    o1=$(count "$OTHER1_LOG" COMPILE_OK) o2=$(count "$OTHER2_LOG" COMPILE_OK)
    local hosts="127.0.0.1:$OTHER1,ferry 127.0.0.1:$OTHER2,ferry"
    local n
    for n in 1 2; do # the first asks both hosts, the second remembers their answers
        compile_ok "vec$n" src/vec.c "$hosts" FERRY_REQUIRE_IDENTITY=1
        expect_ferry_job src/vec.c "local: fallback: .*"
        local err
        err=$(err_file "vec$n.ferry")
        [ "$(wc -l < "$err")" = 1 ] || fail "expected one notice line, got: $(cat "$err")"
        grep -q "127.0.0.1:$OTHER1: compiler identity differs (host: 'gcc x86_64-linux-gnu 99.1.0 (ferry test stand-in)', local: 'gcc x86_64-linux-gnu $LOCAL_VERSION')" "$err" ||
            fail "the notice does not name both identities: $(cat "$err")"
        grep -q "127.0.0.1:$OTHER2: compiler identity differs" "$err" || fail "the notice does not name OTHER2: $(cat "$err")"
        grep -q "compiling src/vec.c locally$" "$err" || fail "not a local-compile notice: $(cat "$err")"
        echo "  notice $n: $(cat "$err")"
    done
    grep -q "(remembered)" "$(err_file vec2.ferry)" || fail "the second job asked the hosts again"
    [ "$(count "$OTHER1_LOG" COMPILE_OK)" = "$o1" ] && [ "$(count "$OTHER2_LOG" COMPILE_OK)" = "$o2" ] ||
        fail "a mismatched host compiled a job"
    # Without fallback: no usable host, exit 116.
    rm -rf "$TEST_DIR/ferry-dir/identity"
    capture nofb "${FERRY_ENV[@]}" FERRY_HOSTS="$hosts" FERRY_REQUIRE_IDENTITY=1 FERRY_FALLBACK=0 \
        "$FERRY" gcc -Iinclude -c src/vec.c -o build/nofb.o
    [ "$STATUS" = 116 ] || fail "FERRY_FALLBACK=0 with only mismatched hosts exited $STATUS, expected 116"
    expect_missing build/nofb.o
}

key_off_uses_every_host() {
    setup
    local o1 m1 r1
    o1=$(count "$OTHER1_LOG" COMPILE_OK) m1=$(count "$MATCH_LOG" COMPILE_OK) r1=$(refusals "$OTHER1_LOG")
    compile_ok vec src/vec.c "127.0.0.1:$OTHER1,ferry 127.0.0.1:$MATCH,ferry"
    expect_ferry_job src/vec.c "127\.0\.0\.1:$OTHER1 \(protocol 1\): ok"
    wait_daemon_ok "$OTHER1_LOG" "$o1"
    compile_ok stats src/stats.c "127.0.0.1:$MATCH,ferry 127.0.0.1:$OTHER1,ferry" FERRY_REQUIRE_IDENTITY=0
    expect_ferry_job src/stats.c "127\.0\.0\.1:$MATCH \(protocol 1\): ok"
    wait_daemon_ok "$MATCH_LOG" "$m1"
    [ "$(refusals "$OTHER1_LOG")" = "$r1" ] || fail "without the key a request carried an identity"
}

distccd_is_not_used() {
    setup
    local before m1
    before=$(count "$DISTCCD_LOG" COMPILE_OK)
    m1=$(count "$MATCH_LOG" COMPILE_OK)
    # Listed first, distccd would get the job; not marked ,ferry it cannot prove its identity.
    compile_ok vec src/vec.c "127.0.0.1:$DISTCCD_PORT 127.0.0.1:$MATCH,ferry" FERRY_REQUIRE_IDENTITY=1
    expect_ferry_job src/vec.c "127\.0\.0\.1:$MATCH \(protocol 1\): ok"
    wait_daemon_ok "$MATCH_LOG" "$m1"
    # Alone, it is not used either: a local compile with the reason.
    compile_ok stats src/stats.c "127.0.0.1:$DISTCCD_PORT" FERRY_REQUIRE_IDENTITY=1
    expect_ferry_job src/stats.c "local: fallback: .*"
    grep -q "127.0.0.1:$DISTCCD_PORT: not marked ,ferry, so it cannot prove its compiler identity" "$(err_file stats.ferry)" ||
        fail "unexpected notice: $(cat "$(err_file stats.ferry)")"
    sleep 0.5
    [ "$(count "$DISTCCD_LOG" COMPILE_OK)" = "$before" ] || fail "distccd compiled a job"
    # Without the key it is an ordinary host, and nothing ferry-native reaches it.
    compile_ok report src/io/report.c "127.0.0.1:$DISTCCD_PORT"
    expect_ferry_job src/io/report.c "127\.0\.0\.1:$DISTCCD_PORT \(protocol 1\): ok"
    wait_daemon_ok "$DISTCCD_LOG" "$before" # so the count above could have seen a job
}

hanging_compiler_probe() {
    setup
    printf 'int x;\n' > x.c
    local start took
    start=$(date +%s)
    capture plan env PATH="$FIXTURES/identity/hang:$PATH" FERRY_DIR="$TEST_DIR/ferry-dir" "$FERRY" --plan cc -c x.c
    took=$(($(date +%s) - start))
    [ "$STATUS" = 118 ] || fail "ferry --plan on a hanging compiler exited $STATUS, expected 118 (timeout)"
    [ "$took" -lt 30 ] || fail "the probe took ${took}s"
    local err
    err=$(err_file plan)
    [ "$(wc -l < "$err")" = 1 ] || fail "expected one error line, got: $(cat "$err")"
    grep -Eq "^ferry(\[[0-9]+\])?:? error: probing $FIXTURES/identity/hang/cc with -E took longer than 10 s; killed it" "$err" ||
        fail "unexpected error: $(cat "$err")"
    echo "  $(cat "$err") (after ${took}s)"
    sleep 0.5
    ! pgrep -f "sleep 317" > /dev/null || fail "the hanging compiler's child survived the timeout"
}

TEST "require_identity: jobs go only to the ferryd whose compiler matches" only_the_matching_host
TEST "require_identity: only mismatched hosts -> local compile, notice names both identities" all_mismatched_falls_back
TEST "require_identity off: mismatched hosts are used like any other" key_off_uses_every_host
TEST "require_identity: a distccd (not ,ferry) is not used" distccd_is_not_used
TEST "a compiler that hangs on the probe: killed after 10 s, one line, exit 118" hanging_compiler_probe
e2e_finish
