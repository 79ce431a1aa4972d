#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Fuzzes with libFuzzer, each target for SECONDS (default 30):
#   tools/check/fuzz.sh [SECONDS] [TARGET...]
# Targets (tests/fuzz/fuzz_targets/, a cargo-fuzz crate outside the root workspace):
#   crq_codec     the CRQ codec (src/wire/): parse/emit round trips;
#   core_entries  the driver core fed arbitrary hypervisor entries, hcall results and
#                 application calls (no panic, no livelock, exact pool bookkeeping).
# Default: both. Exits non-zero if the fuzzer finds a crash (panic, failed assertion,
# timeout, OOM); the input that did it is kept in tests/fuzz/artifacts/<target>/
# (git-ignored) and can be replayed with the command printed at the end.
#
# cargo-fuzz needs -Z flags. There is no nightly here: RUSTC_BOOTSTRAP=1 makes the
# stable toolchain accept them. cargo-fuzz itself is installed once under
# $IBMVMC_CACHE/cargo-fuzz (outside the clone).
#
# The seed corpus (tests/fuzz/corpus/<target>/seed-*) is copied to a scratch directory
# and fuzzed there, so the repo never receives generated entries.
#
# Environment:
#   FUZZ_SANITIZER  none (default) or address. The codec is safe Rust without `unsafe`;
#                   a panic is what libFuzzer has to catch, and ASan only costs speed.
#   FUZZ_ARGS       extra libFuzzer flags, e.g. "-seed=1 -jobs=2".
source "$(dirname "$0")/../lib.sh"
STEP=fuzz

secs=${1:-30}
[[ $secs =~ ^[0-9]+$ && $secs -gt 0 ]] || die "usage: $0 [SECONDS] [TARGET...]"
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(crq_codec core_entries)
sanitizer=${FUZZ_SANITIZER:-none}
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

fuzz_one() {
    local target=$1 rc artifact
    [ -d "$fuzz_dir/corpus/$target" ] || die "unknown target $target"
    mkdir -p "$scratch/$target"
    cp "$fuzz_dir/corpus/$target"/seed-* "$scratch/$target/"
    mkdir -p "$fuzz_dir/artifacts/$target"

    local fuzz=(cargo fuzz run --fuzz-dir "$fuzz_dir" --sanitizer "$sanitizer" "$target")
    log "building $target (sanitizer: $sanitizer)"
    cargo fuzz build --fuzz-dir "$fuzz_dir" --sanitizer "$sanitizer" "$target"

    log "fuzzing $target for $secs s, $(ls "$scratch/$target" | wc -l) seeds"
    set +e
    # shellcheck disable=SC2086 # FUZZ_ARGS is a list of flags
    "${fuzz[@]}" "$scratch/$target" -- \
        -max_total_time="$secs" -print_final_stats=1 \
        ${FUZZ_ARGS:-} \
        2>&1 | tee "$scratch/$target.log"
    rc=${PIPESTATUS[0]}
    set -e

    echo "--- $target: ${secs}s, sanitizer $sanitizer, exit $rc"
    grep -E '^#[0-9]+[[:space:]]+DONE' "$scratch/$target.log" | tail -1 || true
    grep -E '^stat::(number_of_executed_units|average_exec_per_sec|new_units_added|peak_rss_mb):' \
        "$scratch/$target.log" || true
    echo "corpus: $(ls "$scratch/$target" | wc -l) entries (scratch copy, discarded)"
    if [ "$rc" -ne 0 ]; then
        artifact=$(grep -oE "Test unit written to [^ ]+" "$scratch/$target.log" | tail -1 | cut -d' ' -f5 || true)
        log "FAILED $target (libFuzzer exit $rc)${artifact:+; input: $artifact}"
        [ -n "$artifact" ] && log "replay: RUSTC_BOOTSTRAP=1 PATH=$cargo_fuzz_root/bin:\$PATH ${fuzz[*]} $artifact"
        exit "$rc"
    fi
    log "$target: no crash in $secs s"
}

for target in "${targets[@]}"; do
    fuzz_one "$target"
done
