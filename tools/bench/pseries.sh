#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The upstream C driver and ibmvmc.ko (pseries backend) on QEMU's spapr-vmc device, in
# one boot of the ppc64le test VM (tests/vm/bench-pseries.plan): 64-byte echo round
# trips, p50/p99 and messages per second, medians of 7 runs each alternating with a pipe
# ping-pong (the floor), C driver before and after ours (so drift within the boot
# shows), ours with bh_mode=1 and with the default bh_mode=0. Numbers, not a test: TCG emulation and a debug kernel; read the ratios.
#   tools/bench/pseries.sh
source "$(dirname "$0")/../lib.sh"
STEP=bench-pseries
arch=ppc64le

"$REPO/tools/build/kernel.sh" "$arch" >/dev/null
ko=$("$REPO/tools/build/module.sh" "$arch" pseries)
qemu_vmc=$("$REPO/tools/build/qemu.sh")
mapfile -t kit < <("$REPO/tools/vm/build-pseries-kit.sh")
# vmc_bench for the echo rows, vmc_session for the 1..16384-byte run of the lock stats.
progs=()
for p in $("$REPO/tools/vm/build-progs.sh" "$arch" vmc_bench vmc_session); do
    progs+=(--prog "$p")
done
out="$REPO/target/vm/$arch/bench-pseries"
"$REPO/tools/vm/run.sh" "$arch" "$REPO/tests/vm/bench-pseries.plan" --ko "$ko" \
    "${progs[@]}" --qemu "$qemu_vmc" --qemu-arg -device --qemu-arg spapr-vmc \
    --file "${kit[0]}" --file "${kit[1]}" --tolerate-splats --out "$out" >&2
python3 - "$out/console.log" "$out" <<'PY'
import re, sys
rows = {}
for line in open(sys.argv[1], errors="replace"):
    m = re.match(r"^vmc_bench: clock (.*)$", line)
    if m:
        clock = m.group(1).strip()
    m = re.match(r"^vmc_bench-summary (\S+) (.*)$", line)
    if m:
        rows[m.group(1)] = [float(x) for x in m.group(2).split()]
print(f"clock: {clock}")
print(f"{'':28} {'p50 us':>9} {'p99 us':>9} {'msgs/s':>9}")
names = {"c": "upstream C driver", "rs": "ibmvmc.ko bh_mode=1", "rs-bh0": "ibmvmc.ko bh_mode=0 (default)", "c-again": "upstream C driver, again"}
for k, v in rows.items():
    print(f"{names.get(k, k):28} {v[0]:9.1f} {v[1]:9.1f} {v[2]:9.0f}")
    print(f"{'  pipe ping-pong, same run':28} {v[3]:9.1f} {v[4]:9.1f} {v[5]:9.0f}")
if "c" in rows and "rs" in rows:
    c, r = rows["c"], rows["rs"]
    print(f"{'ratio bh_mode=1 / C':28} {r[0]/c[0]:9.2f} {r[1]/c[1]:9.2f} {r[2]/c[2]:9.2f}")
    print(f"{'ratio bh_mode=1 / pipe':28} {r[0]/r[3]:9.2f} {r[1]/r[4]:9.2f} {r[2]/r[5]:9.2f}")
    print(f"{'ratio C / pipe':28} {c[0]/c[3]:9.2f} {c[1]/c[4]:9.2f} {c[2]/c[5]:9.2f}")
if "c" in rows and "rs-bh0" in rows:
    c, r = rows["c"], rows["rs-bh0"]
    print(f"{'ratio bh_mode=0 / C':28} {r[0]/c[0]:9.2f} {r[1]/c[1]:9.2f} {r[2]/c[2]:9.2f}")
# How long a write's locked RDMA and Signal kept interrupts off (ibmvmc.ko's stats).
for name, what in (("stats-rs.txt", "64-byte echoes"), ("stats-mtu16k.txt", "1..16384 bytes")):
    try:
        stats = dict(l.split() for l in open(f"{sys.argv[2]}/{name}") if len(l.split()) == 2)
    except OSError:
        continue
    n = int(stats.get("write_locked", 0))
    if n:
        avg = int(stats["write_locked_ns"]) / n / 1000
        top = int(stats["write_locked_max_ns"]) / 1000
        print(f"ibmvmc.ko lock held for a write's RDMA + Signal, {what}: {n} writes, avg {avg:.1f} us, max {top:.1f} us")
PY
