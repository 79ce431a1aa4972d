#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""The C driver beside ibmvmc.ko: the comparison table from one boot's console log.

tests/vm/compare.plan loads the upstream C driver (ibmvmc_c.ko), runs
tests/vm/vmc_compare and vmc_bench on it, unloads it and scans for leaks, then does the
same with ibmvmc.ko (pseries backend), all on QEMU's spapr-vmc device in one boot. This
script reads that boot's console log and writes the table (markdown) with a row per
check: what each driver did, and for a C failure the defect of the C driver that
explains it (the numbers of tests/defects.rs and tests/DEFECTS.md).
Two rows come from the log itself: no splat while the driver was loaded, and no
kmemleak report after it was unloaded.

    compare-table.py CONSOLE_LOG TABLE_MD

Exit status 1 (the test fails) when a check fails on ibmvmc.ko, or the log lacks a
driver's results. A C failure that no listed defect explains is shown as such in the
table (and on stderr), but does not fail the test: the C driver is the baseline, not
the subject.
"""
import re
import sys

# The defects of the C driver that make it fail each check (empty: it should pass).
EXPECTED_C_DEFECTS = {
    "query_ready": [],
    "echo": [],
    "exchange_ops": [],
    "select_writable": [8],
    "poll_in": [],
    "read_zero": [],
    "read_over_mtu": [],
    "read_nonblock_empty": [],
    "read_short_buffer": [23],
    "write_no_session": [],
    "write_over_mtu": [],
    "write_efault_x40": [2],
    "write_zero_x40": [2],
    "unknown_ioctl": [],
    "second_hmc_busy": [],
    "requestvmc": [],
    "reopen_x5": [],
    "dropped_signal": [3],
    "reset": [8],
    "sethmcid_efault": [10],
    "protocol_clean": [],
    "no_splat": [1, 24],
    "no_leak": [25],
}

DESCRIPTIONS = {
    "query_ready": "QUERY: have_vmc and state ready after the handshake",
    "echo": "20 echoes of 64..1964 bytes (write, blocking read)",
    "exchange_ops": "HMC router exchange ops answered",
    "select_writable": "select() reports the open session writable",
    "poll_in": "poll() reports POLLIN for a queued message",
    "read_zero": "read of 0 bytes returns 0",
    "read_over_mtu": "read larger than the MTU: EINVAL",
    "read_nonblock_empty": "O_NONBLOCK read, nothing queued: EAGAIN",
    "read_short_buffer": "read into a short buffer loses no message",
    "write_no_session": "write without SETHMCID: EIO",
    "write_over_mtu": "write larger than the MTU: EIO",
    "write_efault_x40": "40 writes from a bad pointer: EFAULT each, then an echo works",
    "write_zero_x40": "40 zero-length writes, then an echo works",
    "unknown_ioctl": "unknown ioctl refused (EINVAL in C, ENOTTY here by choice)",
    "second_hmc_busy": "second SETHMCID with max_hmcs=1: EBUSY",
    "requestvmc": "REQUESTVMC returns the DRC index",
    "reopen_x5": "5 sessions in a row, each echoes",
    "dropped_signal": "a Signal the hypervisor drops is reported, the next echo works",
    "reset": "reset: blocked read EBADFD, poll POLLHUP/POLLERR, new session works",
    "sethmcid_efault": "SETHMCID from a bad pointer: EFAULT, the device stays usable",
    "protocol_clean": "the hypervisor counted no protocol violation by the driver",
    "no_splat": "no splat in the kernel log while loaded",
    "no_leak": "no kmemleak report after unload",
}

SPLAT = re.compile(
    r"WARNING:|BUG:|Oops|Unable to handle kernel|Kernel panic|possible recursive locking|"
    r"possible circular locking|inconsistent lock state|INFO: possible|DEBUG_LOCKS_WARN_ON|"
    r"sleeping function called from invalid context|do not call blocking ops|KASAN|"
    r"ODEBUG:|UBSAN|scheduling while atomic|soft lockup|rcu.*stall")


def segments(lines):
    """Splits the console at each load of a VMC driver: {label: [lines]}. The kernel's
    warnings and splats are on the console as they happen (loglevel=4), so each lands
    in the section of the driver that was loaded then."""
    out, label = {}, None
    for line in lines:
        if line.startswith("@@ dmesg-begin"):
            # The kernel log's dump at the end repeats what the console showed live.
            break
        m = re.match(r"^@@ load /(ibmvmc_c|ibmvmc)\.ko", line)
        if m:
            label = "c" if m.group(1) == "ibmvmc_c" else "rs"
            out[label] = []
        if label:
            out[label].append(line)
    return out


def parse(lines, label):
    checks = {}
    for line in lines:
        m = re.match(rf"^CHECK {label} (\S+) (PASS|FAIL) ?(.*)$", line)
        if m:
            checks[m.group(1)] = (m.group(2) == "PASS", m.group(3).strip())
    splats = sorted({l.strip() for l in lines if SPLAT.search(l) and not l.startswith("CHECK")})
    leak = 0
    inside = False
    for line in lines:
        if line.startswith("@@ leakcheck-begin"):
            inside = True
        elif line.startswith("@@ leakcheck-end"):
            inside = False
        elif inside and "unreferenced object" in line:
            leak += 1
    checks["no_splat"] = (not splats, splats[0][:90] if splats else "none")
    checks["no_leak"] = (leak == 0, f"{leak} unreferenced objects" if leak else "none")
    return checks


def cell(result):
    ok, seen = result
    seen = seen.replace("|", "/")
    return f"{'pass' if ok else '**FAIL**'}: {seen}"


def main():
    console, table_path = sys.argv[1], sys.argv[2]
    lines = [l.rstrip("\n") for l in open(console, errors="replace")]
    seg = segments(lines)
    bad = []
    if "c" not in seg or "rs" not in seg:
        print("compare-table: the log lacks a driver's section", file=sys.stderr)
        return 1
    c, rs = parse(seg["c"], "c"), parse(seg["rs"], "rs")
    rows = [
        "| check | upstream C driver | ibmvmc.ko | C defect that bites |",
        "|---|---|---|---|",
    ]
    for name, defects in EXPECTED_C_DEFECTS.items():
        cr, rr = c.get(name), rs.get(name)
        if rr is None or cr is None:
            bad.append(f"{name}: no result ({'C' if cr is None else 'ibmvmc.ko'})")
            continue
        if not rr[0]:
            bad.append(f"{name}: fails on ibmvmc.ko: {rr[1]}")
        if not cr[0]:
            why = ", ".join(f"defect {d}" for d in defects) if defects else "unexplained"
            if not defects:
                print(f"compare-table: C driver fails {name} with no listed defect: {cr[1]}",
                      file=sys.stderr)
        else:
            why = "none" if not defects else "(did not bite here: " + \
                ", ".join(str(d) for d in defects) + ")"
        rows.append(f"| {DESCRIPTIONS[name]} | {cell(cr)} | {cell(rr)} | {why} |")
    bench = {}
    for line in lines:
        m = re.match(r"^vmc_bench-summary (\S+) (.*)$", line)
        if m:
            bench[m.group(1)] = [float(x) for x in m.group(2).split()]
    text = "\n".join(rows) + "\n"
    if "c" in bench and "rs" in bench:
        b, r = bench["c"], bench["rs"]
        text += "\n| 64-byte echo, medians of runs | p50 us | p99 us | msgs/s |\n|---|---|---|---|\n"
        text += f"| upstream C driver | {b[0]:.1f} | {b[1]:.1f} | {b[2]:.0f} |\n"
        text += f"| ibmvmc.ko | {r[0]:.1f} | {r[1]:.1f} | {r[2]:.0f} |\n"
        text += f"| pipe ping-pong (C's run) | {b[3]:.1f} | {b[4]:.1f} | {b[5]:.0f} |\n"
        text += f"| pipe ping-pong (ibmvmc.ko's run) | {r[3]:.1f} | {r[4]:.1f} | {r[5]:.0f} |\n"
        text += f"| ratio ibmvmc.ko / C | {r[0] / b[0]:.2f} | {r[1] / b[1]:.2f} | {r[2] / b[2]:.2f} |\n"
        text += (f"| ratio ibmvmc.ko / pipe | {r[0] / r[3]:.2f} | {r[1] / r[4]:.2f} "
                 f"| {r[2] / r[5]:.2f} |\n")
    open(table_path, "w").write(text)
    print(text)
    for b in bad:
        print(f"compare-table: FAIL {b}", file=sys.stderr)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
