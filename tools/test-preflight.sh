#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Tests tools/kbuild-preflight.sh: a fake kernel build tree that passes, then one broken
# way per error, each of which must print its own message (and a good tree nothing).
#   tools/test-preflight.sh
source "$(dirname "$0")/lib.sh"
STEP=test-preflight
pre="$REPO/tools/kbuild-preflight.sh"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# A fake rustc and C compilers, and a tree like the test kernels' (x86, clang, Rust).
mkdir -p "$work/bin"
printf '#!/bin/sh\necho "rustc 1.96.0 (ac68faa20 2026-05-25)"\n' >"$work/bin/rustc"
printf '#!/bin/sh\necho "rustc 1.85.0 (4d91de4e4 2025-02-17)"\n' >"$work/bin/rustc-old"
printf '#!/bin/sh\necho "Debian clang version 19.1.7"\n' >"$work/bin/clang"
printf '#!/bin/sh\necho "gcc (Debian 12.2.0-14) 12.2.0"\n' >"$work/bin/gcc"
chmod +x "$work/bin/"*
tree() {
    local t="$work/$1"
    rm -rf "$t"
    mkdir -p "$t/include/config" "$t/rust" "$t/scripts"
    cat >"$t/include/config/auto.conf" <<CONF
CONFIG_X86=y
CONFIG_RUST=y
CONFIG_RUSTC_VERSION_TEXT="rustc 1.96.0 (ac68faa20 2026-05-25)"
CONFIG_CC_IS_CLANG=y
CONF
    touch "$t/rust/libcore.rmeta" "$t/rust/libkernel.rmeta" "$t/rust/libmacros.so" \
        "$t/scripts/target.json"
    echo "$t"
}
fails=0
expect() {
    local name=$1 want=$2 got
    shift 2
    got=$(bash "$pre" "$@")
    if [ -z "$want" ]; then
        [ -z "$got" ] && log "ok: $name: no error" && return
    else
        grep -q -- "$want" <<<"$got" && log "ok: $name: $got" && return
    fi
    log "FAIL: $name: expected '${want:-nothing}', got '$got'"
    fails=$((fails + 1))
}
r="$work/bin/rustc" c="$work/bin/clang"

t=$(tree good)
expect "a complete tree" "" "$t" "$r" "$c"
expect "not configured" "no include/config/auto.conf" "$work/nowhere" "$r" "$c"
t=$(tree norust); sed -i '/CONFIG_RUST=y/d' "$t/include/config/auto.conf"
expect "no CONFIG_RUST" "has no CONFIG_RUST=y" "$t" "$r" "$c"
t=$(tree modv); echo CONFIG_MODVERSIONS=y >>"$t/include/config/auto.conf"
expect "MODVERSIONS without GENDWARFKSYMS" "without CONFIG_GENDWARFKSYMS=y" "$t" "$r" "$c"
echo CONFIG_GENDWARFKSYMS=y >>"$t/include/config/auto.conf"
expect "MODVERSIONS with GENDWARFKSYMS" "" "$t" "$r" "$c"
t=$(tree headers); rm "$t/rust/libkernel.rmeta"
expect "a headers tree without rust/" "lacks its Rust artifacts (rust/libkernel.rmeta)" "$t" "$r" "$c"
t=$(tree spec); rm "$t/scripts/target.json"
expect "x86 without its target spec" "lacks scripts/target.json" "$t" "$r" "$c"
t=$(tree oldrustc)
expect "another rustc" "is 'rustc 1.85.0.*but the kernel was built with 'rustc 1.96.0" "$t" "$work/bin/rustc-old" "$c"
expect "no rustc" "no rustc at" "$t" "$work/bin/none" "$c"
t=$(tree gcc)
expect "gcc for a clang kernel" "build with LLVM=1" "$t" "$r" "$work/bin/gcc"
[ $fails = 0 ] || die "$fails preflight case(s) wrong"
log "preflight: every case gives its message"
