#!/usr/bin/env bash
# The main job: from a fresh Debian 12 machine, install the toolchain, build the x86_64
# test kernel, ibmvmc.ko and the ibmvmc CLI, boot the VM, load the module (its
# self-test runs on the executor, woken from a hard-IRQ context), run a live session
# with the CLI (query, open with an HMC ID, exchange ops, echoes, HMC close, counters),
# capture the driver's trace, unload, scan for leaks, and show what happened: the
# session, the kernel log, and the trace decoded on the host with the same ibmvmc.ko.
# Backend: the simulator (the only one a machine without POWER hardware can run).
source "$(dirname "$0")/lib.sh"
STEP=run
arch=x86_64
"$REPO/tools/setup-toolchain.sh"
"$REPO/tools/build-kernel.sh" "$arch" >/dev/null
ko=$("$REPO/tools/build-module.sh" "$arch")
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
