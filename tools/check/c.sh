#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Style check of every C file of our own (git ls-files '*.c' '*.h', without the vendored
# src/kcrates/): the module's glue (src/kmod/), the uapi header (src/uapi/), the VM test
# programs (tests/vm/), the test kernel module tools/vm/hvctl/ and the VM's /init
# (tools/vm/init.c), with the checkpatch.pl of the kernel source we build against. Fails,
# listing them, on any ERROR or WARNING (checkpatch's CHECKs, --strict, are not asked for).
#
#   tools/check/c.sh [FILE...]      default: every own C file
#
# Accepted findings (the decision): none in kernel code, and in user space only this one.
#   PREFER_DEFINED_ATTRIBUTE_MACRO on the line that defines __maybe_unused or __printf in
#     tools/vm/init.c: user space has no include/linux/compiler_attributes.h, and /init
#     stands alone, so it defines the kernel's macros itself, and checkpatch flags the
#     __attribute__ inside the definition. (The test programs take them from the
#     kernel's kselftest.h, through tests/vm/common/vmc_common.h.) Every other use of a
#     bare __attribute__ is still a failure.
# Nothing else needed an exception: `volatile sig_atomic_t` became lock-free atomic_int
# (C11 7.14.1.1 allows those in a signal handler), the volatile bad pointers an empty asm
# barrier (as the kernel's OPTIMIZER_HIDE_VAR), ARRAY_SIZE comes from kselftest.h.
source "$(dirname "$0")/../lib.sh"
STEP=check-c

checkpatch="$(kernel_src_dir)/scripts/checkpatch.pl"
[ -f "$checkpatch" ] || die "no $checkpatch: run tools/build/kernel.sh x86_64 (it unpacks the source)"

cd "$REPO"
if [ $# -gt 0 ]; then
    files=("$@")
else
    mapfile -t files < <(git ls-files '*.c' '*.h' | grep -v '^src/kcrates/')
fi
[ ${#files[@]} -gt 0 ] || die "no C files"

# The one file with accepted findings.
user_space() { [[ $1 == tools/vm/init.c ]]; }
# The accepted definitions (see above), matched against the flagged source line.
accepted_def='^#define (__maybe_unused|__printf\(a, b\)) __attribute__\(\(.*\)\)$'

findings=()
accepted=0
for f in "${files[@]}"; do
    [ -f "$f" ] || die "no file $f"
    set +e
    out=$(perl "$checkpatch" --no-tree -f --terse --show-types "$f" 2>&1)
    rc=$?
    set -e
    n=0
    while IFS= read -r l; do
        [[ $l == *": ERROR:"* || $l == *": WARNING:"* ]] || continue
        n=$((n + 1))
        # FILE:LINE: LEVEL:TYPE: message
        if [[ $l =~ ^[^:]+:([0-9]+):\ WARNING:PREFER_DEFINED_ATTRIBUTE_MACRO: ]] && user_space "$f" &&
            [[ $(sed -n "${BASH_REMATCH[1]}p" "$f") =~ $accepted_def ]]; then
            accepted=$((accepted + 1))
            continue
        fi
        findings+=("$l")
    done <<<"$out"
    # checkpatch exits 1 on findings; a failure without any is checkpatch's own.
    [ "$rc" = 0 ] || [ "$n" -gt 0 ] || die "checkpatch failed on $f: $out"
done

if [ ${#findings[@]} -gt 0 ]; then
    printf '%s\n' "${findings[@]}" >&2
    die "${#findings[@]} checkpatch finding(s) in ${#files[@]} files"
fi
log "${#files[@]} files checkpatch-clean ($accepted accepted attribute-macro definitions)"
