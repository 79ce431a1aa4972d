#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Fails if a function in the module's objects has a stack frame above a limit.

The kernel warns about big C frames (CONFIG_FRAME_WARN, 2048 bytes on Debian's
ppc64el and amd64 kernels) but rustc has no such check, and the module's probe and
load run deep in the driver core's call chain: on an 8 KiB kernel stack (the ppc64le
test kernel's THREAD_SHIFT=13) a few 2 KiB Rust frames overflowed it and corrupted
memory (see README, Known problems). This reads each function's frame from its
prologue (x86_64: `sub $N,%rsp`; ppc64le: `stdu r1,-N(r1)`, the sum of a run of
`stdu r0,-N(r1)` for a frame allocated with stack probes, or `stdux` for a frame too
big for an immediate) and reports every one above the limit.

  tools/check/frames.py ARCH LIMIT OBJECT...
"""
import re
import subprocess
import sys

arch, limit, objects = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
objdump = {"x86_64": "objdump", "ppc64le": "powerpc64le-linux-gnu-objdump"}[arch]
frame_re = {
    "x86_64": re.compile(r"\bsub\s+\$0x([0-9a-f]+),%rsp"),
    "ppc64le": re.compile(r"\bstdu\s+r[01],-(\d+)\(r1\)"),
}[arch]
func_re = re.compile(r"^[0-9a-f]+ <(.+)>:$")
big = []
probed = 0
for obj in objects:
    out = subprocess.run([objdump, "-d", "--no-show-raw-insn", obj], check=True,
                         capture_output=True, text=True).stdout
    func, seen = None, False
    for line in out.splitlines():
        m = func_re.match(line)
        if m:
            func, seen, probed = m.group(1), False, 0
            continue
        if func is None or seen:
            continue
        m = frame_re.search(line)
        if m:
            size = int(m.group(1), 16 if arch == "x86_64" else 10)
            if arch == "ppc64le" and "r0," in m.group(0):
                # A frame above a page is allocated with stack probes: `mr r0,r1`, then
                # one `stdu r0,-N(r1)` per step (the remainder, then 4096 each time),
                # so the frame is the sum of the run of them.
                probed += size
                continue
            seen = True
            size += probed
            if size > limit:
                big.append((size, obj, func))
        elif arch == "ppc64le" and re.search(r"\bstdux\s+r1,r1,", line):
            seen = True
            big.append((-1, obj, func))
        elif probed:
            # The run of probing stores ended: that was the whole frame.
            seen = True
            if probed > limit:
                big.append((probed, obj, func))
for size, obj, func in sorted(big, reverse=True):
    shown = "more than 32767" if size < 0 else str(size)
    print(f"{obj}: {func}: stack frame {shown} bytes (limit {limit})")
sys.exit(1 if big else 0)
