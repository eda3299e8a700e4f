#!/usr/bin/env bash
# --randomize in the host list: each ferry process shuffles the hosts, so the first choices of
# many processes spread over the hosts (without it every job takes the first host's free slot);
# the rest of the list's meaning stays: ,down hosts are never used, slot counts and options stay
# with their host, --show-hosts lists the same tokens, -j sums the same slots.
#   randomize.sh BIN_DIR

# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
e2e_init "$@"
start_ferryd_as A --jobs 4
start_ferryd_as B --jobs 4
start_ferryd_as C --jobs 4
DEAD=$(dead_port)

setup() {
    cd c && mkdir -p build || fail "mkdir"
    CLIENT_LOG=$TEST_DIR/logs/ferry.log
    export FERRY_DIR=$TEST_DIR/state
    touch "$CLIENT_LOG"
}

# runs N LIST: N jobs one after another (each finds every slot free); prints how many went to
# each daemon as "A B C".
runs() {
    local n=$1 list=$2 i
    for ((i = 1; i <= n; i++)); do
        run_ok "job$i" env FERRY_LOG="$CLIENT_LOG" FERRY_FALLBACK=0 FERRY_HOSTS="$list" \
            "$FERRY" gcc -Iinclude -c src/vec.c -o "build/vec$i.o"
    done
    local p counts=()
    for p in "$A_PORT" "$B_PORT" "$C_PORT"; do
        counts+=("$(ferry_job_lines | grep -c -- "-> 127.0.0.1:$p (protocol [12]): ok")")
    done
    echo "${counts[*]}"
}

LIST="127.0.0.1:$A_PORT/2 127.0.0.1:$B_PORT/3,lzo 127.0.0.1:$C_PORT/2"
WITH_DOWN="127.0.0.1:$A_PORT/2 127.0.0.1:$B_PORT/3,lzo 127.0.0.1:$DEAD/4,down 127.0.0.1:$C_PORT/2"

in_order_without() {
    setup
    local c
    c=$(runs 10 "$LIST")
    note "without --randomize (A B C): $c"
    [ "$c" = "10 0 0" ] || fail "without --randomize every job should take the first host: $c"
}

spread_with() {
    setup
    # Each process draws its first host uniformly from A, B and C, independently of the others
    # (the seed mixes pid and clock through a full-avalanche hash). Some host gets none of 40
    # jobs with probability below 3 * (2/3)^40 = 2.7e-7, so a failure here means the shuffle is
    # biased (the old one, std::minstd_rand seeded with the pid, sent 19 of 20 jobs to one
    # host), not bad luck.
    local c a b cc n
    c=$(runs 40 "--randomize $LIST")
    note "with --randomize (A B C): $c"
    read -r a b cc <<< "$c"
    [ $((a + b + cc)) = 40 ] || fail "only $((a + b + cc)) of 40 jobs went to the daemons"
    for n in $a $b $cc; do
        [ "$n" -gt 0 ] || fail "--randomize: some host was never chosen first in 40 jobs (A B C: $c)"
    done
    # The options stay with their host: B is the ,lzo one.
    [ "$(ferry_job_lines | grep -c -- "-> 127.0.0.1:$B_PORT (protocol 2): ok")" = "$b" ] ||
        fail "B's ,lzo was not kept after the shuffle"
    local o
    for ((o = 1; o <= 40; o++)); do
        cmp -s build/vec1.o "build/vec$o.o" || fail "build/vec$o.o differs from build/vec1.o"
    done
}

down_stays_down() {
    setup
    local c
    c=$(runs 6 "--randomize $WITH_DOWN")
    note "with --randomize and a ,down host (A B C): $c"
    [ "$(count_lines "$CLIENT_LOG" "127.0.0.1:$DEAD")" = 0 ] || fail "the ,down host was used"
}

listing() {
    setup
    local spec="--randomize --localslots=1 $WITH_DOWN"
    run_ok show env FERRY_HOSTS="$spec" "$FERRY" --show-hosts
    [ "$(out_of show | sort)" = "$(printf '%s\n' "127.0.0.1:$A_PORT/2" "127.0.0.1:$B_PORT/3,lzo" \
        "127.0.0.1:$DEAD/4,down" "127.0.0.1:$C_PORT/2" | sort)" ] ||
        fail "--show-hosts with --randomize printed other tokens: $(out_of show)"
    run_ok slots env FERRY_HOSTS="$spec" "$FERRY" -j
    run_ok slots.plain env FERRY_HOSTS="$WITH_DOWN" "$FERRY" -j
    [ "$(out_of slots)" = "$(out_of slots.plain)" ] && [ "$(out_of slots)" = 7 ] ||
        fail "-j with --randomize printed $(out_of slots), without $(out_of slots.plain), expected 7"
}

TEST "without --randomize every job takes the first host" in_order_without
TEST "--randomize spreads first choices over the hosts" spread_with
TEST "--randomize never uses a ,down host" down_stays_down
TEST "--randomize keeps the tokens, options and slot sum" listing
e2e_finish
