#!/usr/bin/env bash
# Builds ibmvmc.ko for one architecture (x86_64 | ppc64le) against the cached test
# kernel of that architecture: the usual `make -C $KDIR M=$PWD`, with the toolchain
# variables the kernel needs and a per-kernel output directory (MO=), so the two
# architectures and two kernel configs never share objects.
# Prints the path of the .ko on stdout.
source "$(dirname "$0")/lib.sh"
arch=${1:?usage: build-module.sh x86_64|ppc64le [make args...]}
shift
STEP="module-$arch"

kdir=$(kernel_out_dir "$arch")
[ -f "$kdir/.ibmvmc-done" ] || die "no kernel for $arch: run tools/build-kernel.sh $arch"
mapfile -t vars < <(kmake_vars "$arch")
out="$REPO/target/kmod/$(basename "$kdir")"
mkdir -p "$out"

start=$(date +%s)
make -C "$kdir" M="$REPO" MO="$out" "${vars[@]}" -j"$(nproc)" "$@" modules >&2
log "built $out/ibmvmc.ko in $(( $(date +%s) - start )) s"
echo "$out/ibmvmc.ko"
