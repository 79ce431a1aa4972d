#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Instructions per wake+poll cycle of ibmvmc-executor, side by side with
# embassy-executor's raw executor and futures' LocalPool, all running the same task
# (executor/benches/wake_poll.rs). Ours is measured twice: with `poll()` compiled as the
# compiler likes (it is generic, so it gets inlined into the caller) and forced out of
# line like embassy's.
#
# Counts instructions, not time: each executor's `cycles_*` function runs under
# callgrind with collection toggled on for that function only, for N and 2N cycles;
# (Ir(2N) - Ir(N)) / N is the cost of one cycle with setup and call overhead cancelled.
#
# Usage: tools/bench/executor.sh [N]        (default N=20000)
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
N="${1:-20000}"

command -v valgrind >/dev/null || { echo "valgrind not found (apt-get install valgrind)" >&2; exit 1; }

cd "$REPO"
BIN=$(cargo bench -p ibmvmc-executor --bench wake_poll --no-run --message-format=json 2>/dev/null |
    python3 -c '
import json, sys
for line in sys.stdin:
    msg = json.loads(line)
    if msg.get("reason") == "compiler-artifact" and msg["target"]["name"] == "wake_poll" and msg.get("executable"):
        print(msg["executable"])
')
[ -x "$BIN" ] || { echo "could not build the wake_poll bench" >&2; exit 1; }

OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT

# Instructions executed inside cycles_<executor> for <cycles> cycles.
instructions() {
    local executor=$1 cycles=$2 file="$OUT/$1.$2.out"
    valgrind --tool=callgrind --callgrind-out-file="$file" \
        --toggle-collect="cycles_${executor}" "$BIN" "$executor" "$cycles" 2>"$OUT/log" ||
        { cat "$OUT/log" >&2; echo "bench run failed: $executor $cycles" >&2; exit 1; }
    awk '/^(summary|totals):/ { print $2; exit }' "$file"
}

printf '%-34s %12s\n' executor 'Ir/wake+poll'
printf '%-34s %12s\n' ---------------------------------- ------------
for executor in ibmvmc ibmvmc_outline embassy localpool; do
    one=$(instructions "$executor" "$N")
    two=$(instructions "$executor" $((2 * N)))
    per=$(awk -v a="$one" -v b="$two" -v n="$N" 'BEGIN { printf "%.1f", (b - a) / n }')
    case $executor in
        ibmvmc) name='ibmvmc-executor' ;;
        ibmvmc_outline) name='ibmvmc-executor (poll not inlined)' ;;
        embassy) name='embassy-executor (raw)' ;;
        localpool) name='futures LocalPool' ;;
    esac
    printf '%-34s %12s\n' "$name" "$per"
done
