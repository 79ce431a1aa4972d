#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The install path of a kernel driver, for the pseries build on the ppc64le test kernel:
# `make -C $KDIR M=$PWD modules_install` (into a scratch root, INSTALL_MOD_PATH=) puts
# ibmvmc.ko under /lib/modules/<release>/updates/ (a distribution's place for an
# out-of-tree override) and runs depmod, and modprobe resolves the modalias the VMC
# device announces (vio:T<type>S<compatible>: "ibm,vmc" and "IBM,vmc") to that file,
# which is what udev's `modprobe $MODALIAS` does at boot.
#   tools/check/install.sh      (after tools/build/module.sh ppc64le pseries)
source "$(dirname "$0")/../lib.sh"
STEP=check-install
arch=ppc64le
kdir=$(kernel_out_dir "$arch")
[ -f "$kdir/.ibmvmc-done" ] || die "no kernel for $arch: run tools/build/kernel.sh $arch"
out="$REPO/target/kmod/$(basename "$kdir")-pseries"
[ -f "$out/ibmvmc.ko" ] || die "no pseries build in $out: run tools/build/module.sh $arch pseries"
mapfile -t vars < <(kmake_vars "$arch")
root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
make -C "$kdir" M="$REPO" MO="$out" "${vars[@]}" IBMVMC_BACKEND=pseries IBMVMC_DEBUG=0 \
    INSTALL_MOD_PATH="$root" DEPMOD=/sbin/depmod modules_install >"$out/install.log" 2>&1 ||
    die "modules_install failed: $(tail -5 "$out/install.log")"
release=$(cat "$kdir/include/config/kernel.release")
want="$root/lib/modules/$release/updates/ibmvmc.ko"
[ -f "$want" ] || die "modules_install did not put ibmvmc.ko in updates/: $(find "$root" -name '*.ko')"
got=$(/sbin/modprobe -d "$root" -S "$release" --show-depends 'vio:Tibm,vmcSIBM,vmc' 2>&1) ||
    die "modprobe cannot resolve the VMC device's modalias: $got"
[ "$got" = "insmod $want " ] || [ "$got" = "insmod $want" ] ||
    die "the VMC device's modalias resolves to '$got', not to the installed ibmvmc.ko"
log "modules_install: updates/ibmvmc.ko; modprobe vio:Tibm,vmcSIBM,vmc -> $got"
