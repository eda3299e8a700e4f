#!/usr/bin/env bash
# ferry's plugin conformance kit: runs a table of command lines through a plugin and checks
#   - the verdict `ferry --plan` prints (distribute, or local with the reason's name), and
#   - for `equiv` cases whose compiler is installed, that compiling through ferry and a real
#     ferryd on 127.0.0.1 leaves exactly what a local compile leaves: the same files (object,
#     .d, anything else written) byte for byte, the same stdout, stderr and exit status.
#
# Usage: kit.sh --bin DIR [--plugin-dir DIR]... [--expect-plugin NAME] [--path DIR]...
#               [--env VAR=VALUE]... [--tree DIR] [--keep] CASES_FILE...
#   --bin DIR          where ferry and ferryd are (a build's bin/ or an install's bin/)
#   --plugin-dir DIR   an extra plugin directory (FERRY_PLUGIN_PATH, ferryd --plugin-path)
#   --expect-plugin N  every case must be planned by plugin N (not silently by another)
#   --path DIR         put DIR first on PATH (e.g. a stand-in compiler's directory)
#   --env VAR=VALUE    set VAR for ferry, ferryd and the local compiles
#   --tree DIR         the source tree equiv cases run in (a fresh copy per case)
# The same settings can be given inside a cases file, before its first case, as directives:
#   %plugin NAME    %path DIR    %env VAR=VALUE    %tree DIR
# (relative DIRs are relative to the cases file). Case lines (docs/plugin-guide.md):
#   distribute COMPILER ARGS...       the plan must distribute
#   local:REASON COMPILER ARGS...     the plan must keep the job local with REASON, the name
#                                     `ferry --plan` prints (core/plan reason_name())
#   equiv COMPILER ARGS...            the equivalence run described above
# ARGS are split as a shell splits them (quotes, backslashes), with no expansion. Blank lines
# and lines starting with # are ignored.
# Exit status: 0 all cases passed (equiv cases of missing compilers are reported as skipped),
# 1 a case failed, 2 bad usage or a malformed cases file.
set -uo pipefail

die() { echo "kit: $*" >&2; exit 2; }

bin_dir="" expect_plugin="" tree="" keep=0
plugin_dirs=() path_dirs=() envs=() cases_files=()
while [ $# -gt 0 ]; do
    case $1 in
    --bin) bin_dir=${2:?}; shift 2 ;;
    --plugin-dir) plugin_dirs+=("$(cd "${2:?}" && pwd)") || die "no directory $2"; shift 2 ;;
    --expect-plugin) expect_plugin=${2:?}; shift 2 ;;
    --path) path_dirs+=("$(cd "${2:?}" && pwd)") || die "no directory $2"; shift 2 ;;
    --env) envs+=("${2:?}"); shift 2 ;;
    --tree) tree=$(cd "${2:?}" && pwd) || die "no directory $2"; shift 2 ;;
    --keep) keep=1; shift ;;
    -h | --help) sed -n '2,/^set -uo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    -*) die "unknown option $1 (see --help)" ;;
    *) cases_files+=("$1"); shift ;;
    esac
done
[ -n "$bin_dir" ] || die "--bin DIR is required (see --help)"
[ ${#cases_files[@]} -gt 0 ] || die "no cases file given (see --help)"
FERRY=$(cd "$bin_dir" && pwd)/ferry
FERRYD=$(dirname "$FERRY")/ferryd
[ -x "$FERRY" ] && [ -x "$FERRYD" ] || die "no ferry/ferryd in $bin_dir"

# Nothing from the caller's environment may steer ferry or the compilers.
for v in $(compgen -e); do
    case $v in
    FERRY_* | _FERRY_* | DISTCC_* | _DISTCC_* | DEPENDENCIES_OUTPUT | SUNPRO_DEPENDENCIES | CCACHE_*) unset "$v" ;;
    esac
done
export LC_ALL=C
unset LANG LANGUAGE

WORK=$(mktemp -d "${TMPDIR:-/tmp}/ferry-kit.XXXXXX") || die "mktemp failed"
mkdir -p "$WORK/tmp" "$WORK/state"
# ferryd started as root runs compilers as an unprivileged user (nobody), which must reach the
# TMPDIR it inherits: a sticky world-writable tmp inside a traversable work dir.
chmod 711 "$WORK"
chmod 1777 "$WORK/tmp"
export TMPDIR=$WORK/tmp FERRY_DIR=$WORK/state
ferryd_pid=""
cleanup() {
    if [ -n "$ferryd_pid" ]; then
        kill -TERM "$ferryd_pid" 2> /dev/null && wait "$ferryd_pid" 2> /dev/null
    fi
    if [ "$keep" = 1 ]; then echo "kit: keeping $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

passed=0 failed=0 skipped=0
failures=()

# Prints one record per case or directive of a cases file: LINENO US LINE US WORD US WORD ...
# (US = \x1f), the words split as a shell splits them (shlex: quotes, backslashes, no
# expansion). Blank and comment lines are left out. One python3 run per file.
split_cases() {
    python3 - "$1" << 'PY'
import shlex, sys
path = sys.argv[1]
with open(path, encoding="utf-8", errors="surrogateescape") as f:
    for n, line in enumerate(f, 1):
        line = line.rstrip("\n")
        s = line.strip()
        if not s or s.startswith("#"):
            continue
        try:
            words = shlex.split(s)
        except ValueError as e:
            sys.stderr.write("kit: %s:%d: cannot split: %s\n" % (path, n, e))
            sys.exit(2)
        print("\x1f".join([str(n), s] + words))
PY
}

# The environment for one cases file: the command line's settings, then its directives.
setup_env() {
    local p
    RUN_PATH=$PATH
    for p in "${path_dirs[@]}" "${file_paths[@]}"; do RUN_PATH=$p:$RUN_PATH; done
    RUN_ENV=(PATH="$RUN_PATH")
    local dirs="" d
    for d in "${plugin_dirs[@]}"; do dirs=${dirs:+$dirs:}$d; done
    [ -n "$dirs" ] && RUN_ENV+=(FERRY_PLUGIN_PATH="$dirs")
    RUN_ENV+=("${envs[@]}" "${file_envs[@]}")
}

start_ferryd() {
    [ -n "$ferryd_pid" ] && return 0
    local args=() d i
    for d in "${plugin_dirs[@]}"; do args+=(--plugin-path "$d"); done
    mkdir -p "$WORK/ferryd"
    rm -f "$WORK/ferryd/port"
    env "${RUN_ENV[@]}" "$FERRYD" --no-detach --listen 127.0.0.1 --port 0 --port-file "$WORK/ferryd/port" \
        --log-stderr --jobs 2 "${args[@]}" > /dev/null 2> "$WORK/ferryd/log" < /dev/null &
    ferryd_pid=$!
    for ((i = 0; i < 200; i++)); do
        if [ -s "$WORK/ferryd/port" ]; then
            PORT=$(cat "$WORK/ferryd/port")
            [[ $PORT =~ ^[0-9]+$ ]] && return 0
        fi
        kill -0 "$ferryd_pid" 2> /dev/null || break
        sleep 0.1
    done
    echo "kit: ferryd did not start; its log:" >&2
    sed 's/^/  | /' "$WORK/ferryd/log" >&2
    exit 1
}

pass() { passed=$((passed + 1)); }
skip_case() { skipped=$((skipped + 1)); echo "skip $CASE_NAME: $*"; }
fail_case() {
    failed=$((failed + 1))
    failures+=("$CASE_NAME")
    echo "FAIL $CASE_NAME"
    local line
    for line in "$@"; do echo "     $line"; done
}

# distribute / local:REASON — the verdict of ferry --plan.
check_plan() {
    local expect=$1
    shift
    local dir=$WORK/plan
    mkdir -p "$dir"
    (cd "$dir" && env "${RUN_ENV[@]}" "$FERRY" --plan "$@") > "$WORK/plan.out" 2> "$WORK/plan.err"
    local rc=$?
    if [ $rc != 0 ]; then
        fail_case "ferry --plan exited with $rc: $(head -c 300 "$WORK/plan.err")"
        return
    fi
    local plugin verdict reason
    plugin=$(sed -n 's/^plugin: \([^ ]*\).*/\1/p' "$WORK/plan.out")
    verdict=$(sed -n 's/^verdict: //p' "$WORK/plan.out")
    reason=$(sed -n 's/^reason: \([^ ]*\).*/\1/p' "$WORK/plan.out")
    if [ -n "$expect_plugin_now" ] && [ "$plugin" != "$expect_plugin_now" ]; then
        fail_case "planned by plugin '$plugin', expected '$expect_plugin_now'"
        return
    fi
    case $expect in
    distribute)
        if [ "$verdict" != distribute ]; then
            fail_case "expected distribute, got local: $(sed -n 's/^reason: //p' "$WORK/plan.out")"
            return
        fi
        ;;
    local:*)
        if [ "$verdict" != local ] || [ "$reason" != "${expect#local:}" ]; then
            fail_case "expected $expect, got ${verdict:-nothing}${reason:+:$reason} ($(sed -n 's/^reason: [^ ]* //p' "$WORK/plan.out"))"
            return
        fi
        ;;
    esac
    pass
}

# The files under . written since the marker, one per line.
written_files() { find . -type f -newer "$1" ! -path './.kit-*' | LC_ALL=C sort; }

check_equiv() {
    local compiler=$1
    if ! env "${RUN_ENV[@]}" sh -c 'command -v "$1"' sh "$compiler" > /dev/null 2>&1; then
        skip_case "'$compiler' is not installed"
        return
    fi
    [ -n "$tree_now" ] || { fail_case "equiv needs a source tree (--tree or %tree)"; return; }
    start_ferryd
    local d=$WORK/equiv.$CASE_NO
    mkdir -p "$d/ref"
    cp -R "$tree_now" "$d/tree"
    cd "$d/tree" || return
    touch .kit-marker
    sleep 0.01
    env "${RUN_ENV[@]}" "$@" > "$d/local.out" 2> "$d/local.err"
    local local_rc=$? f
    written_files .kit-marker > "$d/local.files"
    while IFS= read -r f; do
        mkdir -p "$d/ref/$(dirname "$f")"
        mv "$f" "$d/ref/$f"
    done < "$d/local.files"
    touch .kit-marker
    sleep 0.01
    env "${RUN_ENV[@]}" FERRY_HOSTS="127.0.0.1:$PORT" FERRY_LOG="$d/ferry.log" FERRY_FALLBACK=0 \
        "$FERRY" "$@" > "$d/ferry.out" 2> "$d/ferry.err"
    local ferry_rc=$?
    written_files .kit-marker > "$d/ferry.files"
    cd "$WORK" || return
    local problems=()
    [ "$local_rc" = "$ferry_rc" ] || problems+=("exit status: local $local_rc, through ferry $ferry_rc")
    cmp -s "$d/local.out" "$d/ferry.out" || problems+=("stdout differs")
    cmp -s "$d/local.err" "$d/ferry.err" ||
        problems+=("stderr differs:" "$(diff "$d/local.err" "$d/ferry.err" | head -n 8)")
    cmp -s "$d/local.files" "$d/ferry.files" ||
        problems+=("other files written: local {$(tr '\n' ' ' < "$d/local.files")} ferry {$(tr '\n' ' ' < "$d/ferry.files")}")
    while IFS= read -r f; do
        [ -f "$d/tree/$f" ] || continue
        cmp -s "$d/ref/$f" "$d/tree/$f" || problems+=("$f differs from the local compile's")
    done < "$d/local.files"
    grep -q -- "-> 127.0.0.1:$PORT " "$d/ferry.log" 2> /dev/null ||
        problems+=("the job did not go to ferryd: $(grep ' job ' "$d/ferry.log" 2> /dev/null | tail -n 1)")
    if [ ${#problems[@]} -gt 0 ]; then
        fail_case "${problems[@]}"
        return
    fi
    pass
}

run_cases_file() {
    local file=$1 base lineno=0 line
    base=$(cd "$(dirname "$file")" && pwd)
    file_paths=() file_envs=()
    expect_plugin_now=$expect_plugin
    tree_now=$tree
    local started=0 records
    records=$(split_cases "$file") || exit 2
    while IFS=$'\x1f' read -r -a WORDS; do
        [ ${#WORDS[@]} -ge 3 ] || continue
        lineno=${WORDS[0]}
        line=${WORDS[1]}
        WORDS=("${WORDS[@]:2}")
        local kind=${WORDS[0]}
        if [[ $kind == %* ]]; then
            [ "$started" = 0 ] || die "$file:$lineno: directives must come before the first case"
            [ ${#WORDS[@]} = 2 ] || die "$file:$lineno: $kind takes one value"
            local v=${WORDS[1]}
            case $kind in
            %plugin) expect_plugin_now=$v ;;
            %path) [[ $v == /* ]] || v=$base/$v; file_paths+=("$(cd "$v" && pwd)") || die "$file:$lineno: no directory $v" ;;
            %env) [[ $v == *=* ]] || die "$file:$lineno: %env takes VAR=VALUE"; file_envs+=("$v") ;;
            %tree) [[ $v == /* ]] || v=$base/$v; tree_now=$(cd "$v" && pwd) || die "$file:$lineno: no directory $v" ;;
            *) die "$file:$lineno: unknown directive $kind" ;;
            esac
            continue
        fi
        if [ "$started" = 0 ]; then
            started=1
            setup_env
        fi
        [ ${#WORDS[@]} -ge 2 ] || die "$file:$lineno: a case needs an expectation and a compiler"
        CASE_NO=$lineno
        CASE_NAME="$(basename "$file"):$lineno: $line"
        case $kind in
        distribute | local:?*) check_plan "$kind" "${WORDS[@]:1}" ;;
        equiv) check_equiv "${WORDS[@]:1}" ;;
        *) die "$file:$lineno: unknown expectation '$kind' (distribute, local:REASON, equiv)" ;;
        esac
    done <<< "$records"
}

for f in "${cases_files[@]}"; do
    [ -f "$f" ] || die "no cases file $f"
    run_cases_file "$f"
    if [ -n "$ferryd_pid" ]; then
        # A fresh daemon per cases file, so its environment is that file's.
        kill -TERM "$ferryd_pid" 2> /dev/null && wait "$ferryd_pid" 2> /dev/null
        ferryd_pid=""
    fi
done

echo "kit: $passed passed, $failed failed, $skipped skipped"
if [ "$failed" -gt 0 ]; then
    printf '  failed: %s\n' "${failures[@]}"
    exit 1
fi
[ $((passed + skipped)) -gt 0 ] || { echo "kit: no case ran" >&2; exit 1; }
exit 0
