#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The MAKE of tools/pkg/dkms.conf: builds ibmvmc.ko in the DKMS build directory (the
# package's source, the current directory) for one kernel, with the toolchain that
# kernel was built with, found from its configuration rather than guessed:
#   ARCH, CROSS_COMPILE  from CONFIG_X86_64 / CONFIG_PPC64 with CONFIG_CPU_LITTLE_ENDIAN,
#                        cross only when the kernel is not for this machine
#   LLVM=                a clang kernel (CONFIG_CC_IS_CLANG) gets the clang whose version
#                        is CONFIG_CLANG_VERSION: clang-NN (LLVM=-NN) or clang (LLVM=1)
#   RUSTC=               the rustc whose `--version` is CONFIG_RUSTC_VERSION_TEXT, among
#                        every rustc on PATH, rustc-1.NN, /usr/lib/rust-*/bin/rustc
#   BINDGEN=             likewise for CONFIG_BINDGEN_VERSION_TEXT (not needed to build
#                        the module today: passed when found)
# The backend is the kernel's architecture default (Kbuild): the pseries VIO driver on
# powerpc, the simulator on x86_64. What is found goes to the build log (DKMS's
# make.log); a missing tool is one clear error. IBMVMC_RUSTC, IBMVMC_LLVM and
# IBMVMC_CROSS_COMPILE in the environment override the search (a packager's knob).
#
# usage: dkms-make.sh KERNEL_BUILD_DIR KERNELVER DKMS_ARCH VERSION [CC=.. LD=..]
#        dkms-make.sh --clean KERNEL_BUILD_DIR
# (DKMS appends CC=clang LD=ld.lld for a clang kernel: ignored, LLVM= picks the right
# versioned ones, which an unversioned `clang` on Debian may not be.)
set -euo pipefail

die() {
    echo "ibmvmc-rs dkms: $*" >&2
    exit 1
}

if [ "${1:-}" = --clean ]; then
    kdir=${2:?usage: dkms-make.sh --clean KERNEL_BUILD_DIR}
    exec make -C "$kdir" M="$PWD" clean
fi
kdir=${1:?usage: dkms-make.sh KERNEL_BUILD_DIR KERNELVER DKMS_ARCH VERSION}
kver=${2:?} dkms_arch=${3:?} version=${4:?}
shift 4
for a in "$@"; do
    case $a in
        CC=* | LD=*) ;;
        *) die "unexpected argument '$a'" ;;
    esac
done
conf="$kdir/.config"
[ -r "$conf" ] || die "no kernel configuration at $conf: install the kernel's build tree (headers with .config)"
config() { sed -n "s/^$1=//p" "$conf" | head -1 | sed 's/^"\(.*\)"$/\1/'; }

vars=()
host=$(uname -m)
if [ "$(config CONFIG_X86_64)" = y ]; then
    karch=x86_64 triple=x86_64-linux-gnu
elif [ "$(config CONFIG_PPC64)" = y ]; then
    [ "$(config CONFIG_CPU_LITTLE_ENDIAN)" = y ] ||
        die "kernel $kver is big-endian powerpc, where the kernel has no Rust support (HAVE_RUST is ppc64le only)"
    karch=ppc64le triple=powerpc64le-linux-gnu
else
    die "kernel $kver is neither x86_64 nor 64-bit powerpc: ibmvmc-rs builds for ppc64le (the pseries driver) and x86_64 (the simulator)"
fi
[ "$dkms_arch" = "$karch" ] || [ "$dkms_arch" = "$host" ] ||
    die "DKMS asked for arch $dkms_arch, but the kernel in $kdir is $karch"
case $karch in
    x86_64) vars+=(ARCH=x86_64) ;;
    *) vars+=(ARCH=powerpc) ;;
esac
if [ "$karch" != "$host" ]; then
    vars+=(CROSS_COMPILE="${IBMVMC_CROSS_COMPILE:-$triple-}")
fi

if [ "$(config CONFIG_CC_IS_CLANG)" = y ]; then
    want=$(( $(config CONFIG_CLANG_VERSION) / 10000 ))
    if [ -n "${IBMVMC_LLVM:-}" ]; then
        llvm=$IBMVMC_LLVM
    elif command -v "clang-$want" >/dev/null; then
        llvm=-$want
    elif clang --version 2>/dev/null | grep -q "clang version $want\."; then
        llvm=1
    else
        die "kernel $kver was built with clang $want (CONFIG_CLANG_VERSION=$(config CONFIG_CLANG_VERSION)): install clang-$want and lld-$want"
    fi
    vars+=(LLVM="$llvm")
fi

# The first of every candidate named NAME whose --version is WANT (or OVERRIDE).
find_tool() {
    local name=$1 want=$2 override=$3 c
    if [ -n "$override" ]; then
        echo "$override"
        return
    fi
    {
        type -ap "$name" || true
        compgen -c "$name-" | sort -u | while read -r c; do command -v "$c"; done
        ls /usr/lib/rust-*/bin/"$name" /usr/lib/rust-web/bin/"$name" 2>/dev/null || true
    } | while read -r c; do
        if [ -x "$c" ] && [ "$("$c" --version 2>/dev/null | head -1)" = "$want" ]; then
            echo "$c"
            break
        fi
    done || true
}
want=$(config CONFIG_RUSTC_VERSION_TEXT)
[ -n "$want" ] || die "kernel $kver has no CONFIG_RUSTC_VERSION_TEXT: it was built without Rust support (CONFIG_RUST)"
rustc=$(find_tool rustc "$want" "${IBMVMC_RUSTC:-}")
[ -n "$rustc" ] ||
    die "no rustc here is the one kernel $kver was built with ('$want'): install that rustc, or set IBMVMC_RUSTC"
vars+=(RUSTC="$rustc" HOSTRUSTC="$rustc")
want=$(config CONFIG_BINDGEN_VERSION_TEXT)
if [ -n "$want" ]; then
    bindgen=$(find_tool bindgen "$want" "${IBMVMC_BINDGEN:-}")
    [ -z "$bindgen" ] || vars+=(BINDGEN="$bindgen")
fi

echo "ibmvmc-rs $version for $kver ($karch): make ${vars[*]}"
exec make -j"$(nproc)" -C "$kdir" M="$PWD" "${vars[@]}" IBMVMC_VERSION="$version" modules
