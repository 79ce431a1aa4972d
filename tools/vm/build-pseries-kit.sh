#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Builds what the pseries VM runs need besides ibmvmc.ko, against the ppc64le test
# kernel: vmc_hvctl.ko (tools/vm/hvctl: the test programs' channel to QEMU's
# spapr-vmc device) and the upstream C driver, drivers/misc/ibmvmc.c of the same
# kernel source, as an out-of-tree module (the baseline of the comparison; built from
# the kernel tree as is, none of its code is in this repository).
# Prints two lines on stdout: the path of vmc_hvctl.ko, then of the C driver's .ko.
source "$(dirname "$0")/../lib.sh"
STEP=pseries-kit

kdir=$(kernel_out_dir ppc64le)
[ -f "$kdir/.ibmvmc-done" ] || die "no ppc64le kernel: run tools/build/kernel.sh ppc64le"
mapfile -t vars < <(kmake_vars ppc64le)
out="$REPO/target/kmod/$(basename "$kdir")-kit"
mkdir -p "$out/hvctl" "$out/cdrv"

cp "$REPO/tools/vm/hvctl/vmc_hvctl.c" "$REPO/tools/vm/hvctl/Kbuild" "$out/hvctl/"
make -s -C "$kdir" M="$out/hvctl" "${vars[@]}" W=1 modules >"$out/hvctl/build.log" 2>&1 ||
    { cat "$out/hvctl/build.log" >&2; die "vmc_hvctl.ko failed to build"; }
! grep -E 'warning:|error:' "$out/hvctl/build.log" >&2 || die "warnings in vmc_hvctl.c"

src=$(kernel_src_dir)
cp "$src/drivers/misc/ibmvmc.c" "$src/drivers/misc/ibmvmc.h" "$out/cdrv/"
echo 'obj-m := ibmvmc.o' >"$out/cdrv/Kbuild"
make -s -C "$kdir" M="$out/cdrv" "${vars[@]}" modules >"$out/cdrv/build.log" 2>&1 ||
    { cat "$out/cdrv/build.log" >&2; die "the upstream C driver failed to build"; }
# Named apart in the initramfs; the module itself is still called ibmvmc.
cp "$out/cdrv/ibmvmc.ko" "$out/cdrv/ibmvmc_c.ko"
log "built vmc_hvctl.ko and the upstream C driver (ibmvmc_c.ko)"
echo "$out/hvctl/vmc_hvctl.ko"
echo "$out/cdrv/ibmvmc_c.ko"
