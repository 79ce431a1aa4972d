#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Echo round trips through /dev/ibmvmc (simulator backend) next to a pipe ping-pong
# between two processes, measured in the same boot of the x86_64 test VM
# (tests/vm/vmc_bench.c via tests/vm/bench.plan: default load, trace_level=off and debug,
# the default again, bh_mode=1). Numbers, not a test: TCG emulation,
# a debug kernel (KASAN, lockdep, kmemleak), so read the ratio, not the absolutes.
#   tools/bench/vm.sh
source "$(dirname "$0")/../lib.sh"
STEP=bench-vm
arch=x86_64

"$REPO/tools/build/kernel.sh" "$arch" >/dev/null
ko=$("$REPO/tools/build/module.sh" "$arch")
bin="$REPO/target/vm/$arch/bin"
"$REPO/tools/vm/build-progs.sh" "$arch" vmc_bench >/dev/null
out="$REPO/target/vm/$arch/bench"
"$REPO/tools/vm/run.sh" "$arch" "$REPO/tests/vm/bench.plan" --ko "$ko" --prog "$bin/vmc_bench" \
    --out "$out" >&2
# The program's own output, without the kernel's lines and the runner's markers.
grep -v '^@@\|^<\|^\[' "$out/console.log" | grep -i -E 'vmc_bench|/dev/ibmvmc echo|pipe|ratio|p50|msgs' || true
