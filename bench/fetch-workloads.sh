#!/usr/bin/env bash
# Fetches the benchmark workloads — real third-party sources from Debian's source packages — into
# a cache under a build directory (never committed):
#   bench/fetch-workloads.sh CACHE_DIR [WORKLOAD...]     # default: every workload
# Workloads: lua (lua5.4, small C), jq (jq, medium C with -g), ninja (ninja-build, C++).
# Each ends up unpacked, pristine, in CACHE_DIR/src/NAME/ (the upstream tarball of the Debian
# source package); CACHE_DIR/src/NAME.ok marks a complete unpack, so a second call does nothing.
#
# apt-get source needs deb-src lines. If the machine has none, we derive them from its existing
# apt sources (the same URIs, suites and components, so no mirror is named here) and write them
# to /etc/apt/sources.list.d/ferry-bench-src.{sources,list}, then run apt-get update once.
set -euo pipefail

usage() { echo "usage: $0 CACHE_DIR [lua|jq|ninja]..." >&2; exit 2; }
[ $# -ge 1 ] || usage
cache=$1
shift
names=("$@")
[ ${#names[@]} -gt 0 ] || names=(lua jq ninja)

# The Debian source package behind each workload.
source_package() {
    case $1 in
    lua) echo lua5.4 ;;
    jq) echo jq ;;
    ninja) echo ninja-build ;;
    *) echo "fetch-workloads: unknown workload '$1' (known: lua jq ninja)" >&2; exit 2 ;;
    esac
}

SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO=sudo

have_deb_src() {
    grep -Eqs '^[[:space:]]*Types:.*deb-src' /etc/apt/sources.list.d/*.sources ||
        grep -Eqs '^[[:space:]]*deb-src[[:space:]]' /etc/apt/sources.list /etc/apt/sources.list.d/*.list
}

# deb822 stanzas "Types: deb" become "Types: deb-src" (other fields kept: URIs, Suites,
# Components, Signed-By); one-line "deb ..." entries become "deb-src ...".
add_deb_src() {
    local tmp f
    tmp=$(mktemp -d)
    for f in /etc/apt/sources.list.d/*.sources; do
        [ -f "$f" ] || continue
        sed -E 's/^([[:space:]]*Types:[[:space:]]*)deb[[:space:]]*$/\1deb-src/' "$f" |
            awk 'BEGIN{RS=""; ORS="\n\n"} /Types:[[:space:]]*deb-src/' >> "$tmp/src.sources"
    done
    for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
        [ -f "$f" ] || continue
        sed -nE 's/^[[:space:]]*deb([[:space:]])/deb-src\1/p' "$f" >> "$tmp/src.list"
    done
    if [ ! -s "$tmp/src.sources" ] && [ ! -s "$tmp/src.list" ]; then
        echo "fetch-workloads: no 'deb' apt source to derive deb-src lines from" >&2
        rm -rf "$tmp"
        exit 1
    fi
    [ -s "$tmp/src.sources" ] && $SUDO cp "$tmp/src.sources" /etc/apt/sources.list.d/ferry-bench-src.sources
    [ -s "$tmp/src.list" ] && $SUDO cp "$tmp/src.list" /etc/apt/sources.list.d/ferry-bench-src.list
    rm -rf "$tmp"
    echo "fetch-workloads: added deb-src entries derived from the existing apt sources" >&2
    $SUDO apt-get update -qq
}

mkdir -p "$cache/downloads" "$cache/src"
cache=$(cd "$cache" && pwd)
codename=$(. /etc/os-release 2> /dev/null && echo "${VERSION_CODENAME:-}")

for name in "${names[@]}"; do
    pkg=$(source_package "$name")
    [ -f "$cache/src/$name.ok" ] && continue
    if ! have_deb_src; then add_deb_src; fi
    dl=$cache/downloads/$pkg
    rm -rf "$dl"
    mkdir -p "$dl"
    # Prefer the release's main-suite version: a newer one in the security suite can be missing
    # from the mirror (404), and one failed file stops apt-get source entirely.
    if ! { [ -n "$codename" ] && (cd "$dl" && apt-get source -qq --download-only "$pkg/$codename"); } &&
        ! (cd "$dl" && apt-get source -qq --download-only "$pkg"); then
        echo "fetch-workloads: apt-get source $pkg failed" >&2
        exit 1
    fi
    orig=$(find "$dl" -maxdepth 1 -name "${pkg}_*.orig.tar.*" ! -name '*.asc' | head -n 1)
    [ -n "$orig" ] || { echo "fetch-workloads: no upstream tarball for $pkg in $dl" >&2; exit 1; }
    rm -rf "$cache/src/$name" "$cache/src/$name.tmp"
    mkdir -p "$cache/src/$name.tmp"
    tar -xf "$orig" -C "$cache/src/$name.tmp" --strip-components=1
    mv "$cache/src/$name.tmp" "$cache/src/$name"
    basename "$orig" > "$cache/src/$name.ok"
    echo "fetch-workloads: $name <- $(basename "$orig")" >&2
done
