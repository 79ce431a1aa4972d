#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Builds the static test programs of the VMs for ARCH into target/vm/ARCH/bin and prints
# their paths, one per line: every tests/vm/*.c (after checking that the application
# header src/uapi/ibmvmc.h compiles on its own in strict C99), on x86_64 also the 32-bit
# clients of compat.plan (NAME-32, IA32 emulation) and the Rust poll() client
# (tools/crates/ibmvmc-cli; only x86_64 has a Rust target here). With NAMEs, only those
# programs (tests/vm/NAME.c), for the scripts that need one or two.
#
# A program that includes tests/vm/common/vmc_common.h is linked with vmc_common.c,
# compiled once per architecture; vmc_example.c includes nothing of ours but
# <ibmvmc.h> and is built alone, as an application would be. The include path has
# the kernel's tools/testing/selftests (kselftest.h, kselftest_harness.h) of the
# source the test kernels are built from.
#   tools/vm/build-progs.sh x86_64|ppc64le [NAME...]
source "$(dirname "$0")/../lib.sh"
arch=${1:?usage: build-progs.sh x86_64|ppc64le [NAME...]}
shift
STEP="progs-$arch"

case $arch in
    x86_64) cc=gcc ;;
    ppc64le) cc=powerpc64le-linux-gnu-gcc ;;
    *) die "unknown arch $arch" ;;
esac
bin="$REPO/target/vm/$arch/bin"
mkdir -p "$bin"
printf '#include <ibmvmc.h>\nint main(void) { struct ibmvmc_query_struct q = { 0 }; return q.state; }\n' |
    "$cc" -std=c99 -pedantic -Wall -Wextra -Werror -I "$REPO/src/uapi" -x c -o /dev/null - ||
    die "src/uapi/ibmvmc.h does not compile on its own"

selftests="$(kernel_src_dir)/tools/testing/selftests"
[ -f "$selftests/kselftest_harness.h" ] ||
    die "no $selftests/kselftest_harness.h: run tools/build/kernel.sh $arch (it unpacks the source)"
cflags=(-static -O2 -Wall -Wextra -Werror -I "$REPO/src/uapi" -I "$REPO/tests/vm/common"
    -I "$selftests")
# prog CC OUT SRC: one program, with the common helpers if it includes them.
prog() {
    local cc=$1 out=$2 src=$3 common=()
    if grep -q '^#include "vmc_common.h"' "$src"; then
        common=("$objs/vmc_common-$cc.o")
        [ -f "${common[0]}" ] || "$cc" "${cflags[@]}" -c -o "${common[0]}" \
            "$REPO/tests/vm/common/vmc_common.c" || die "cannot build vmc_common.c ($cc)"
    fi
    "$cc" "${cflags[@]}" -o "$out" "$src" "${common[@]}" || die "cannot build $src"
}
# The object is this run's own (runs for both architectures may overlap).
objs=$(mktemp -d)
trap 'rm -rf "$objs"' EXIT

if [ $# -gt 0 ]; then
    for name in "$@"; do
        [ -f "$REPO/tests/vm/$name.c" ] || die "no tests/vm/$name.c"
        prog "$cc" "$bin/$name" "$REPO/tests/vm/$name.c"
        echo "$bin/$name"
    done
    exit 0
fi

for c in "$REPO"/tests/vm/*.c; do
    p="$bin/$(basename "$c" .c)"
    prog "$cc" "$p" "$c"
    echo "$p"
done

if [ "$arch" = x86_64 ]; then
    for p in vmc_example vmc_session vmc_errno vmc_two; do
        prog i686-linux-gnu-gcc "$bin/$p-32" "$REPO/tests/vm/$p.c"
        echo "$bin/$p-32"
    done
    RUSTFLAGS='-C target-feature=+crt-static' cargo build --quiet --release -p ibmvmc-cli \
        --target x86_64-unknown-linux-gnu --manifest-path "$REPO/Cargo.toml" >&2 ||
        die "cannot build the Rust client"
    cp "$REPO/target/x86_64-unknown-linux-gnu/release/ibmvmc" "$bin/ibmvmc"
    echo "$bin/ibmvmc"
fi
