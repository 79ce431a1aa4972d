#!/usr/bin/env bash
# Fuzzes the CRQ codec (src/wire/) with libFuzzer for SECONDS (default 30):
#   tools/fuzz.sh [SECONDS]
# Target: tests/fuzz/fuzz_targets/crq_codec.rs (a cargo-fuzz crate outside the root
# workspace). Exits non-zero if the fuzzer finds a crash (panic, failed assertion,
# timeout, OOM); the input that did it is kept in tests/fuzz/artifacts/crq_codec/
# (git-ignored) and can be replayed with the command printed at the end.
#
# cargo-fuzz needs -Z flags. There is no nightly here: RUSTC_BOOTSTRAP=1 makes the
# stable toolchain accept them. cargo-fuzz itself is installed once under
# $IBMVMC_CACHE/cargo-fuzz (outside the clone).
#
# The seed corpus (tests/fuzz/corpus/crq_codec/seed-*) is copied to a scratch directory
# and fuzzed there, so the repo never receives generated entries.
#
# Environment:
#   FUZZ_SANITIZER  none (default) or address. The codec is safe Rust without `unsafe`;
#                   a panic is what libFuzzer has to catch, and ASan only costs speed.
#   FUZZ_ARGS       extra libFuzzer flags, e.g. "-seed=1 -jobs=2".
source "$(dirname "$0")/lib.sh"
STEP=fuzz

secs=${1:-30}
[[ $secs =~ ^[0-9]+$ && $secs -gt 0 ]] || die "usage: $0 [SECONDS]"
sanitizer=${FUZZ_SANITIZER:-none}
target=crq_codec
fuzz_dir="$REPO/tests/fuzz"

CARGO_FUZZ_VERSION=0.13.2
cargo_fuzz_root="$IBMVMC_CACHE/cargo-fuzz-$CARGO_FUZZ_VERSION"
cargo_fuzz="$cargo_fuzz_root/bin/cargo-fuzz"
if [ ! -x "$cargo_fuzz" ]; then
    log "installing cargo-fuzz $CARGO_FUZZ_VERSION into $cargo_fuzz_root"
    mkdir -p "$cargo_fuzz_root"
    cargo install cargo-fuzz --version "$CARGO_FUZZ_VERSION" --locked --root "$cargo_fuzz_root"
fi
export PATH="$cargo_fuzz_root/bin:$PATH"
export RUSTC_BOOTSTRAP=1

scratch=$(mktemp -d "${TMPDIR:-/tmp}/ibmvmc-fuzz.XXXXXX")
trap 'rm -rf "$scratch"' EXIT
mkdir "$scratch/corpus"
cp "$fuzz_dir/corpus/$target"/seed-* "$scratch/corpus/"
mkdir -p "$fuzz_dir/artifacts/$target"

fuzz=(cargo fuzz run --fuzz-dir "$fuzz_dir" --sanitizer "$sanitizer" "$target")
log "building $target (sanitizer: $sanitizer)"
cargo fuzz build --fuzz-dir "$fuzz_dir" --sanitizer "$sanitizer" "$target"

log "fuzzing $target for $secs s, $(ls "$scratch/corpus" | wc -l) seeds"
set +e
# shellcheck disable=SC2086 # FUZZ_ARGS is a list of flags
"${fuzz[@]}" "$scratch/corpus" -- \
    -max_total_time="$secs" -print_final_stats=1 \
    ${FUZZ_ARGS:-} \
    2>&1 | tee "$scratch/log"
rc=${PIPESTATUS[0]}
set -e

echo "--- $target: ${secs}s, sanitizer $sanitizer, exit $rc"
grep -E '^#[0-9]+[[:space:]]+DONE' "$scratch/log" | tail -1 || true
grep -E '^stat::(number_of_executed_units|average_exec_per_sec|new_units_added|peak_rss_mb):' \
    "$scratch/log" || true
echo "corpus: $(ls "$scratch/corpus" | wc -l) entries (scratch copy, discarded)"
if [ "$rc" -ne 0 ]; then
    artifact=$(grep -oE "Test unit written to [^ ]+" "$scratch/log" | tail -1 | cut -d' ' -f5 || true)
    log "FAILED (libFuzzer exit $rc)${artifact:+; input: $artifact}"
    [ -n "$artifact" ] && log "replay: RUSTC_BOOTSTRAP=1 PATH=$cargo_fuzz_root/bin:\$PATH ${fuzz[*]} $artifact"
    exit "$rc"
fi
log "no crash in $secs s"
