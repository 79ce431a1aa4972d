#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Generates src/kmod/bindings.rs, the Rust side of src/kmod/shim.h: every function the
# C files and the Rust glue call across (both ways) and every constant they share, with
# the bindgen of the toolchain (tools/build/toolchain.sh installs it). The file is
# checked in, so that a module build needs no bindgen and no libclang; the test command
# runs this with --check, which fails when the file is not what shim.h gives now.
#
#   tools/kbuild/gen-bindings.sh [--check]
#
# The glue uses the declarations as they are: Rust -> C calls go through ffi.rs's and
# pseries.rs's safe wrappers, and each C -> Rust function is checked against its
# declaration at compile time (same_signature! in ffi.rs).
source "$(dirname "$0")/../lib.sh"
STEP=bindings

check=0
case ${1:-} in
    --check) check=1 ;;
    "") ;;
    *) die "usage: $0 [--check]" ;;
esac
[ -x "$BINDGEN" ] || die "no bindgen at $BINDGEN: run tools/build/toolchain.sh"

out="$REPO/src/kmod/bindings.rs"
tmp=$(mktemp)
trap 'rm -f "$tmp" "$tmp.raw"' EXIT
# Every declaration of the header (the debug and pseries ones too: an unused foreign
# item costs nothing), none of the compiler's own macros.
"$BINDGEN" "$REPO/src/kmod/shim.h" --use-core --ctypes-prefix kernel::ffi \
    --no-layout-tests --no-doc-comments --default-macro-constant-type signed \
    --allowlist-function 'ibmvmc_.*' --allowlist-var 'IBMVMC_.*|ibmvmc_.*' \
    --allowlist-type 'ibmvmc_.*' --rust-target 1.82 --merge-extern-blocks \
    -o "$tmp.raw" -- -x c -std=gnu11 -DIBMVMC_BINDGEN -DIBMVMC_PSERIES \
    -DIBMVMC_DEBUG 2>"$tmp" || { cat "$tmp" >&2; die "bindgen failed on src/kmod/shim.h"; }
{
    echo "// SPDX-License-Identifier: GPL-2.0-or-later"
    echo "// Generated from src/kmod/shim.h by tools/kbuild/gen-bindings.sh ($("$BINDGEN" --version | cut -d' ' -f2)): do not edit."
    cat "$tmp.raw"
} >"$tmp"
# In the house style, whatever rustfmt bindgen found.
rustfmt --edition 2021 --config-path "$REPO/.rustfmt.toml" "$tmp"

if [ $check = 1 ]; then
    if ! diff -u "$out" "$tmp" >&2; then
        die "src/kmod/bindings.rs is not what src/kmod/shim.h gives: run tools/kbuild/gen-bindings.sh"
    fi
    log "src/kmod/bindings.rs matches src/kmod/shim.h"
else
    cp "$tmp" "$out"
    log "wrote src/kmod/bindings.rs"
fi
