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

# The glue is compiled by clippy-driver with the kernel's lint set (rust_common_flags);
# a warning in our own C or Rust sources fails the build. (rustc's notes about the
# kernel's own powerpc -Ctarget-feature flags name no source file and do not count.)
start=$(date +%s)
make -C "$kdir" M="$REPO" MO="$out" "${vars[@]}" CLIPPY=1 CLIPPY_DRIVER=/usr/bin/clippy-driver \
    -j"$(nproc)" "$@" modules 2>&1 | tee "$out/build.log" >&2
[ "${PIPESTATUS[0]}" = 0 ] || die "module build failed"
own=$(awk -v repo="$REPO/src/" '
    index($0, repo) && /: (warning|error):/ { print; next }
    /^(warning|error)/ { w = $0; n = 3; next }
    n > 0 { n--; if (index($0, "--> " repo)) { print w; print; n = 0 } }' "$out/build.log")
[ -z "$own" ] || die "warnings in our sources:
$own"
log "built $out/ibmvmc.ko in $(( $(date +%s) - start )) s"
echo "$out/ibmvmc.ko"
