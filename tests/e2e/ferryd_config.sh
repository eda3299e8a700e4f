#!/usr/bin/env bash
# `ferryd --show-config` (docs/ferryd.md, docs/policy.md): every daemon.* value with its origin
# (file:line:column, the command line, default), flags overriding files unless the site policy
# enforces the key, and a broken file or value as one FILE:LINE:COLUMN line with exit 101.
#   ferryd_config.sh BIN_DIR

# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
e2e_init "$@"
SITE=$FERRY_SITE_POLICY
DAEMON=$FERRY_DAEMON_POLICY

setup() {
    mkdir -p "$(dirname "$SITE")"
    rm -f "$SITE" "$DAEMON"
}

# expect_line NAME REGEX: a line of NAME's stdout matches (grep -E).
expect_line() {
    grep -Eq -- "$2" "$TEST_DIR/logs/$1.out" || fail "no line matching '$2' in ferryd --show-config:
$(cat "$TEST_DIR/logs/$1.out")"
}

origins() {
    setup
    printf '[daemon]\njobs = 4\nport = 4000\n' > "$SITE"
    printf '# the daemon policy\n[daemon]\nnice = 7\nallow = ["10.0.0.0/8"]\n' > "$DAEMON"
    run_ok show "$FERRYD" --jobs 9 --job-memory 512 --show-config --port-file /nonexistent/p
    cat "$TEST_DIR/logs/show.out" | sed 's/^/  | /'
    expect_line show "^# ferryd configuration: "
    expect_line show "^# file read: $SITE$"
    expect_line show "^# file read: $DAEMON$"
    expect_line show "^daemon\.jobs = 9 +# command line \(--jobs 9\)$"
    expect_line show "^daemon\.port = 4000 +# $SITE:3:1$"
    expect_line show "^daemon\.nice = 7 +# $DAEMON:3:1$"
    expect_line show "^  \"10\.0\.0\.0/8\", +# $DAEMON:4:10$"
    expect_line show "^daemon\.job_memory = 536870912 +# command line \(--job-memory 512\)$"
    expect_line show "^daemon\.stats_port = 3633 +# default$"
    # Only the daemon's keys, and nothing was started (no port file).
    ! grep -q "^client\." "$TEST_DIR/logs/show.out" || fail "client keys in ferryd --show-config"
    [ ! -s "$(err_file show)" ] || fail "stderr: $(cat "$(err_file show)")"
    # --config names the daemon file instead of FERRY_DAEMON_POLICY.
    printf '[daemon]\nnice = 11\n' > "$TEST_DIR/other.toml"
    run_ok show2 "$FERRYD" --config "$TEST_DIR/other.toml" --show-config
    expect_line show2 "^daemon\.nice = 11 +# $TEST_DIR/other\.toml:2:1$"
}

enforced() {
    setup
    printf 'enforce = ["daemon.jobs", "daemon.allow"]\n[daemon]\njobs = 3\nallow = ["10.0.0.0/8"]\n' > "$SITE"
    run_ok show "$FERRYD" --jobs 9 --allow 0.0.0.0/0 --nice 2 --show-config
    expect_line show "^daemon\.jobs = 3 +# $SITE:3:1 \(enforced by $SITE:1:"
    expect_line show "^daemon\.nice = 2 +# command line \(--nice 2\)$"
    ! grep -q "0\.0\.0\.0/0" "$TEST_DIR/logs/show.out" || fail "an enforced list took the flag's network"
    grep -q "^ferryd: notice: command line (--jobs 9): daemon.jobs is enforced by $SITE:1:" "$(err_file show)" ||
        fail "no notice for the ignored flag: $(cat "$(err_file show)")"
    # That the daemon then runs with the enforced value: daemon_policy_test
    # (DaemonPolicy.EnforcedKeysIgnoreTheirFlags).
}

broken() {
    setup
    printf '[daemon]\njobs = 4\nnice = "high"\n' > "$DAEMON"
    capture bad "$FERRYD" --show-config
    [ "$STATUS" = 101 ] || fail "ferryd --show-config with a broken file exited $STATUS, expected 101"
    [ "$(wc -l < "$(err_file bad)")" = 1 ] || fail "expected one line: $(cat "$(err_file bad)")"
    grep -q "^ferryd: error: $DAEMON:3:8: daemon.nice: expected an integer" "$(err_file bad)" ||
        fail "message: $(cat "$(err_file bad)")"
    [ ! -s "$TEST_DIR/logs/bad.out" ] || fail "printed a configuration anyway"
    # A flag value outside its key's range (daemon.nice: 0..19) is one line naming the flag, exit 101.
    rm -f "$DAEMON"
    capture badflag "$FERRYD" --nice 30 --show-config
    [ "$STATUS" = 101 ] || fail "--nice 30 --show-config exited $STATUS"
    grep -q "^ferryd: error: invalid value '30' for --nice: must be in 0\.\.19$" "$(err_file badflag)" ||
        fail "message: $(cat "$(err_file badflag)")"
    [ "$(wc -l < "$(err_file badflag)")" = 1 ] || fail "more than one line: $(cat "$(err_file badflag)")"
}

TEST "ferryd --show-config: values and origins, flags as the command line" origins
TEST "ferryd --show-config: an enforced key ignores its flag, with a notice" enforced
TEST "ferryd --show-config: a broken file is one FILE:LINE:COLUMN line, exit 101" broken
e2e_finish
