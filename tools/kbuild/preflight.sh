#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Called by /Kbuild before anything compiles: can this kernel build tree build ibmvmc.ko?
# Prints nothing if it can; otherwise one line saying what is wrong and what to install
# or set, which Kbuild turns into the build's error. (A distribution's headers package
# typically lacks the Rust artifacts, so the usual failure is a rustc error deep in the
# build; this says it first.) bindgen is not checked: building the module never runs
# it (the kernel's bindings are in its rust/ artifacts).
#
# usage: tools/kbuild/preflight.sh OBJTREE RUSTC CC
#   OBJTREE  the kernel's build tree (its include/config/auto.conf, rust/)
#   RUSTC    the rustc this build would use; CC the C compiler
# Tested by tools/check/preflight.sh (one fake tree per error).
objtree=${1:?usage: tools/kbuild/preflight.sh OBJTREE RUSTC CC} rustc=${2:-rustc} cc=${3:-cc}
conf="$objtree/include/config/auto.conf"

say() {
    echo "ibmvmc: $*"
    exit 0
}

[ -r "$conf" ] ||
    say "$objtree is not a configured kernel build tree (no include/config/auto.conf): point KDIR at the kernel's build directory, or run 'make modules_prepare' in it"
config() { sed -n "s/^$1=//p" "$conf" | head -1 | sed 's/^"\(.*\)"$/\1/'; }

[ "$(config CONFIG_RUST)" = y ] ||
    say "the kernel in $objtree has no CONFIG_RUST=y: ibmvmc.ko is a Rust module and needs a kernel built with Rust support (see the README's support matrix)"
if [ "$(config CONFIG_MODVERSIONS)" = y ] && [ "$(config CONFIG_GENDWARFKSYMS)" != y ]; then
    say "the kernel in $objtree has CONFIG_MODVERSIONS=y without CONFIG_GENDWARFKSYMS=y: Rust modules cannot get symbol versions there; rebuild the kernel with CONFIG_GENDWARFKSYMS=y (or without MODVERSIONS)"
fi
for f in libcore.rmeta libkernel.rmeta libmacros.so; do
    [ -e "$objtree/rust/$f" ] ||
        say "the kernel build tree $objtree lacks its Rust artifacts (rust/$f): a headers package without them cannot build Rust modules; use the full build tree the kernel was built in (or a headers package that ships rust/)"
done
# x86 builds Rust for a target spec file the kernel generates (powerpc uses a built-in one).
if [ "$(config CONFIG_X86)" = y ] && [ ! -e "$objtree/scripts/target.json" ]; then
    say "the kernel build tree $objtree lacks scripts/target.json (the Rust target spec of its build): use the full build tree the kernel was built in"
fi
want=$(config CONFIG_RUSTC_VERSION_TEXT)
have=$("$rustc" --version 2>/dev/null | head -1)
[ -n "$have" ] ||
    say "no rustc at '$rustc': install the rustc the kernel was built with ($want) and pass it as RUSTC="
[ "$have" = "$want" ] ||
    say "rustc '$rustc' is '$have', but the kernel was built with '$want': a module must use the kernel's own rustc (its .rmeta files are not readable by another); pass RUSTC= of that one"
if [ "$(config CONFIG_CC_IS_CLANG)" = y ]; then
    "$cc" --version 2>/dev/null | grep -q clang ||
        say "the kernel was built with clang (CONFIG_CC_IS_CLANG=y), but CC is '$cc': build with LLVM=1 (or LLVM=-NN for a versioned clang), as the kernel was"
    # Another clang major version: other flags, other warnings, another ABI of
    # compiler-generated helpers; an older one may not know the kernel's flags at all.
    kmajor=$(( $(config CONFIG_CLANG_VERSION) / 10000 ))
    cmajor=$("$cc" --version 2>/dev/null | sed -n 's/.*clang version \([0-9]*\)\..*/\1/p' | head -1)
    [ -z "$cmajor" ] || [ "$kmajor" = 0 ] || [ "$cmajor" = "$kmajor" ] ||
        say "CC '$cc' is clang $cmajor, but the kernel was built with clang $kmajor (CONFIG_CLANG_VERSION=$(config CONFIG_CLANG_VERSION)): install clang-$kmajor and build with LLVM=-$kmajor"
fi
exit 0
