#!/usr/bin/env bash
# The main job: from a fresh Debian 12 machine, install the toolchain, build the x86_64
# test kernel and ibmvmc.ko, boot the VM, load the module (which runs its self-test on
# the executor, woken from a hard-IRQ context), unload it, and show the module's lines.
# Backend: the simulator (the only one a machine without POWER hardware can run).
source "$(dirname "$0")/lib.sh"
STEP=run
arch=${1:-x86_64}
"$REPO/tools/setup-toolchain.sh"
"$REPO/tools/build-kernel.sh" "$arch" >/dev/null
ko=$("$REPO/tools/build-module.sh" "$arch")
out="$REPO/target/vm/$arch/run"
"$REPO/tools/vm/run.sh" "$arch" "$REPO/tests/vm/run.plan" --ko "$ko" --out "$out" \
    --expect-log 'ibmvmc: crates ok:'
echo "--- ibmvmc lines of the kernel log:"
grep -h 'ibmvmc' "$out/dmesg.log" | sed 's/^<[0-9]>//'
