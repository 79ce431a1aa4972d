#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The host half of tests/vm/trace.plan: decodes what the VM captured, with the .ko it
# ran, and checks:
#   - trace.bin (a drain after a CLI session) decodes, every line has a level and a
#     source location, and the lines of tests/vm/trace.expect appear in that order
#     (the handshake, the open, the messages, the close, with their fields);
#   - snapshot.bin, taken just before, holds the same frames (a snapshot does not drain),
#     and drained.bin, taken just after, only the header (the drain consumed them);
#   - the same trace with another build of the same sources (DEFMT_LOG=info) is refused
#     with the decoder's id-mismatch exit code (2), and nothing is printed as decoded.
# With a third argument EXPECT, only the first check, against EXPECT instead of
# tests/vm/trace.expect (the pseries runs: trace.bin of a C client's session).
# usage: check-trace.sh KO DIR [EXPECT]
source "$(dirname "$0")/../lib.sh"
STEP=check-trace
ko=${1:?usage: check-trace.sh KO DIR [EXPECT]} dir=${2:?usage: check-trace.sh KO DIR [EXPECT]}
expect=${3:-$REPO/tests/vm/trace.expect}

cargo build --quiet --release -p ibmvmc-trace --manifest-path "$REPO/Cargo.toml"
decode="$REPO/target/release/ibmvmc-trace"

"$decode" --elf "$ko" "$dir/trace.bin" >"$dir/trace.txt" 2>"$dir/trace.err" ||
    die "decoding trace.bin failed: $(cat "$dir/trace.err")"
lines=$(wc -l <"$dir/trace.txt")
[ "$lines" -gt 10 ] || die "trace.bin decoded to $lines lines"
bad=$(grep -vcE '^[0-9. ]+ (ERROR|WARN |INFO |DEBUG|TRACE) .*\((src|tools|executor)/[^:]+\.rs:[0-9]+\)$' \
    "$dir/trace.txt" || true)
[ "$bad" = 0 ] || die "$bad decoded lines lack a level or a location: $(grep -vE \
    '\((src|tools|executor)/' "$dir/trace.txt" | head -n 3)"

# Each expected line (an extended regex) must match after the previous one's match.
at=0
while IFS= read -r re; do
    [[ -z $re || $re == \#* ]] && continue
    n=$(tail -n +"$((at + 1))" "$dir/trace.txt" | grep -nE -m1 -- "$re" | cut -d: -f1 || true)
    [ -n "$n" ] || die "trace: no line /$re/ after line $at of $dir/trace.txt"
    at=$((at + n))
done <"$expect"
if [ -n "${3:-}" ]; then
    log "trace: $lines lines decoded, $(basename "$expect") found in order"
    exit 0
fi

cmp -s "$dir/snapshot.bin" "$dir/trace.bin" || die "snapshot.bin and trace.bin differ"
[ "$(stat -c %s "$dir/drained.bin")" = 64 ] || die "drained.bin is not just the header"
cmp -s -n 64 "$dir/drained.bin" "$dir/trace.bin" || die "headers differ between two opens"

# Another build of the same sources: the decoder must refuse the trace.
other=$(IBMVMC_KMOD_VARIANT=info "$REPO/tools/build/module.sh" x86_64 DEFMT_LOG=info)
set +e
"$decode" --elf "$other" "$dir/trace.bin" >"$dir/wrong.txt" 2>"$dir/wrong.err"
rc=$?
set -e
[ $rc = 2 ] || die "decoding with another build's .ko: exit $rc, not 2 ($(cat "$dir/wrong.err"))"
[ ! -s "$dir/wrong.txt" ] || die "decoding with another build's .ko printed lines"
log "trace: $lines lines decoded in order; another build's .ko refused: $(head -n1 "$dir/wrong.err")"
