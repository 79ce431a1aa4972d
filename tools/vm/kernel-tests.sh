#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The kernel half of the test command for one architecture: build (or reuse) the test
# kernel, build ibmvmc.ko and the static test programs, then boot:
#   1. tests/vm/load.plan   must PASS, with the module's self-test line in the log;
#   2. the device tests, each must PASS (dmesg clean, kmemleak clean after unload):
#      x86_64:  session.plan (C select() client, Rust poll() client, errno contract),
#               two.plan (two sessions, wake-up isolation), stress.plan (processes,
#               thousands of messages, transport events at random moments),
#               fuzz.plan (random file operations from processes and threads under
#               random simulator faults: errno contract, every message accounted for),
#               remove.plan (device removal wakes blocked readers with an error;
#               unload is refused while files are open), params.plan (parameters
#               out of range: clamped with a warning, shown as used, read-only),
#               trace.plan (the trace captured in the VM, decoded on the host with
#               the matching .ko and refused with another build's: check-trace.sh),
#               load-failure.plan (init failed at each of its steps: ENOMEM, no leak);
#      both:    unload-race.plan (a pend held between its check and its queue on the
#               other CPU while unload goes on: unload must wait for it);
#      ppc64le: session-ppc64le.plan (C client and errno contract on POWER, simulator
#               build), then the pseries build (real VIO/hcall backend) on QEMU's
#               spapr-vmc device (tools/build/qemu.sh): pseries.plan (probe, sessions, errno
#               contract, parameters, reload, removal, the trace decoded on the
#               host), pseries-two, pseries-stress (transport events at random),
#               pseries-faults (the backend's own failure paths from hcall answers),
#               and compare.plan: the upstream C driver and
#               ibmvmc.ko side by side, judged by tools/vm/compare-table.py;
#   3. tests/vm/splat.plan  must FAIL, and because of the WARNING it injects;
#   4. tests/vm/leak.plan   must FAIL, and because kmemleak found the leak it injects:
#      the tests that the runner's splat and leak detectors work at all.
source "$(dirname "$0")/../lib.sh"
arch=${1:?usage: kernel-tests.sh x86_64|ppc64le}
STEP="kernel-tests-$arch"

"$REPO/tools/build/kernel.sh" "$arch" >/dev/null
ko=$("$REPO/tools/build/module.sh" "$arch")

# The static test programs (C, both architectures; the Rust client on x86_64).
progs=()
built=$("$REPO/tools/vm/build-progs.sh" "$arch") || die "the test programs did not build"
while read -r p; do progs+=(--prog "$p"); done <<<"$built"

proof='ibmvmc: crates ok: embassy-sync Channel sum=36 received=8 producer_waits=[1-9][0-9]*, futures-util join, static_cell value=36 refused_twice=true, defmt frames=[1-9][0-9]* bytes=[1-9][0-9]*; executor: 16/16 wakes from hard irq'

"$REPO/tools/vm/run.sh" "$arch" "$REPO/tests/vm/load.plan" --ko "$ko" "${progs[@]}" \
    --out "$REPO/target/vm/$arch/load" --expect-log "$proof" --expect-log 'ibmvmc: unloaded'
grep -h 'ibmvmc:' "$REPO/target/vm/$arch/load/dmesg.log" | sed 's/^<[0-9]>//' >&2

case $arch in
    x86_64) plans=(session two stress remove race params trace fuzz compat failalloc) ;;
    ppc64le) plans=(session-ppc64le failalloc) ;;
esac
for plan in "${plans[@]}"; do
    "$REPO/tools/vm/run.sh" "$arch" "$REPO/tests/vm/$plan.plan" --ko "$ko" "${progs[@]}" \
        --out "$REPO/target/vm/$arch/$plan"
done
if [ "$arch" = x86_64 ]; then
    "$REPO/tools/vm/check-trace.sh" "$ko" "$REPO/target/vm/$arch/trace"
    # A load failed at each of init's steps in turn: refused with ENOMEM, nothing leaks,
    # and each step was really reached.
    steps=()
    for n in 1 2 3 4 5 6 7; do steps+=(--expect-log "load failure injected at step $n of 7"); done
    "$REPO/tools/vm/run.sh" "$arch" "$REPO/tests/vm/load-failure.plan" --ko "$ko" "${progs[@]}" \
        --out "$REPO/target/vm/$arch/load-failure" "${steps[@]}"
fi
# The unload race of a late pend, made certain: it needs the second CPU both guests
# have, and each load's race must really have been set up.
race=()
for us in 20000 10000 5000; do
    race+=(--expect-log "unload race: a pend held $us us on CPU [0-9]+ while unload goes on")
done
"$REPO/tools/vm/run.sh" "$arch" "$REPO/tests/vm/unload-race.plan" --ko "$ko" "${progs[@]}" \
    --out "$REPO/target/vm/$arch/unload-race" "${race[@]}"
if [ "$arch" = ppc64le ]; then
    # The pseries build (the real VIO/hcall backend) on QEMU's spapr-vmc device
    # (tools/build/qemu.sh): the same kinds of test as the simulator build, with the
    # simulated hypervisor behind the device and vmc_hvctl.ko as the fault channel.
    pseries_ko=$("$REPO/tools/build/module.sh" ppc64le pseries)
    # Installed like a kernel driver: updates/, depmod, the device's modalias resolves.
    "$REPO/tools/check/install.sh"
    # The pseries build is a normal one (what gets installed): no debug knob in it, and
    # the debug build has them (Kbuild IBMVMC_DEBUG).
    # (.modinfo's NUL-separated "parm=NAME:description" strings, read as modinfo does)
    parms() { tr '\0' '\n' <"$1" | sed -n 's/^parm=\([a-z_]*\):.*/\1/p' | sort -u | tr '\n' ' '; }
    p=$(parms "$pseries_ko")
    case " $p" in *" inject_"*) die "the normal (pseries) build has debug parameters: $p" ;; esac
    case " $p" in *" bh_mode "*) ;; *) die "the pseries build lacks bh_mode: $p" ;; esac
    for knob in inject_leak inject_splat; do
        case " $(parms "$ko")" in *" $knob "*) ;;
            *) die "the debug (simulator) build lacks $knob: $(parms "$ko")" ;; esac
    done
    # Which backend a .ko is, and its version, for an administrator (modinfo -F).
    field() { tr '\0' '\n' <"$1" | sed -n "s/^$2=//p" | head -1; }
    case $(field "$ko" backend) in simulator*) ;; *) die "the simulator build does not say so in modinfo" ;; esac
    [ "$(field "$pseries_ko" backend)" = pseries ] || die "the pseries build's modinfo backend is not pseries"
    [ -n "$(field "$pseries_ko" version)" ] || die "no version in the pseries build's modinfo"
    qemu_vmc=$("$REPO/tools/build/qemu.sh")
    mapfile -t kit < <("$REPO/tools/vm/build-pseries-kit.sh")
    vmc=(--qemu "$qemu_vmc" --qemu-arg -device --qemu-arg spapr-vmc --file "${kit[0]}")
    # Without a device (the distribution's QEMU): registers, never probes, unloads.
    "$REPO/tools/vm/run.sh" "$arch" "$REPO/tests/vm/pseries-nodev.plan" --ko "$pseries_ko" \
        --out "$REPO/target/vm/$arch/pseries-nodev" --expect-log 'ibmvmc: .*pseries'
    for plan in pseries pseries-two pseries-stress pseries-faults; do
        "$REPO/tools/vm/run.sh" "$arch" "$REPO/tests/vm/$plan.plan" --ko "$pseries_ko" \
            "${progs[@]}" "${vmc[@]}" --out "$REPO/target/vm/$arch/$plan" \
            --expect-log 'ibmvmc [0-9a-f]+: probe: unit address' \
            --expect-log 'VMC device ready'
    done
    # The probe failing at each of its allocations in turn (failslab, fail-nth).
    "$REPO/tools/vm/run.sh" "$arch" "$REPO/tests/vm/pseries-failprobe.plan" --ko "$pseries_ko" \
        "${progs[@]}" "${vmc[@]}" --out "$REPO/target/vm/$arch/pseries-failprobe"
    "$REPO/tools/vm/check-trace.sh" "$pseries_ko" "$REPO/target/vm/$arch/pseries" \
        "$REPO/tests/vm/trace-pseries.expect"
    # The upstream C driver beside ours, same boot, same device: the table decides.
    cmp_out="$REPO/target/vm/$arch/compare"
    "$REPO/tools/vm/run.sh" "$arch" "$REPO/tests/vm/compare.plan" --ko "$pseries_ko" \
        "${progs[@]}" "${vmc[@]}" --file "${kit[1]}" --tolerate-splats --out "$cmp_out"
    python3 "$REPO/tools/vm/compare-table.py" "$cmp_out/console.log" "$cmp_out/table.md" >&2 ||
        die "the comparison with the C driver failed (table: $cmp_out/table.md)"
fi

# The runner's own tests: PLAN injects a fault on purpose, so the run must fail, and
# for that reason only: REASON must be among the runner's failures and LOGLINE in the
# kernel log.
expect_failure() {
    local name=$1 reason=$2 logline=$3 out="$REPO/target/vm/$arch/$1" rc
    set +e
    "$REPO/tools/vm/run.sh" "$arch" "$REPO/tests/vm/$name.plan" --ko "$ko" --out "$out" \
        2>"$out.err" >&2
    rc=$?
    set -e
    [ $rc != 0 ] || die "$name.plan passed: the runner missed the injected fault"
    grep -qE "FAIL: $reason" "$out.err" ||
        die "$name.plan failed, but not with /$reason/: $(cat "$out.err")"
    grep -q "$logline" "$out/dmesg.log" || die "$name.plan: the kernel log lacks '$logline'"
    log "$name.plan failed as it must: $(grep -m1 -E "FAIL: $reason" "$out.err" | sed 's/.*FAIL: //')"
}
expect_failure splat 'splat: .*WARNING:' 'splat injected on purpose'
expect_failure leak 'kmemleak: [1-9][0-9]* unreferenced objects' 'leaking 16 KiB on purpose'
echo "kernel tests $arch: PASS"
