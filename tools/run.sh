#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The main job: from a fresh Debian 12 machine, install the toolchain, build the x86_64
# test kernel, ibmvmc.ko and the ibmvmc CLI, boot the VM, load the module (its
# self-test runs on the executor, woken from a hard-IRQ context), run a live session
# with the CLI (query, open with an HMC ID, exchange ops, echoes, HMC close, counters),
# capture the driver's trace, unload, scan for leaks, and show what happened: the
# session, the kernel log, and the trace decoded on the host with the same ibmvmc.ko.
# Backend: the simulator compiled into the module, by default.
#
#   tools/run.sh             the x86_64 VM, simulator backend, the ibmvmc CLI
#   tools/run.sh --pseries   the ppc64le VM, the pseries backend (the real VIO driver)
#                            on QEMU's spapr-vmc device (tools/build/qemu.sh), the C example
#                            client (tests/vm/run-pseries.plan)
source "$(dirname "$0")/lib.sh"
STEP=run
"$REPO/tools/build/toolchain.sh"
if [ "${1:-}" = --pseries ]; then
    arch=ppc64le
    "$REPO/tools/build/kernel.sh" "$arch" >/dev/null
    ko=$("$REPO/tools/build/module.sh" "$arch" pseries)
    qemu_vmc=$("$REPO/tools/build/qemu.sh")
    mapfile -t kit < <("$REPO/tools/vm/build-pseries-kit.sh")
    cargo build --quiet --release -p ibmvmc-trace --manifest-path "$REPO/Cargo.toml"
    bin="$REPO/target/vm/$arch/bin"
    "$REPO/tools/vm/build-progs.sh" "$arch" vmc_example vmc_session >/dev/null
    out="$REPO/target/vm/$arch/run-pseries"
    "$REPO/tools/vm/run.sh" "$arch" "$REPO/tests/vm/run-pseries.plan" --ko "$ko" \
        --prog "$bin/vmc_example" --prog "$bin/vmc_session" --qemu "$qemu_vmc" \
        --qemu-arg -device --qemu-arg spapr-vmc --file "${kit[0]}" --out "$out" \
        --expect-log 'probe: unit address' --expect-log 'VMC device ready'
    echo "--- the session (C clients in the ppc64le VM, pseries backend, QEMU spapr-vmc):"
    sed -n '/^@@ load \/ibmvmc.ko/,/^@@ unload ibmvmc/p' "$out/console.log" |
        sed '/^@@ dump-begin/,/^@@ dump-end/d' | grep -v '^@@\|^<\|^\[' | sed '/^$/d'
    echo "--- the driver's state and counters after it:"
    cat "$out/state.txt" "$out/stats.txt"
    echo "--- ibmvmc lines of the kernel log:"
    grep -h 'ibmvmc' "$out/dmesg.log" | sed 's/^<[0-9]>//'
    echo "--- the driver's trace of that session (ibmvmc-trace --elf ibmvmc.ko trace.bin):"
    "$REPO/target/release/ibmvmc-trace" --elf "$ko" "$out/trace.bin"
    exit 0
fi
arch=x86_64
"$REPO/tools/build/kernel.sh" "$arch" >/dev/null
ko=$("$REPO/tools/build/module.sh" "$arch")
log "building the ibmvmc CLI (static) and the trace decoder"
RUSTFLAGS='-C target-feature=+crt-static' cargo build --quiet --release -p ibmvmc-cli \
    --target x86_64-unknown-linux-gnu --manifest-path "$REPO/Cargo.toml"
cargo build --quiet --release -p ibmvmc-trace --manifest-path "$REPO/Cargo.toml"
cli="$REPO/target/x86_64-unknown-linux-gnu/release/ibmvmc"
out="$REPO/target/vm/$arch/run"
"$REPO/tools/vm/run.sh" "$arch" "$REPO/tests/vm/run.plan" --ko "$ko" --prog "$cli" --out "$out" \
    --expect-log 'ibmvmc: crates ok:' --expect-log 'ibmvmc: /dev/ibmvmc ready'
echo "--- the session (ibmvmc CLI in the VM):"
sed -n '/^@@ load/,/^@@ unload/p' "$out/console.log" | sed '/^@@ dump-begin/,/^@@ dump-end/d' |
    grep -v '^@@\|^<\|^\[' | sed '/^$/d'
echo "--- ibmvmc lines of the kernel log:"
grep -h 'ibmvmc' "$out/dmesg.log" | sed 's/^<[0-9]>//'
echo "--- the driver's trace of that session (ibmvmc-trace --elf ibmvmc.ko trace.bin):"
"$REPO/target/release/ibmvmc-trace" --elf "$ko" "$out/trace.bin"
