#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Cost of one trace call of the driver (tests/bench/trace_calls.rs): instructions per
# call with the run-time level filtering it out (level info, a trace_debug! call site)
# and with the logger on (level debug, frames rzCOBS-encoded into a 64 KiB ring that
# wraps, as the module's defmt logger does), for five call sites shaped like the
# driver's (a decoded CRQ entry in and out, a buffer ownership change, an hcall rc,
# a message received); then the ring bytes of one frame next to the same information as
# a pr_debug text line ("ibmvmc: " + the message the decoder prints + "\n").
#
# Counts instructions, not time, in the style of tools/bench/core.sh: each measured
# function (site_<name>: the call site alone; base_<name>: its arguments handed to
# black_box, the baseline) runs under callgrind with collection toggled on for that
# function only, for N and 2N calls; (Ir(2N) - Ir(N)) / N is the cost of one call with
# setup and warm-up cancelled. The figures reported are that cost minus the baseline's.
# Built as `cargo bench` builds it, DEFMT_LOG from .cargo/config.toml (every level
# compiled in, as the module). Before that, the bench binary's own `check` (run
# natively) asserts that a filtered-out call writes nothing to the ring and an enabled
# one does; frame and text sizes come from its `sizes` run (native too: it decodes the
# frames with ibmvmc-trace against the bench executable).
#
# Not included: the kernel's irq-saving raw spinlock around the ring (the bench has an
# AtomicBool spin flag), the module's reader wake-up (irq_work), ktime_get_ns(); for
# the text, printk's per-record metadata (struct printk_info and its descriptor).
#
# Fails (exit 1) if a filtered-out call costs more than 20 instructions over its
# baseline, if the check fails, or if a bench run failed.
#
# Usage: tools/bench/trace.sh [N]        (default N=2000)
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
N="${1:-2000}"
SITES=(crq_in crq_out buf_move hcall msg_in)
MAX_FILTERED_IR=20

command -v valgrind >/dev/null || { echo "valgrind not found (apt-get install valgrind)" >&2; exit 1; }
[[ "$N" =~ ^[1-9][0-9]*$ ]] || { echo "usage: $0 [N]" >&2; exit 1; }

cd "$REPO"
START=$SECONDS
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT

# The default build takes DEFMT_LOG from .cargo/config.toml, not from the caller.
BIN=$(env -u DEFMT_LOG cargo bench --bench trace_calls --no-run --message-format=json 2>"$OUT/build.log" |
    python3 -c '
import json, sys
for line in sys.stdin:
    msg = json.loads(line)
    if msg.get("reason") == "compiler-artifact" and msg["target"]["name"] == "trace_calls" and msg.get("executable"):
        print(msg["executable"])
' || true)
if [ ! -x "$BIN" ]; then
    tail -30 "$OUT/build.log" >&2
    echo "could not build the trace_calls bench" >&2
    exit 1
fi

STATUS=0
if ! "$BIN" check >"$OUT/check.stdout" 2>"$OUT/check.stderr"; then
    cat "$OUT/check.stdout" "$OUT/check.stderr" >&2
    echo "FAIL: the bench's check (filtered out: nothing in the ring; on: frames)" >&2
    STATUS=1
    CHECK=FAIL
else
    CHECK=ok
fi

declare -A IR=()  # instructions per call, by site.mode
RUN_IR=0

# Runs <site> in <mode> for <calls> calls under callgrind, collecting inside <function>
# only; sets RUN_IR to the instructions counted.
run_one() {
    local site=$1 mode=$2 function=$3 calls=$4
    local tag="$site.$mode.$calls"
    if ! valgrind --tool=callgrind --callgrind-out-file="$OUT/$tag.out" --toggle-collect="$function" \
        "$BIN" run "$site" "$mode" "$calls" >"$OUT/$tag.stdout" 2>"$OUT/$tag.stderr"; then
        grep -v '^==' "$OUT/$tag.stderr" | sed "s/^/[$site $mode n=$calls] /" >&2 || true
        STATUS=1
    fi
    RUN_IR=$(awk '/^(summary|totals):/ { print $2; exit }' "$OUT/$tag.out" 2>/dev/null || true)
    RUN_IR=${RUN_IR:-0}
}

# IR[<site>.<mode>] = instructions per call of <function>, by the N / 2N difference.
per_call() {
    local site=$1 mode=$2 function=$3 one two
    run_one "$site" "$mode" "$function" "$N"
    one=$RUN_IR
    run_one "$site" "$mode" "$function" $((2 * N))
    two=$RUN_IR
    IR[$site.$mode]=$(awk -v a="$one" -v b="$two" -v n="$N" 'BEGIN { printf "%.1f", (b - a) / n }')
}

for site in "${SITES[@]}"; do
    per_call "$site" base "base_$site"
    per_call "$site" filtered "site_$site"
    per_call "$site" on "site_$site"
done

declare -A RING=() TEXT=() MSG=()
if "$BIN" sizes >"$OUT/sizes.stdout" 2>"$OUT/sizes.stderr"; then
    while IFS=$'\t' read -r tag site ring text msg; do
        [ "$tag" = size ] || continue
        RING[$site]=$ring
        TEXT[$site]=$text
        MSG[$site]=$msg
    done <"$OUT/sizes.stdout"
else
    cat "$OUT/sizes.stderr" >&2
    echo "FAIL: the bench's sizes run" >&2
    STATUS=1
fi

echo "Instructions per trace_debug! call (callgrind, N=$N and 2N calls per run), minus the baseline"
echo "(the same arguments to black_box, no trace); filtered: level info; on: level debug, frames"
echo "into a 64 KiB ring that wraps (steady state). Not included: the kernel's irq-saving raw"
echo "spinlock (here an AtomicBool spin flag), the reader wake-up, ktime_get_ns()."
echo "pr_debug text: \"ibmvmc: \" + the decoded message + \"\\n\", as dmesg stores it; printk's"
echo "per-record metadata is extra and not counted. ratio = text bytes / frame bytes."
echo
FMT='%-8s | %8s | %11s | %8s | %11s | %15s | %5s\n'
# shellcheck disable=SC2059
printf "$FMT" 'call site' baseline 'Ir filtered' 'Ir on' bytes/frame 'pr_debug bytes' ratio
# shellcheck disable=SC2059
printf "$FMT" -------- -------- ----------- -------- ----------- --------------- -----
for site in "${SITES[@]}"; do
    base=${IR[$site.base]}
    ring=${RING[$site]:-?}
    text=${TEXT[$site]:-?}
    ratio=?
    if [ "$ring" != "?" ] && [ "$text" != "?" ]; then
        ratio=$(awk -v r="$ring" -v t="$text" 'BEGIN { printf "%.1f", t / r }')
    fi
    # shellcheck disable=SC2059
    printf "$FMT" "$site" "$base" \
        "$(awk -v a="${IR[$site.filtered]}" -v b="$base" 'BEGIN { printf "%.1f", a - b }')" \
        "$(awk -v a="${IR[$site.on]}" -v b="$base" 'BEGIN { printf "%.1f", a - b }')" \
        "$ring" "$text" "$ratio"
done
echo
for site in "${SITES[@]}"; do
    echo "$site: ${MSG[$site]:-?}"
done
echo "check (native run): filtered out, no bytes reach the ring; on, every call's frame does: $CHECK"
grep -h 'warning' "$OUT/sizes.stderr" || true

for site in "${SITES[@]}"; do
    over=$(awk -v a="${IR[$site.filtered]}" -v b="${IR[$site.base]}" 'BEGIN { printf "%.1f", a - b }')
    if ! awk -v d="$over" -v max="$MAX_FILTERED_IR" 'BEGIN { exit !(d <= max) }'; then
        echo "FAIL: $site filtered out costs $over instructions over its baseline (at most $MAX_FILTERED_IR)" >&2
        STATUS=1
    fi
done
echo
echo "done in $((SECONDS - START)) s"
exit $STATUS
