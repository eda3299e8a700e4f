#!/usr/bin/env bash
# compare-objects.sh REF_DIR NEW_DIR: every object under REF_DIR (a local build's) must exist at
# the same relative path under NEW_DIR and be the same: byte-identical, or — for objects with
# debug info — identical outside the debug sections with the same DWARF names and comp dir.
# The checks are tests/e2e/lib.sh's (expect_same_object / expect_same_debug_object), so the
# benchmark holds builds to exactly what the tests hold single compiles to.
# Prints one summary line; on the first difference prints why and exits 1.
set -uo pipefail
[ $# -eq 2 ] || { echo "usage: $0 REF_DIR NEW_DIR" >&2; exit 2; }
ref=$(cd "$1" && pwd) || exit 2
new=$(cd "$2" && pwd) || exit 2

# shellcheck source=../tests/e2e/lib.sh
. "$(dirname "$0")/../tests/e2e/lib.sh"
TEST_DIR=$(mktemp -d "${TMPDIR:-/tmp}/ferry-bench-cmp.XXXXXX") || exit 2
trap 'rm -rf "$TEST_DIR"' EXIT

total=0 exact=0 debug=0
while IFS= read -r -d '' o; do
    rel=${o#"$ref"/}
    total=$((total + 1))
    if cmp -s "$o" "$new/$rel"; then
        exact=$((exact + 1))
    elif [ -n "$(readelf -S -W "$o" 2> /dev/null | grep -F ' .debug_info')" ]; then
        # lib.sh's fail exits; the subshell keeps our summary line and exit status ours.
        (expect_same_debug_object "$o" "$new/$rel") > /dev/null || { echo "compare-objects: $rel differs (debug object)" >&2; exit 1; }
        debug=$((debug + 1))
    else
        (expect_same_object "$o" "$new/$rel") || { echo "compare-objects: $rel differs" >&2; exit 1; }
    fi
done < <(find "$ref" -type f -name '*.o' -print0 | sort -z)

extra=$(cd "$new" && find . -type f -name '*.o' | wc -l)
if [ "$extra" -ne "$total" ]; then
    echo "compare-objects: $new has $extra objects, the local build $total" >&2
    exit 1
fi
[ "$total" -gt 0 ] || { echo "compare-objects: no objects under $ref" >&2; exit 1; }
echo "objects=$total identical=$exact identical_outside_debug=$debug"
