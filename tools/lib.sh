# SPDX-License-Identifier: GPL-2.0-or-later
# Shared settings for the tools/ scripts. Sourced, not executed.
#
# Everything expensive (toolchain unpacks, kernel trees and builds) lives under
# $IBMVMC_CACHE, outside the clone, keyed by version and config hash so a second run
# rebuilds nothing and a changed config never reuses a stale tree.

set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
IBMVMC_CACHE="${IBMVMC_CACHE:-/var/cache/ibmvmc-rs}"

KVER=7.3
RUSTC_WEB_VERSION="1.96.0+dfsg1-1~deb12u2"
BINDGEN_VERSION=0.72.1
LLVM_SUFFIX=-19

# The kernel's Rust toolchain: Debian's rustc-web (1.96), never rustup's (no rust-src).
# Passed to make only: host cargo (tests, benches) keeps the machine's rustup toolchain.
KRUSTC=/usr/bin/rustc
KRUSTDOC=/usr/bin/rustdoc
BINDGEN="$IBMVMC_CACHE/bindgen-$BINDGEN_VERSION/bin/bindgen"
export LIBCLANG_PATH=/usr/lib/llvm-19/lib

log() { printf '[%s %s] %s\n' "$(date +%H:%M:%S)" "${STEP:-ibmvmc}" "$*" >&2; }
die() { log "error: $*"; exit 1; }

# Rust library sources installed by rust-web-src (kernel needs them to build `core`).
rust_lib_src() {
    local d
    for d in /usr/lib/rustlib/src/rust/library /usr/src/rustc-1.96.0/library; do
        [ -d "$d/core" ] && { echo "$d"; return; }
    done
    d=$(dpkg -L rust-web-src 2>/dev/null | grep -m1 '/library/core$' || true)
    [ -n "$d" ] && { dirname "$d"; return; }
    die "rust-web-src library sources not found"
}

# Hash of a list of files (config fragments etc.) for cache keys.
files_hash() { cat "$@" | sha256sum | cut -c1-12; }

# make variables for a kernel build of architecture $1 (x86_64|ppc64le).
kmake_vars() {
    local arch=$1
    local common=(LLVM="$LLVM_SUFFIX" RUSTC="$KRUSTC" HOSTRUSTC="$KRUSTC"
        RUSTDOC="$KRUSTDOC" BINDGEN="$BINDGEN" RUST_LIB_SRC="$(rust_lib_src)")
    case $arch in
        x86_64) printf '%s\n' ARCH=x86_64 "${common[@]}" ;;
        ppc64le) printf '%s\n' ARCH=powerpc CROSS_COMPILE=powerpc64le-linux-gnu- "${common[@]}" ;;
        *) die "unknown arch $arch" ;;
    esac
}

kernel_src_dir() { echo "$IBMVMC_CACHE/linux-$KVER/src"; }

# Fixes applied to the pristine source (tools/build/kernel-patches/*.patch), hashed into keys.
kernel_patches() { ls "$REPO"/tools/build/kernel-patches/*.patch 2>/dev/null | sort; }
patches_hash() { local p; p=$(kernel_patches); if [ -n "$p" ]; then files_hash $p; else echo none; fi; }

# Output directory of the kernel build for arch $1, keyed by its config fragments.
kernel_out_dir() {
    local arch=$1
    local h
    # (the fragments' SPDX lines are not part of the configuration: left out of the key)
    h=$(cat "$REPO"/tools/build/kconfig/common.config "$REPO/tools/build/kconfig/$arch.config" $(kernel_patches) |
        grep -v '^# SPDX-License-Identifier:' | sha256sum | cut -c1-12)
    echo "$IBMVMC_CACHE/linux-$KVER/build-$arch-$h"
}
