#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Builds the static test programs of the VMs for ARCH into target/vm/ARCH/bin and prints
# their paths, one per line: every tests/vm/*.c (after checking that the application
# header src/uapi/ibmvmc.h compiles on its own in strict C99), on x86_64 also the 32-bit
# clients of compat.plan (NAME-32, IA32 emulation) and the Rust poll() client
# (tools/ibmvmc-cli; only x86_64 has a Rust target here).
#   tools/vm/build-progs.sh x86_64|ppc64le
source "$(dirname "$0")/../lib.sh"
arch=${1:?usage: build-progs.sh x86_64|ppc64le}
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
for c in "$REPO"/tests/vm/*.c; do
    p="$bin/$(basename "$c" .c)"
    # -I src/uapi: the programs include the application header as <ibmvmc.h>.
    "$cc" -static -O2 -Wall -Wextra -Werror -I "$REPO/src/uapi" -o "$p" "$c" ||
        die "cannot build $c"
    echo "$p"
done

if [ "$arch" = x86_64 ]; then
    for p in vmc_example vmc_session vmc_errno vmc_two; do
        i686-linux-gnu-gcc -static -O2 -Wall -Wextra -Werror -I "$REPO/src/uapi" \
            -o "$bin/$p-32" "$REPO/tests/vm/$p.c" || die "cannot build $p-32"
        echo "$bin/$p-32"
    done
    RUSTFLAGS='-C target-feature=+crt-static' cargo build --quiet --release -p ibmvmc-cli \
        --target x86_64-unknown-linux-gnu --manifest-path "$REPO/Cargo.toml" >&2 ||
        die "cannot build the Rust client"
    cp "$REPO/target/x86_64-unknown-linux-gnu/release/ibmvmc" "$bin/ibmvmc"
    echo "$bin/ibmvmc"
fi
