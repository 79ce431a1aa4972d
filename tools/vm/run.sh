#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Boots the test kernel of ARCH in QEMU with an initramfs holding ibmvmc.ko, the static
# test programs and PLAN (see tools/vm/init.c for its language), collects every step's
# result and the full kernel log, and fails if a step failed or the log holds a splat.
#
# usage: tools/vm/run.sh ARCH PLAN [options]
#   --ko PATH            module to put in the initramfs as /ibmvmc.ko (default: build it)
#   --prog PATH          static program to put in /bin (repeatable)
#   --expect-log REGEX   the kernel log must match (extended regex; repeatable)
#   --out DIR            where the console log and the summary go (default target/vm/ARCH)
#   --file PATH          extra file for the initramfs root, as /NAME (repeatable; e.g.
#                        another module the plan loads)
#   --qemu PATH          the QEMU binary (default: the distribution's qemu-system-ARCH)
#   --qemu-arg ARG       one more QEMU argument (repeatable; e.g. -device spapr-vmc)
#   --append ARG         one more kernel command line argument (repeatable; e.g.
#                        module.sig_enforce=1)
#   --tolerate-splats    splats and kmemleak reports are logged, not failures (for a
#                        boot that runs a driver known to splat: the caller judges)
# Exit status: 0 pass, 1 fail. The last line printed is "vm ARCH: PASS" or "... FAIL: why".
source "$(dirname "$0")/../lib.sh"
arch=${1:?usage: run.sh ARCH PLAN [options]}
plan=${2:?usage: run.sh ARCH PLAN [options]}
shift 2
STEP="vm-$arch"

ko="" progs=() expects=() out="$REPO/target/vm/$arch" files=() qemu_bin="" qemu_args=() tolerate=0
cmdline=()
while [ $# -gt 0 ]; do
    case $1 in
        --ko) ko=$2; shift 2 ;;
        --file) files+=("$2"); shift 2 ;;
        --qemu) qemu_bin=$2; shift 2 ;;
        --qemu-arg) qemu_args+=("$2"); shift 2 ;;
        --append) cmdline+=("$2"); shift 2 ;;
        --tolerate-splats) tolerate=1; shift ;;
        --prog) progs+=("$2"); shift 2 ;;
        --expect-log) expects+=("$2"); shift 2 ;;
        --out) out=$2; shift 2 ;;
        *) die "unknown option $1" ;;
    esac
done
[ -n "$ko" ] || ko=$("$REPO/tools/build/module.sh" "$arch")

kdir=$(kernel_out_dir "$arch")
case $arch in
    x86_64)
        cc=gcc
        image="$kdir/arch/x86/boot/bzImage"
        # The clock: under TCG the guest's TSC is the host's (QEMU reads the host
        # counter), but the guest cannot calibrate it (the PIT calibration fails, and
        # without ACPI there is no HPET or PM timer to compare with), marks it unstable
        # and runs on refined-jiffies: 4 ms steps, tick-bound hrtimers, benchmarks that
        # measure the tick. So the host's TSC rate is measured here and given to the
        # guest (tsc_early_khz=), and tsc=reliable skips a watchdog that has nothing
        # to watch with.
        mkdir -p "$REPO/target/vm"
        gcc -O2 -Wall -Wextra -Werror -o "$REPO/target/vm/tsc-khz" "$REPO/tools/vm/tsc-khz.c"
        tsc_khz=$("$REPO/target/vm/tsc-khz") || die "cannot measure the host's TSC rate"
        qemu=(qemu-system-x86_64 -m 1G -smp 2 -cpu max
            -append "console=ttyS0 panic=-1 loglevel=4 kmemleak=on tsc_early_khz=$tsc_khz tsc=reliable${cmdline[*]/#/ }")
        ;;
    ppc64le)
        cc=powerpc64le-linux-gnu-gcc
        image="$kdir/vmlinux"
        qemu=(qemu-system-ppc64 -m 1G -smp 2 -cpu POWER9 -vga none
            -M pseries,cap-cfpc=broken,cap-sbbc=broken,cap-ibs=broken,cap-ccf-assist=off
            -append "console=hvc0 panic=-1 loglevel=4 kmemleak=on${cmdline[*]/#/ }")
        ;;
    *) die "unknown arch $arch" ;;
esac
[ -f "$image" ] || die "no kernel image $image: run tools/build/kernel.sh $arch"
# A QEMU of our own build (tools/build/qemu.sh) has no firmware bundled: the distribution's.
[ -z "$qemu_bin" ] || qemu=("$qemu_bin" -L /usr/share/qemu "${qemu[@]:1}")
qemu+=("${qemu_args[@]}")

# KVM is not used: on these machines /dev/kvm exists but ordinary guests hang or abort
# under it (README.md, "Test kernels"). IBMVMC_KVM=1 opts in.
if [ "${IBMVMC_KVM:-0}" = 1 ] && [ "$arch" = x86_64 ]; then
    qemu+=(-enable-kvm)
fi

mkdir -p "$out"
root="$out/initramfs"
rm -rf "$root" && mkdir -p "$root"/{bin,proc,sys,dev}
"$cc" -static -O2 -Wall -o "$root/init" "$REPO/tools/vm/init.c"
cp "$ko" "$root/ibmvmc.ko"
for f in "${files[@]}"; do cp "$f" "$root/"; done
for p in "${progs[@]}"; do cp "$p" "$root/bin/"; done
cp "$plan" "$root/plan"
(cd "$root" && find . | sort | cpio -o -H newc --quiet) >"$out/initramfs.cpio"

console="$out/console.log"
dmesg="$out/dmesg.log"
summary="$out/summary.txt"

# One boot of the plan; fills `fail` and sets `early_splat` when the first splat came
# before /init started (so before the module could have caused it).
boot_once() {
    fail=()
    early_splat=0
    log "booting ($(basename "$plan"))"
    start=$(date +%s.%N)
    set +e
    timeout 600 "${qemu[@]}" -nographic -no-reboot -kernel "$image" -initrd "$out/initramfs.cpio" \
        </dev/null >"$console" 2>&1
    qrc=$?
    set -e
    secs=$(printf '%.1f' "$(echo "$(date +%s.%N) - $start" | bc)")
    tr -d '\r' <"$console" >"$console.tmp" && mv "$console.tmp" "$console"

    [ $qrc = 124 ] && fail+=("QEMU timed out after 600 s")
    grep -q '^@@ done' "$console" || fail+=("/init did not finish (crash, panic or hang)")
    sed -n '/^@@ dmesg-begin/,/^@@ dmesg-end/p' "$console" | sed '1d;$d' >"$dmesg"
    [ -s "$dmesg" ] || fail+=("no kernel log collected")

    # Every step's result.
    while read -r _ what name rest; do
        case $what in
            load|unload) [[ $rest == "rc=0 errno=0" ]] || fail+=("$what $name: $rest") ;;
            refuse)
                e=$(sed -n 's/^rc=-1 errno=\([0-9]*\) want=\([0-9]*\)$/\1 \2/p' <<<"$rest")
                [ -n "$e" ] && [ "${e% *}" = "${e#* }" ] || fail+=("refuse $name: $rest") ;;
            run) [[ $rest == "status=0" ]] || fail+=("run $name: $rest") ;;
            error) fail+=("init: $name $rest") ;;
        esac
        case $what in load|unload|refuse|run) log "$what $name $rest" ;; esac
    done < <(grep '^@@ ' "$console")

    # The TAP of each program that printed some (kselftest.h, kselftest_harness.h):
    # every "not ok" is a failure, and so is a bail-out or a plan that is not the
    # number of results (a program that died half-way).
    while read -r f; do fail+=("$f"); done < <(python3 - "$console" <<'PY'
import re, sys
prog, lines = None, []
def judge(prog, lines, status):
    for l in lines:
        if l.startswith("Bail out!"):
            print(f"run {prog}: {l}")
    if not any(l.startswith("TAP version ") for l in lines):
        return
    results = [l for l in lines if re.match(r"(not )?ok \d+( |$)", l)]
    plans = [int(m.group(1)) for m in (re.match(r"1\.\.(\d+)$", l) for l in lines) if m]
    for l in results:
        if l.startswith("not ok") and not re.search(r"#\s*(SKIP|TODO)", l, re.I):
            print(f"run {prog}: {l}")
    if status is None:
        return
    if len(plans) != 1:
        print(f"run {prog}: TAP with {len(plans)} plan lines")
    elif plans[0] != len(results):
        print(f"run {prog}: TAP plan 1..{plans[0]} but {len(results)} results")
for raw in open(sys.argv[1], errors="replace"):
    line = raw.rstrip("\n")
    m = re.match(r"^@@ run-begin (\S+)", line)
    if m:
        prog, lines = m.group(1), []
        continue
    m = re.match(r"^@@ run (\S+) status=", line)
    if m and prog == m.group(1):
        judge(prog, lines, m.group(0))
        prog = None
        continue
    if prog is not None:
        lines.append(line)
if prog is not None:
    judge(prog, lines, None)
PY
    )

    # Leaks kmemleak found (after the module was unloaded).
    leaks=$(sed -n '/^@@ leakcheck-begin/,/^@@ leakcheck-end/p' "$console" | grep -c 'unreferenced object' || true)
    if [ "$leaks" != 0 ]; then
        if [ $tolerate = 1 ]; then log "tolerated: kmemleak: $leaks unreferenced objects"
        else fail+=("kmemleak: $leaks unreferenced objects"); fi
    fi

    # Splats, in the collected log and on the console (a panic never reaches the dump).
    splat_re='WARNING:|BUG:|Oops|general protection fault|Unable to handle kernel|Kernel panic|'
    splat_re+='possible recursive locking|possible circular locking|inconsistent lock state|'
    splat_re+='lock held when returning|INFO: possible|INFO: trying to register non-static key|'
    splat_re+='lockdep is turned off|DEBUG_LOCKS_WARN_ON|sleeping function called from invalid context|'
    splat_re+='KASAN|kmemleak: [0-9]+ new suspected|ODEBUG:|UBSAN|panicked at|rust_panic|'
    splat_re+='scheduling while atomic|soft lockup|hard LOCKUP|rcu.*stall|Call Trace:'
    splats=$(grep -E "$splat_re" "$dmesg" "$console" 2>/dev/null | sed 's/^[^:]*://' | sort -u || true)
    if [ -n "$splats" ]; then
        if [ $tolerate = 1 ]; then
            while read -r s; do log "tolerated splat: $s"; done <<<"$(head -n 5 <<<"$splats")"
        else
            while read -r s; do fail+=("splat: $s"); done <<<"$(head -n 5 <<<"$splats")"
        fi
    fi

    for re in "${expects[@]}"; do
        grep -qE "$re" "$dmesg" || fail+=("kernel log lacks /$re/")
    done

    # Files the plan dumped (hex on the console) land in $out/NAME.
    python3 - "$console" "$out" <<'PY' || fail+=("a dump was cut short")
import binascii, os, re, sys
name, data, ok = None, [], True
for line in open(sys.argv[1], errors="replace"):
    line = line.rstrip("\n")
    m = re.match(r"^@@ dump-(begin|end) (\S+)(?: bytes=(\d+))?$", line)
    if m and m.group(1) == "begin":
        name, data = m.group(2), []
    elif m and name:
        blob = binascii.unhexlify("".join(data))
        open(os.path.join(sys.argv[2], name), "wb").write(blob)
        ok &= len(blob) == int(m.group(3))
        name = None
    elif name and re.fullmatch(r"[0-9a-f]*", line):
        data.append(line)
sys.exit(0 if ok else 1)
PY

    boot=$(sed -n 's/^@@ init-start uptime=\([0-9.]*\).*/\1/p' "$console" | head -n1)
    {
        echo "arch=$arch plan=$(basename "$plan") wall_s=$secs guest_s_at_init=${boot:-?}"
        [ ${#fail[@]} = 0 ] || printf 'fail=%s\n' "${fail[@]}"
    } >"$summary"

    # The guest time of the first splat line, against the time /init started.
    first_splat=$(grep -E "$splat_re" "$dmesg" 2>/dev/null | sed -n 's/^<[0-9]>\[ *\([0-9.]*\)\].*/\1/p' | sort -g | head -n1 || true)
    if [ -n "$first_splat" ] && [ -n "${boot:-}" ] &&
        [ "$(echo "$first_splat < $boot" | bc)" = 1 ]; then
        early_splat=1
    fi
}

boot_once
# A splat before /init started is the test kernel's own, during its boot (seen once in
# many boots: KASAN in rcu_is_watching from an interrupt during identify_boot_cpu under
# TCG), not the module's: keep that attempt's logs and boot once more. A second failure
# of any kind fails the run.
if [ ${#fail[@]} != 0 ] && [ "$early_splat" = 1 ]; then
    for f in "${fail[@]}"; do log "first boot: $f"; done
    mkdir -p "$out/boot-splat"
    cp "$console" "$dmesg" "$summary" "$out/boot-splat/" 2>/dev/null || true
    log "the kernel splatted during its own boot, before /init (not the module): booting again"
    boot_once
fi

if [ ${#fail[@]} = 0 ]; then
    log "wall ${secs} s; PASS"
    echo "vm $arch: PASS"
    exit 0
fi
for f in "${fail[@]}"; do log "FAIL: $f"; done
log "console: $console; kernel log: $dmesg"
echo "vm $arch: FAIL: ${fail[0]}"
exit 1
