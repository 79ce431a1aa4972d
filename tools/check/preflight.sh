#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Tests tools/kbuild/preflight.sh: a fake kernel build tree that passes, then one broken
# way per error, each of which must print its own message (and a good tree nothing).
# Then the same for DKMS's make (tools/pkg/dkms-make.sh, with `make` stubbed): the
# toolchain it finds from a kernel's .config, and its error for each thing missing.
#   tools/check/preflight.sh
source "$(dirname "$0")/../lib.sh"
STEP=test-preflight
pre="$REPO/tools/kbuild/preflight.sh"
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
CONFIG_CLANG_VERSION=190107
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
printf '#!/bin/sh\necho "Debian clang version 14.0.6"\n' >"$work/bin/clang-14" && chmod +x "$work/bin/clang-14"
expect "an older clang than the kernel's" "is clang 14, but the kernel was built with clang 19.*LLVM=-19" \
    "$t" "$r" "$work/bin/clang-14"

# dkms-make.sh: a stub make that prints its arguments; rustc and clang candidates.
dm="$REPO/tools/pkg/dkms-make.sh"
mkdir -p "$work/dbin"
printf '#!/bin/sh\necho "make $*"\n' >"$work/dbin/make"
cp "$work/bin/rustc-old" "$work/dbin/rustc"                 # first on PATH, wrong version
printf '#!/bin/sh\necho "rustc 1.96.0 (ac68faa20 2026-05-25) (fake)"\n' >"$work/dbin/rustc-1.96"
printf '#!/bin/sh\necho "Debian clang version 19.1.7"\n' >"$work/dbin/clang-19"
chmod +x "$work/dbin/"*
ktree() {
    local t="$work/k-$1"
    rm -rf "$t" && mkdir -p "$t"
    shift
    printf '%s\n' CONFIG_RUST=y 'CONFIG_RUSTC_VERSION_TEXT="rustc 1.96.0 (ac68faa20 2026-05-25) (fake)"' \
        CONFIG_CC_IS_CLANG=y CONFIG_CLANG_VERSION=190107 "$@" >"$t/.config"
    echo "$t"
}
dexpect() {
    local name=$1 want=$2 got
    shift 2
    got=$(cd "$work" && PATH="$work/dbin:/usr/bin:/bin" bash "$dm" "$@" 2>&1) || true
    grep -q -- "$want" <<<"$got" && log "ok: dkms-make: $name: $(tail -1 <<<"$got")" && return
    log "FAIL: dkms-make: $name: expected '$want', got '$got'"
    fails=$((fails + 1))
}
x86=(CONFIG_X86_64=y) ppc=(CONFIG_PPC64=y CONFIG_CPU_LITTLE_ENDIAN=y)
host=$(uname -m)
t=$(ktree x86 "${x86[@]}")
dexpect "x86_64: the kernel's rustc and clang, DKMS's CC/LD dropped" \
    "^make -j[0-9]* -C $t M=$work ARCH=x86_64 LLVM=-19 RUSTC=$work/dbin/rustc-1.96 HOSTRUSTC=$work/dbin/rustc-1.96 IBMVMC_VERSION=1.2 modules$" \
    "$t" 7.3.4 x86_64 1.2 CC=clang LD=ld.lld
t=$(ktree ppc "${ppc[@]}")
dexpect "ppc64le from $host: cross" \
    "ARCH=powerpc CROSS_COMPILE=powerpc64le-linux-gnu- LLVM=-19 RUSTC=$work/dbin/rustc-1.96" "$t" 7.3.4 ppc64le 1.2
dexpect "DKMS's arch is another kernel's" "asked for arch ppc64le, but the kernel in $work/k-x86 is x86_64" \
    "$work/k-x86" 7.3.4 ppc64le 1.2
t=$(ktree be CONFIG_PPC64=y)
dexpect "big-endian powerpc" "big-endian powerpc, where the kernel has no Rust support" "$t" 7.3.4 ppc64 1.2
t=$(ktree arm CONFIG_ARM64=y)
dexpect "another architecture" "neither x86_64 nor 64-bit powerpc" "$t" 7.3.4 aarch64 1.2
t=$(ktree norustc "${x86[@]}"); sed -i 's/1.96.0/1.97.0/' "$t/.config"
dexpect "no rustc of the kernel's version" "no rustc here is the one kernel 7.3.4 was built with ('rustc 1.97.0" \
    "$t" 7.3.4 x86_64 1.2
t=$(ktree noclang "${x86[@]}"); sed -i 's/CLANG_VERSION=190107/CLANG_VERSION=170006/' "$t/.config"
dexpect "no clang of the kernel's version" "built with clang 17.*install clang-17 and lld-17" "$t" 7.3.4 x86_64 1.2
t=$(ktree nort "${x86[@]}"); sed -i '/RUSTC_VERSION_TEXT/d' "$t/.config"
dexpect "a kernel without Rust" "no CONFIG_RUSTC_VERSION_TEXT" "$t" 7.3.4 x86_64 1.2
dexpect "no .config" "no kernel configuration at $work/nowhere/.config" "$work/nowhere" 7.3.4 x86_64 1.2
dexpect "an unknown argument" "unexpected argument 'V=1'" "$work/k-x86" 7.3.4 x86_64 1.2 V=1

[ $fails = 0 ] || die "$fails preflight case(s) wrong"
log "preflight: every case gives its message"
