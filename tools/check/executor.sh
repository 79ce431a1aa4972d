#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Tests of the executor crate (executor/):
#   1. host tests and doc tests (debug; the loom models are skipped there),
#   2. host tests again and the loom models, in release, bounded to
#      LOOM_MAX_PREEMPTIONS (default 3; 4 takes ~10 s, 5 about a minute),
#   3. if the kernel's rustc and its library sources are installed: a no_std build for
#      x86_64 and powerpc64le with panic=abort against a `core` built from source, and
#      a check that the compiled executor references no symbol at all (no panic paths,
#      no atomic libcalls). Skipped, with a note, otherwise.
# Exits non-zero on the first failure.
source "$(dirname "$0")/../lib.sh"
cd "$REPO"

step() { printf '\n== %s\n' "$*"; }

step "host tests (debug)"
cargo test -p ibmvmc-executor

step "host tests and loom models (release, LOOM_MAX_PREEMPTIONS=${LOOM_MAX_PREEMPTIONS:-3})"
export LOOM_MAX_PREEMPTIONS="${LOOM_MAX_PREEMPTIONS:-3}"
start=$SECONDS
cargo test --release -p ibmvmc-executor --tests
echo "release tests and loom models: $((SECONDS - start)) s"

step "no_std build with the kernel's rustc"
# The kernel's rustc and library sources, as lib.sh finds them for the kernel build.
LIBSRC=$(rust_lib_src 2>/dev/null || true)
if [ ! -x "$KRUSTC" ] || [ -z "$LIBSRC" ]; then
    echo "skipped: $KRUSTC or its library sources (rust-web-src) not installed"
    exit 0
fi
version=$("$KRUSTC" --version | tr -c 'a-zA-Z0-9.\n' '_')
OUT="${CARGO_TARGET_DIR:-$REPO/target}/executor-nostd/$version"
mkdir -p "$OUT/empty-sysroot"
# The kernel links its own compiler_builtins; an empty stand-in satisfies rustc here.
printf '#![feature(compiler_builtins)]\n#![compiler_builtins]\n#![no_builtins]\n#![no_std]\n' \
    >"$OUT/compiler_builtins.rs"
for target in x86_64-unknown-none powerpc64le-unknown-linux-gnu; do
    dir="$OUT/$target"
    mkdir -p "$dir"
    common=(--target "$target" -O -Cpanic=abort -Cdebuginfo=0 --sysroot "$OUT/empty-sysroot" -L "$dir")
    if [ ! -f "$dir/libcore.rlib" ]; then
        echo "building core for $target (once)"
        RUSTC_BOOTSTRAP=1 "$KRUSTC" --edition 2024 --crate-type rlib --crate-name core \
            "${common[@]}" "$LIBSRC/core/src/lib.rs" -o "$dir/libcore.rlib"
        RUSTC_BOOTSTRAP=1 "$KRUSTC" --edition 2021 --crate-type rlib \
            --crate-name compiler_builtins "${common[@]}" -Awarnings \
            "$OUT/compiler_builtins.rs" -o "$dir/libcompiler_builtins.rlib"
    fi
    "$KRUSTC" --edition 2021 --crate-type rlib --crate-name ibmvmc_executor "${common[@]}" \
        -Dwarnings executor/src/lib.rs -o "$dir/libibmvmc_executor.rlib"
    "$KRUSTC" --edition 2021 --crate-type lib --emit=obj --crate-name instantiate \
        "${common[@]}" -Dwarnings --extern ibmvmc_executor="$dir/libibmvmc_executor.rlib" \
        executor/tests/nostd/instantiate.rs -o "$dir/instantiate.o"
    rm -rf "$dir/objs" && mkdir "$dir/objs"
    (cd "$dir/objs" && ar x ../libibmvmc_executor.rlib)
    # (nm may also print notes about embedded LLVM bitcode; keep symbol lines only.)
    undefined=$(nm -u "$dir"/objs/*.o 2>/dev/null | grep -E '^ *U ' || true)
    if [ -n "$undefined" ]; then
        echo "$target: the executor's own code references outside symbols:" >&2
        echo "$undefined" >&2
        exit 1
    fi
    # The instantiation may reference the executor's non-generic items, nothing else.
    foreign=$(nm -u "$dir/instantiate.o" 2>/dev/null | grep -E '^ *U ' |
        grep -v -e ibmvmc_executor -e '\.TOC\.' || true)
    if [ -n "$foreign" ]; then
        echo "$target: monomorphised executor code references:" >&2
        echo "$foreign" >&2
        exit 1
    fi
    echo "$target: ok (no_std, panic=abort, no panic or libcall symbols)"
done
