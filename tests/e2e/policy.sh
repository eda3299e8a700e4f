#!/usr/bin/env bash
# Site policy in TOML (docs/policy.md): the layers and their order, enforced keys, provenance in
# --show-config, precise one-line errors (exit 101 for ferry's own commands, a local compile
# during a build, a refused start for ferryd), and the shipped examples in config/ doing what
# their comments say.
#   policy.sh BIN_DIR

# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
e2e_init "$@"
EXAMPLES=$REPO_ROOT/config
SITE=$FERRY_SITE_POLICY
USER_CONF=$XDG_CONFIG_HOME/ferry/config.toml

setup() {
    mkdir -p "$(dirname "$SITE")" "$(dirname "$USER_CONF")"
    rm -f "$SITE" "$USER_CONF" "$(dirname "$SITE")/ferryd.toml"
    CLIENT_LOG=$TEST_DIR/logs/ferry.log
    touch "$CLIENT_LOG"
}

# show NAME [--set K=V ...]: ferry --show-config, which must succeed.
show() {
    local name=$1
    shift
    run_ok "$name" "$FERRY" "$@" --show-config
}

# expect_line NAME REGEX: a line of NAME's stdout matches (grep -E).
expect_line() {
    grep -Eq -- "$2" "$TEST_DIR/logs/$1.out" || fail "no line matching '$2' in --show-config:
$(cat "$TEST_DIR/logs/$1.out")"
}

layers_in_order() {
    setup
    printf '[client]\nstrategy = "site"\nbackoff_period = 1\nconnect_timeout = 1\nio_timeout = 1\nfallback = true\n' > "$SITE"
    printf '[client]\nstrategy = "user"\nbackoff_period = 2\nconnect_timeout = 2\nio_timeout = 2\n' > "$USER_CONF"
    mkdir -p proj/.git proj/src/deep
    printf 'client.strategy = "project"\nclient.backoff_period = 3\nclient.connect_timeout = 3\n' > proj/.ferry.toml
    cd proj/src/deep || fail "cd"
    FERRY_BACKOFF_PERIOD=4 FERRY_CONNECT_TIMEOUT=4 show all --set client.connect_timeout=5
    expect_line all "^client\.fallback = true +# $SITE:6:1\$"
    expect_line all "^client\.io_timeout = 2 +# $USER_CONF:5:1\$"
    expect_line all "^client\.strategy = \"project\" +# .*/proj/\.ferry\.toml:1:1\$"
    expect_line all "^client\.backoff_period = 4 +# FERRY_BACKOFF_PERIOD\$"
    expect_line all "^client\.connect_timeout = 5 +# --set client\.connect_timeout\$"
    expect_line all "^log\.quiet = false +# default\$"
    expect_line all "^# file read: $SITE\$"
    # Above the repository root nothing is read: the project file is not found from outside.
    mkdir -p ../../../other/.git && cd ../../../other || fail "cd"
    show outside
    expect_line outside "^client\.strategy = \"user\" +# $USER_CONF:2:1\$"
}

enforced_key_names_the_site_file() {
    setup
    printf 'enforce = ["client.fallback"]\n[client]\nfallback = false\n' > "$SITE"
    printf '[client]\nfallback = true\n' > "$USER_CONF"
    FERRY_FALLBACK=1 show enf
    expect_line enf "^client\.fallback = false +# $SITE:3:1 \(enforced by $SITE:1:12\)\$"
    local err
    err=$(err_file enf)
    grep -q "^ferry: notice: $USER_CONF:2:1: client.fallback is enforced by $SITE:1:12; this setting is ignored\$" "$err" ||
        fail "no notice naming the enforcing file: $(cat "$err")"
    grep -q "FERRY_FALLBACK: client.fallback is enforced by $SITE:1:12" "$err" ||
        fail "the environment's attempt is not reported: $(cat "$err")"
}

# bad_file NAME TEXT REGEX: a user file with TEXT makes --show-config and --plan exit 101 with
# exactly one stderr line matching REGEX.
bad_file() {
    printf '%b' "$2" > "$USER_CONF"
    capture "$1" "$FERRY" --show-config
    [ "$STATUS" = 101 ] || fail "$1: --show-config exited $STATUS, expected 101"
    [ "$(wc -l < "$(err_file "$1")")" = 1 ] || fail "$1: expected one line: $(cat "$(err_file "$1")")"
    grep -Eq -- "^$USER_CONF:$3" "$(err_file "$1")" || fail "$1: message '$(cat "$(err_file "$1")")' does not match '$3'"
    echo "  $1: $(cat "$(err_file "$1")")"
    capture "$1.plan" "$FERRY" --plan gcc -c c/src/vec.c
    [ "$STATUS" = 101 ] || fail "$1: --plan exited $STATUS, expected 101"
}

broken_files_are_one_precise_line() {
    setup
    bad_file malformed '[client\nfallback = true\n' '1:[0-9]+: '
    bad_file unknown '[client]\nfallbak = true\n' "2:1: unknown key 'client.fallbak' \(expected a known key; did you mean 'client.fallback'\?\)\$"
    bad_file type '[client]\nio_timeout = "soon"\n' "2:14: client.io_timeout: expected a number of seconds in 0.001..86400, found 'soon'\$"
    bad_file impossible 'client.backoff_period = -5\n' '1:25: client.backoff_period: expected a number of seconds in 0..86400, found -5$'
    bad_file layer '[daemon]\njobs = 4\n' '2:1: daemon.jobs: cannot be set in a user file \(only: site, command line\)$'
    bad_file group '[hosts]\ngroup = "nope"\n' "2:1: hosts.group: expected a group defined in hosts.groups \(none defined\), found 'nope'\$"
}

broken_user_file_does_not_break_the_build() {
    setup
    printf '[client]\nfallback = maybe\n' > "$USER_CONF"
    cd c && mkdir -p build || fail "cd"
    local_ref vec build/vec.o gcc -O2 -Iinclude -c src/vec.c -o build/vec.o
    # The host list would fail the compile if it were used (dead port, no fallback).
    run_ok vec.ferry env FERRY_HOSTS="127.0.0.1:$(dead_port)" FERRY_FALLBACK=0 \
        "$FERRY" gcc -O2 -Iinclude -c src/vec.c -o build/vec.o
    compare_outputs exact build/vec.o
    local err
    err=$(err_file vec.ferry)
    [ "$(wc -l < "$err")" = 1 ] || fail "expected one warning line: $(cat "$err")"
    grep -q "^ferry\[[0-9]*\] warning: $USER_CONF:2:12: .*; compiling locally\$" "$err" ||
        fail "the warning does not name the file, line and column: $(cat "$err")"
}

# The shipped site policy, as /etc/ferry/policy.toml, with FERRY_HOSTS standing in for the
# farm (a higher layer than the site's group).
example_site_policy_effects() {
    setup
    cp "$EXAMPLES/policy.toml" "$SITE"
    show example
    local line
    line() { grep -n -- "$1" "$SITE" | head -1 | cut -d: -f1; }
    # Teams: group "toolchain" is chosen by the site; FERRY_HOST_GROUP picks another.
    run_ok hosts "$FERRY" --show-hosts
    [ "$(out_of hosts)" = "$(printf 'build1.example.com/8\nbuild2.example.com/8')" ] || fail "hosts: $(out_of hosts)"
    run_ok hosts.gfx env FERRY_HOST_GROUP=graphics "$FERRY" --show-hosts
    grep -q '^gfx1.example.com/16,lzo$' "$TEST_DIR/logs/hosts.gfx.out" || fail "graphics group: $(out_of hosts.gfx)"
    # Compiler mapping: cc is Sun CC here; the cross compiler is gcc-family.
    expect_line example "^compilers\.cc = \"suncc\" +# $SITE:$(line '^cc = ')"
    expect_line example "^compilers\.\"i686-linux-gcc-3\.2\" = \"gcc\" +# $SITE:"
    capture plan.cc "$FERRY" --plan cc -c c/src/vec.c
    grep -Eq "^plugin: suncc|compilers.cc = \"suncc\" \($SITE:[0-9]+:[0-9]+\): no plugin named 'suncc'" \
        "$TEST_DIR/logs/plan.cc.out" "$(err_file plan.cc)" || fail "cc was not mapped to suncc: $(out_of plan.cc) $(cat "$(err_file plan.cc)")"
    # Remote name: gcc runs as x86_64-linux-gnu-gcc-12 on the host.
    run_ok plan.gcc "$FERRY" --plan gcc -Ic/include -c c/src/vec.c -o vec.o
    grep -q '^remote: x86_64-linux-gnu-gcc-12 ' "$TEST_DIR/logs/plan.gcc.out" || fail "remote name: $(out_of plan.gcc)"
    # Force-local rules, each naming its line.
    run_ok plan.native "$FERRY" --plan gcc -march=native -c c/src/vec.c -o vec.o
    grep -q "^reason: site policy: local.flags '-march=native' matches '-march=native' ($SITE:$(line '^flags = ')" \
        "$TEST_DIR/logs/plan.native.out" || fail "-march=native: $(out_of plan.native)"
    run_ok plan.cross "$FERRY" --plan i686-linux-gcc-3.2 -c c/src/vec.c -o vec.o
    grep -q "^reason: site policy: local.compilers 'i686-linux-gcc-3.2'" "$TEST_DIR/logs/plan.cross.out" ||
        fail "cross compiler: $(out_of plan.cross)"
    mkdir -p third_party/z && cp c/src/vec.c third_party/z/z.c
    run_ok plan.vendored "$FERRY" --plan gcc -Ic/include -c third_party/z/z.c -o z.o
    grep -q "^reason: site policy: local.sources 'third_party/\*' matches 'third_party/z/z.c'" \
        "$TEST_DIR/logs/plan.vendored.out" || fail "vendored source: $(out_of plan.vendored)"
    # Enforced: a user cannot drop the flag rules.
    printf '[local]\nflags = []\n' > "$USER_CONF"
    run_ok plan.user "$FERRY" --plan gcc -march=native -c c/src/vec.c -o vec.o
    grep -q "^reason: site policy: local.flags" "$TEST_DIR/logs/plan.user.out" || fail "enforcement: $(out_of plan.user)"
    grep -q "local.flags is enforced by $SITE:" "$(err_file plan.user)" || fail "no notice: $(cat "$(err_file plan.user)")"
    # Client settings.
    expect_line example "^client\.connect_timeout = 6 +# $SITE:"
    expect_line example "^client\.io_timeout = 600 +# $SITE:"
}

# A real compile through ferryd with the site's remote name and a force-local rule.
remote_name_and_force_local_compile() {
    setup
    printf '[remote]\nnames.gcc = "x86_64-linux-gnu-gcc-12"\n[local]\nflags = ["-DLOCAL_ONLY*"]\n' > "$SITE"
    cd c && mkdir -p build || fail "cd"
    use_client ferry "$(hostspec "$FERRYD_PORT" 1)"
    local_ref vec build/vec.o gcc -O2 -Iinclude -c src/vec.c -o build/vec.o
    run_ok vec.ferry "${CLIENT[@]}" gcc -O2 -Iinclude -c src/vec.c -o build/vec.o
    compare_outputs exact build/vec.o
    expect_ferry_job src/vec.c "127\.0\.0\.1:$FERRYD_PORT .*ok.*"
    grep -q "COMPILE_OK .*compiler=x86_64-linux-gnu-gcc-12 " "$FERRYD_LOG" || fail "the daemon did not run x86_64-linux-gnu-gcc-12"
    local_ref stats build/stats.o gcc -DLOCAL_ONLY=1 -Iinclude -c src/stats.c -o build/stats.o
    run_ok stats.ferry "${CLIENT[@]}" gcc -DLOCAL_ONLY=1 -Iinclude -c src/stats.c -o build/stats.o
    compare_outputs exact build/stats.o
    expect_ferry_job src/stats.c "local: site policy: local.flags '-DLOCAL_ONLY\*' matches '-DLOCAL_ONLY=1' \($SITE:4:10\)"
}

# ferryd with the shipped daemon policy: flags override it; a compiler outside
# allowed_compilers is refused; loopback is not an allowed network unless --allow says so.
example_daemon_policy() {
    setup
    local dir=$WORK/daemons/example
    mkdir -p "$dir"
    cp "$EXAMPLES/ferryd.toml" "$dir/ferryd.toml"
    # The example's stats port (3633) may be taken on a shared machine: the flag wins.
    local extra=()
    "$FERRYD" --help | grep -q -- '--stats-port' && extra=(--stats-port 0)
    "$FERRYD" --no-detach --listen 127.0.0.1 --port 0 --port-file "$dir/port" --log-stderr \
        --allow 127.0.0.1 --config "$dir/ferryd.toml" "${extra[@]}" > /dev/null 2> "$dir/log" < /dev/null &
    local pid=$! i
    g_daemon_pids+=("$pid")
    for ((i = 0; i < 100; i++)); do [ -s "$dir/port" ] && port_listening "$(cat "$dir/port")" && break; sleep 0.1; done
    local port
    port=$(cat "$dir/port") || fail "ferryd with the example policy did not start: $(cat "$dir/log")"
    cd c && mkdir -p build || fail "cd"
    use_client ferry "127.0.0.1:$port"
    run_ok ok.ferry "${CLIENT[@]}" gcc -Iinclude -c src/vec.c -o build/vec.o
    expect_exists build/vec.o
    capture refused.ferry "${CLIENT[@]}" gcc-12 -Iinclude -c src/stats.c -o build/stats.o
    [ "$STATUS" != 0 ] || fail "gcc-12 is not in allowed_compilers, yet the job succeeded without fallback"
    grep -q "refused client=127.0.0.1.*compiler 'gcc-12' is not allowed by the daemon policy (daemon.allowed_compilers at $dir/ferryd.toml:[0-9]*:[0-9]*)" "$dir/log" ||
        fail "the daemon log does not name the policy: $(cat "$dir/log")"
    stop_pid "$pid"
    # Without --allow, the policy's networks apply and loopback is refused.
    rm -f "$dir/port"
    "$FERRYD" --no-detach --listen 127.0.0.1 --port 0 --port-file "$dir/port" --log-stderr \
        --config "$dir/ferryd.toml" "${extra[@]}" > /dev/null 2> "$dir/log2" < /dev/null &
    pid=$!
    g_daemon_pids+=("$pid")
    for ((i = 0; i < 100; i++)); do [ -s "$dir/port" ] && port_listening "$(cat "$dir/port")" && break; sleep 0.1; done
    use_client ferry "127.0.0.1:$(cat "$dir/port")"
    capture acl.ferry "${CLIENT[@]}" gcc -Iinclude -c src/vec.c -o build/vec2.o
    [ "$STATUS" != 0 ] || fail "loopback is not in the example's allow list, yet the job was served"
    stop_pid "$pid"
    grep -q "refused client=127.0.0.1" "$dir/log2" || fail "no refusal logged: $(cat "$dir/log2")"
}

broken_daemon_policy_stops_ferryd() {
    setup
    printf '[daemon]\njobs = 4\nallow = ["10.0.0.0/40"]\n' > "$WORK/etc/ferryd.toml"
    capture ferryd.bad "$FERRYD" --no-detach --port 0 --log-stderr
    [ "$STATUS" = 101 ] || fail "ferryd started (or exited $STATUS) with a broken daemon policy"
    grep -q "^ferryd: error: $WORK/etc/ferryd.toml:3:10: daemon.allow: expected a network" "$(err_file ferryd.bad)" ||
        fail "message: $(cat "$(err_file ferryd.bad)")"
    printf '[daemon]\njobz = 4\n' > "$SITE"
    capture ferryd.site "$FERRYD" --no-detach --port 0 --log-stderr
    [ "$STATUS" = 101 ] || fail "ferryd started with a broken site policy"
    grep -q "^ferryd: error: $SITE:2:1: unknown key 'daemon.jobz'" "$(err_file ferryd.site)" ||
        fail "message: $(cat "$(err_file ferryd.site)")"
}

# The systemd unit's ExecStart names only options ferryd knows.
systemd_unit_flags_are_valid() {
    local exec
    exec=$(sed -n 's/^ExecStart=//p' "$EXAMPLES/ferryd.service")
    [ -n "$exec" ] || fail "no ExecStart in ferryd.service"
    read -r -a words <<< "$exec"
    [ "${words[0]}" = /usr/bin/ferryd ] || fail "ExecStart runs ${words[0]}"
    run_ok unit "$FERRYD" "${words[@]:1}" --version
    if command -v systemd-analyze > /dev/null 2>&1; then
        note "systemd-analyze is installed; not run (it would need the binary at /usr/bin/ferryd)"
    fi
}

start_ferryd
TEST "layers are read in order, with provenance" layers_in_order
TEST "an enforced key names the site file" enforced_key_names_the_site_file
TEST "broken files are one precise line, exit 101" broken_files_are_one_precise_line
TEST "a broken user file does not break the build" broken_user_file_does_not_break_the_build
TEST "config/policy.toml: its stated effects hold" example_site_policy_effects
TEST "remote name rewriting and a force-local rule in real compiles" remote_name_and_force_local_compile
TEST "config/ferryd.toml: allowed compilers and networks" example_daemon_policy
TEST "a broken daemon policy stops ferryd" broken_daemon_policy_stops_ferryd
TEST "config/ferryd.service: ExecStart flags are ferryd's" systemd_unit_flags_are_valid
e2e_finish
