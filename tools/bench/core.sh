#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Instructions per HMC message through the driver core (tests/bench/core_messages.rs):
# outbound (write: user copy, RDMA copy, Signal) and inbound (Signal from the
# hypervisor, CRQ task dispatch, RDMA copy, receive queue, read: copy out), with RDMA
# simulated by memcpy, for buf_pool_size 16 and 64 and messages of 256 and 4096 bytes,
# next to a baseline that does the same copies and codec work without the core.
#
# Counts instructions, not time, in the style of tools/bench/executor.sh: each measured
# function runs under callgrind with collection toggled on for that function only, for
# N and 2N messages; (Ir(2N) - Ir(N)) / N is the cost of one message with setup and
# call overhead cancelled. Everything is measured in three configurations:
#   - DEFMT_LOG=off: the call sites compiled out (built in a target dir of its own, as
#     defmt-macros rebuilds everything when DEFMT_LOG changes);
#   - compiled in, level debug: DEFMT_LOG=trace (the default from .cargo/config.toml, as
#     Kbuild builds the module), the run-time level at debug, logging into the host
#     logger (5 frames a message);
#   - shipped: the same build, the run-time level at info (the module's default
#     trace_level): every call site compiled in, the per-message ones filtered out by
#     the level load and compare.
# The bench binary counts heap allocations across its measured loop with a counting
# global allocator and fails if there are any.
#
# Fails (exit 1) if a pool size costs more than 2% more or less than the other (the
# buffer paths are O(1)), if any measured loop allocated, or if a bench run failed.
#
# Usage: tools/bench/core.sh [N]        (default N=2000)
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
N="${1:-2000}"
POOLS=(16 64)
LENS=(256 4096)
MAX_POOL_DIFF_PCT=2

command -v valgrind >/dev/null || { echo "valgrind not found (apt-get install valgrind)" >&2; exit 1; }
[[ "$N" =~ ^[1-9][0-9]*$ ]] || { echo "usage: $0 [N]" >&2; exit 1; }

cd "$REPO"
START=$SECONDS
TARGET="${CARGO_TARGET_DIR:-$REPO/target}"
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT

# Builds the bench with the environment given, prints the executable's path.
build() {
    local log="$OUT/build.$1.log"
    shift
    env "$@" cargo bench --bench core_messages --no-run --message-format=json 2>"$log" |
        python3 -c '
import json, sys
for line in sys.stdin:
    msg = json.loads(line)
    if msg.get("reason") == "compiler-artifact" and msg["target"]["name"] == "core_messages" and msg.get("executable"):
        print(msg["executable"])
' || true
}

# The default build takes DEFMT_LOG from .cargo/config.toml, not from the caller; it runs
# both at level debug and at level info.
BIN_DEBUG=$(build debug -u DEFMT_LOG)
if [ ! -x "$BIN_DEBUG" ]; then
    tail -30 "$OUT/build.debug.log" >&2
    echo "could not build the core_messages bench" >&2
    exit 1
fi
BIN_OFF=$(build off DEFMT_LOG=off CARGO_TARGET_DIR="$TARGET/bench-core-defmt-off")
if [ ! -x "$BIN_OFF" ]; then
    tail -30 "$OUT/build.off.log" >&2
    echo "could not build the core_messages bench with DEFMT_LOG=off" >&2
    exit 1
fi

STATUS=0
declare -A ALLOCS=()   # allocations counted by the bench runs, by build.pool.len.direction
declare -A SUMMARY=()  # the bench's summary line of a core run, by build.len
declare -A IR=()       # instructions per message, by build.pool.len.direction
RUN_IR=0
# The configurations ("builds"): off = BIN_OFF; debug and info = BIN_DEBUG at that
# run-time level.
declare -A NAME=([off]="DEFMT_LOG=off" [debug]="compiled in, level debug" [info]="shipped: compiled in, level info")

# Runs <loop> with <pool>, <len> and <messages> under callgrind, collecting inside
# <function> only; sets RUN_IR to the instructions counted and adds the run's
# allocation count to ALLOCS[<key>].
run_one() {
    local key=$1 build=$2 function=$3 loop=$4 pool=$5 len=$6 messages=$7
    local bin=$BIN_DEBUG level=$build tag="$2.$3.$5.$6.$7"
    if [ "$build" = off ]; then bin=$BIN_OFF level=debug; fi
    if ! valgrind --tool=callgrind --callgrind-out-file="$OUT/$tag.out" --toggle-collect="$function" \
        "$bin" "$loop" "$pool" "$len" "$messages" "$level" >"$OUT/$tag.stdout" 2>"$OUT/$tag.stderr"; then
        grep -v '^==' "$OUT/$tag.stderr" |
            sed "s/^/[${NAME[$build]}: $function pool=$pool len=$len n=$messages] /" >&2 || true
        STATUS=1
    fi
    local allocs
    allocs=$(sed -n 's/.*allocs=\([0-9]*\).*/\1/p' "$OUT/$tag.stdout")
    if [ -z "$allocs" ]; then
        echo "[${NAME[$build]}: $function pool=$pool len=$len n=$messages] no allocation count reported" >&2
        STATUS=1
        allocs=0
    fi
    ALLOCS[$key]=$((${ALLOCS[$key]:-0} + allocs))
    if [ "$loop" = core ]; then SUMMARY[$build.$len]=$(head -1 "$OUT/$tag.stdout"); fi
    RUN_IR=$(awk '/^(summary|totals):/ { print $2; exit }' "$OUT/$tag.out")
}

# IR[<key>] = instructions per message of <function>, by the N / 2N difference.
per_message() {
    local key=$1 one two
    run_one "$@" "$N"
    one=$RUN_IR
    run_one "$@" $((2 * N))
    two=$RUN_IR
    IR[$key]=$(awk -v a="$one" -v b="$two" -v n="$N" 'BEGIN { printf "%.1f", (b - a) / n }')
}

for build in off debug info; do
    for pool in "${POOLS[@]}"; do
        for len in "${LENS[@]}"; do
            per_message "$build.$pool.$len.out" "$build" outbound_one core "$pool" "$len"
            per_message "$build.$pool.$len.in" "$build" inbound_one core "$pool" "$len"
            if [ "$build" = off ]; then
                per_message "base.$pool.$len.out" off baseline_outbound_one baseline "$pool" "$len"
                per_message "base.$pool.$len.in" off baseline_inbound_one baseline "$pool" "$len"
            fi
        done
    done
done

echo "Instructions per message through the ibmvmc core (RDMA = memcpy), N=$N and 2N messages per run"
echo "overhead = Ir/message - baseline (the same user and RDMA copies and one CRQ entry emitted or parsed, no core)"
echo
echo "DEFMT_LOG=off: trace call sites compiled out; in, debug: compiled in (DEFMT_LOG=trace), run-time"
echo "level debug, into the host logger; shipped (info): shipped: compiled in, level info (the module's"
echo "build and its default trace_level)"
echo
FMT='%4s %5s %-9s | %13s %15s %15s | %8s | %14s %14s %18s | %12s\n'
# shellcheck disable=SC2059
printf "$FMT" pool bytes direction 'DEFMT_LOG=off' 'in, debug' 'shipped (info)' baseline \
    'overhead (off)' 'overhead (dbg)' 'overhead (shipped)' 'allocs o/d/s'
# shellcheck disable=SC2059
printf "$FMT" ---- ----- --------- ------------- --------------- --------------- -------- \
    -------------- -------------- ------------------ ------------
for len in "${LENS[@]}"; do
    for pool in "${POOLS[@]}"; do
        for dir in out in; do
            off=${IR[off.$pool.$len.$dir]}
            dbg=${IR[debug.$pool.$len.$dir]}
            shipped=${IR[info.$pool.$len.$dir]}
            base=${IR[base.$pool.$len.$dir]}
            name=$([ "$dir" = out ] && echo outbound || echo inbound)
            # shellcheck disable=SC2059
            printf "$FMT" "$pool" "$len" "$name" "$off" "$dbg" "$shipped" "$base" \
                "$(awk -v a="$off" -v b="$base" 'BEGIN { printf "%.1f", a - b }')" \
                "$(awk -v a="$dbg" -v b="$base" 'BEGIN { printf "%.1f", a - b }')" \
                "$(awk -v a="$shipped" -v b="$base" 'BEGIN { printf "%.1f", a - b }')" \
                "${ALLOCS[off.$pool.$len.$dir]}/${ALLOCS[debug.$pool.$len.$dir]}/${ALLOCS[info.$pool.$len.$dir]}"
        done
    done
done
TOTAL_ALLOCS=0
for key in "${!ALLOCS[@]}"; do TOTAL_ALLOCS=$((TOTAL_ALLOCS + ALLOCS[$key])); done
echo
echo "heap allocations in all measured loops (core and baseline, all configurations): $TOTAL_ALLOCS"
for build in debug info; do
    for len in "${LENS[@]}"; do
        echo "${NAME[$build]}, $len bytes: ${SUMMARY[$build.$len]:-?}"
    done
done

# The two pool sizes must cost the same.
for build in off debug info; do
    for len in "${LENS[@]}"; do
        for dir in out in; do
            small=${IR[$build.${POOLS[0]}.$len.$dir]}
            large=${IR[$build.${POOLS[1]}.$len.$dir]}
            if ! awk -v a="$small" -v b="$large" -v max="$MAX_POOL_DIFF_PCT" \
                'BEGIN { d = (b - a) / a * 100; if (d < 0) d = -d; exit !(d <= max) }'; then
                echo "FAIL: ${NAME[$build]}, $len bytes, $dir: pool ${POOLS[0]} costs $small," \
                    "pool ${POOLS[1]} costs $large (more than $MAX_POOL_DIFF_PCT% apart)" >&2
                STATUS=1
            fi
        done
    done
done
if [ "$TOTAL_ALLOCS" != 0 ]; then
    echo "FAIL: the measured loops allocated" >&2
    STATUS=1
fi
echo
echo "done in $((SECONDS - START)) s"
exit $STATUS
