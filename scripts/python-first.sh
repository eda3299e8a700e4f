# shellcheck shell=bash
# Sourced by scripts/test.sh and scripts/test-sanitizers.sh: makes `python3` for everything the
# test suites start (e2e helpers, the bench smoke run, #!/usr/bin/env python3 scripts) the
# interpreter itself rather than a version manager's shim. pyenv's shims run bash scripts on
# every start: 0.3-1.6 s per `python3` on a loaded 2-core VM against 0.08 s for Debian's
# /usr/bin/python3 (measured), and the suites start Python hundreds of times. The helpers use
# only the standard library; install-deps.sh installs Debian's python3, which is preferred.
#   python_first DIR    puts DIR/python3 first on PATH (DIR is created)
python_first() {
    local dir=$1 py=/usr/bin/python3
    if [ ! -x "$py" ]; then
        py=$(python3 -c 'import sys; print(sys.executable)' 2>/dev/null) || return 0
    fi
    mkdir -p "$dir"
    ln -sf "$py" "$dir/python3"
    export PATH="$dir:$PATH"
}
