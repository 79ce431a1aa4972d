#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Builds ibmvmc.ko for one architecture (x86_64 | ppc64le) against the cached test
# kernel of that architecture: the usual `make -C $KDIR M=$PWD`, with the toolchain
# variables the kernel needs and a per-kernel output directory (MO=), so the two
# architectures and two kernel configs never share objects.
# The hypervisor backend is the optional second argument or $IBMVMC_BACKEND: sim (the
# default: the PowerVM simulator, what the test VMs load) or pseries (the real VIO
# device; ppc64le only). Each backend has its own output directory (sim keeps the
# plain per-kernel one, pseries adds "-pseries"), so both ppc64le variants coexist.
# $IBMVMC_DEBUG=1 makes a debug build (the load-time self-test and the VM runner's fault
# knobs, see /Kbuild; directory suffix "-debug"), 0 a normal one. The default is what the
# tests load: debug for the simulator, normal for pseries (the build that gets installed).
# Prints the path of the .ko on stdout.
source "$(dirname "$0")/../lib.sh"
usage="usage: tools/build/module.sh x86_64|ppc64le [sim|pseries] [make args...]"
arch=${1:?$usage}
shift
backend=${IBMVMC_BACKEND:-sim}
case ${1:-} in
    sim|pseries) backend=$1; shift ;;
esac
case $backend in
    sim) suffix= ;;
    pseries) suffix=-pseries
        [ "$arch" = ppc64le ] || die "the pseries backend is ppc64le only" ;;
    *) die "unknown backend '$backend' ($usage)" ;;
esac
case $backend in
    sim) debug=${IBMVMC_DEBUG:-1} ;;
    pseries) debug=${IBMVMC_DEBUG:-0} ;;
esac
case $debug in
    1) suffix=$suffix-debug ;;
    0) ;;
    *) die "IBMVMC_DEBUG must be 0 or 1, not '$debug'" ;;
esac
STEP="module-$arch$suffix"

kdir=$(kernel_out_dir "$arch")
[ -f "$kdir/.ibmvmc-done" ] || die "no kernel for $arch: run tools/build/kernel.sh $arch"
mapfile -t vars < <(kmake_vars "$arch")
# IBMVMC_KMOD_VARIANT names another output directory, for a second build of the same
# sources with other make arguments (the trace test's "wrong .ko": DEFMT_LOG=info).
out="$REPO/target/kmod/$(basename "$kdir")$suffix${IBMVMC_KMOD_VARIANT:+-$IBMVMC_KMOD_VARIANT}"
mkdir -p "$out"

# The glue is compiled by clippy-driver with the kernel's lint set (rust_common_flags);
# a warning in our own C or Rust sources fails the build. (rustc's notes about the
# kernel's own powerpc -Ctarget-feature flags name no source file and do not count.)
start=$(date +%s)
make -C "$kdir" M="$REPO" MO="$out" "${vars[@]}" CLIPPY=1 CLIPPY_DRIVER=/usr/bin/clippy-driver \
    IBMVMC_BACKEND="$backend" IBMVMC_DEBUG="$debug" -j"$(nproc)" "$@" modules 2>&1 | tee "$out/build.log" >&2
[ "${PIPESTATUS[0]}" = 0 ] || die "module build failed"
own=$(awk -v repo="$REPO/src/" '
    index($0, repo) && /: (warning|error):/ { print; next }
    /^(warning|error)/ { w = $0; n = 3; next }
    n > 0 { n--; if (index($0, "--> " repo)) { print w; print; n = 0 } }' "$out/build.log")
[ -z "$own" ] || die "warnings in our sources:
$own"
# No function of the module may have a stack frame above a distro kernel's FRAME_WARN
# (rustc has no such warning). ppc64le only: the x86_64 test kernel's KASAN redzones
# inflate frames, and x86_64 stacks are twice the size.
if [ "$arch" = ppc64le ]; then
    frames=$(python3 "$REPO/tools/check/frames.py" "$arch" 2048 "$out"/src/kmod/*.o) ||
        die "stack frames too big (an 8 KiB stack overflows in probe):
$frames"
fi
log "built $out/ibmvmc.ko in $(( $(date +%s) - start )) s"
echo "$out/ibmvmc.ko"
