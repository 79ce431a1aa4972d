#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Builds qemu-system-ppc64 with the spapr-vmc device (tools/build/qemu-patches/*.patch applied
# to Debian 12's QEMU 7.2 source) into the cache, keyed by the source version and the
# patches' hash. The device's protocol logic is the simulator crate behind a C ABI
# (tools/crates/ibmvmc-sim-ffi, a static library built here with the machine's cargo);
# when only that library changed, the cached build is relinked (seconds), not rebuilt.
# Prints the binary's path on stdout.
#
# The source comes from the deb-src twins of the machine's own Debian 12 apt sources,
# through a private apt state (the machine's apt configuration is left alone).
source "$(dirname "$0")/../lib.sh"
STEP=qemu

QEMU_PKGS=(meson ninja-build libglib2.0-dev libpixman-1-dev libfdt-dev dpkg-dev
    qemu-system-data pkg-config)
missing=()
for p in "${QEMU_PKGS[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} != 0 ]; then
    log "apt: installing ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -q >/dev/null
    apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null
fi

patches=$(ls "$REPO"/tools/build/qemu-patches/*.patch 2>/dev/null | sort)
[ -n "$patches" ] || die "no patches in tools/build/qemu-patches"
phash=$(files_hash $patches "$REPO/tools/build/qemu.sh")

a="$IBMVMC_CACHE/qemu-apt"
if [ ! -f "$a/.updated" ]; then
    mkdir -p "$a/sources" "$a/lists/partial" "$a/archives/partial"
    # deb-src twins of the machine's deb stanzas (same URIs, suites, keyrings).
    n=0
    for f in /etc/apt/sources.list.d/*.sources; do
        [ -f "$f" ] || continue
        sed 's/^Types:.*\bdeb\b.*/Types: deb-src/' "$f" >"$a/sources/$(basename "$f")"
        n=$((n + 1))
    done
    if [ -f /etc/apt/sources.list ] && grep -q '^deb ' /etc/apt/sources.list; then
        sed -n 's/^deb /deb-src /p' /etc/apt/sources.list >"$a/sources/main.list"
        n=$((n + 1))
    fi
    [ $n != 0 ] || die "no apt sources found to derive deb-src entries from"
    log "apt: updating a private deb-src state"
    apt-get -q -o Dir::Etc::SourceList=/dev/null -o Dir::Etc::SourceParts="$a/sources" \
        -o Dir::State::Lists="$a/lists" -o Dir::Cache="$a/cache" \
        -o APT::Sandbox::User=root update >/dev/null
    touch "$a/.updated"
fi
aopts=(-o Dir::Etc::SourceList=/dev/null -o Dir::Etc::SourceParts="$a/sources"
    -o Dir::State::Lists="$a/lists" -o Dir::Cache="$a/cache" -o APT::Sandbox::User=root)
ver=$(apt-get "${aopts[@]}" source --print-uris qemu 2>/dev/null |
    awk '$2 ~ /^qemu_.*\.dsc$/ { sub(/^qemu_/, "", $2); sub(/\.dsc$/, "", $2); print $2; exit }')
[ -n "$ver" ] || die "apt knows no qemu source package"
case $ver in 1:7.2*|7.2*) ;; *) die "qemu source is $ver, not 7.2 (the patches are for 7.2)" ;; esac

out="$IBMVMC_CACHE/qemu-${ver#*:}-$phash"
bin="$out/build/qemu-system-ppc64"

# The simulator behind the device, for the host (the machine's toolchain).
log "cargo: building the simulator's C ABI (libibmvmc_sim_ffi.a)"
cargo build --quiet --release -p ibmvmc-sim-ffi --manifest-path "$REPO/Cargo.toml"
lib="$REPO/target/release/libibmvmc_sim_ffi.a"
native=$(cargo rustc --quiet --release -p ibmvmc-sim-ffi --lib --crate-type staticlib \
    --manifest-path "$REPO/Cargo.toml" -- --print native-static-libs 2>&1 |
    sed -n 's/.*native-static-libs: //p' | tail -n1)
[ -n "$native" ] || native="-lgcc_s -lutil -lrt -lpthread -lm -ldl -lc"

relink() {
    if ! cmp -s "$lib" "$out/lib/libibmvmc_sim_ffi.a"; then
        log "the simulator library changed: relinking"
        cp "$lib" "$out/lib/libibmvmc_sim_ffi.a"
        rm -f "$bin"
    fi
    [ -x "$bin" ] && return 0
    ninja -C "$out/build" qemu-system-ppc64 >"$out/relink.log" 2>&1 ||
        { tail -n 20 "$out/relink.log" >&2; die "qemu relink failed"; }
}

if [ -f "$out/.ibmvmc-done" ]; then
    relink
    log "cached: $bin"
    echo "$bin"
    exit 0
fi

dl="$IBMVMC_CACHE/qemu-src-${ver#*:}"
if [ ! -f "$dl/.done" ]; then
    log "apt: downloading the qemu $ver source"
    rm -rf "$dl" && mkdir -p "$dl"
    (cd "$dl" && apt-get -q "${aopts[@]}" source --download-only qemu >/dev/null)
    touch "$dl/.done"
fi

rm -rf "$out" && mkdir -p "$out/lib"
cp "$lib" "$out/lib/libibmvmc_sim_ffi.a"
log "unpacking into $out"
dpkg-source --no-check -x "$(ls "$dl"/qemu_*.dsc | head -n1)" "$out/src" >/dev/null
for p in $patches; do
    log "patching: $(basename "$p")"
    patch -s -p1 -d "$out/src" <"$p"
done

# The pseries machine alone (configs/devices/ppc64-softmmu/pseries-only.mak, from the
# patches). The library goes after QEMU's objects (meson puts link arguments last).
mkdir -p "$out/build"
log "configuring"
(cd "$out/build" && "$out/src/configure" --target-list=ppc64-softmmu \
    --without-default-features --without-default-devices \
    --with-devices-ppc64=pseries-only --enable-fdt=system \
    --disable-docs --disable-tools --disable-debug-info --disable-werror \
    --disable-install-blobs \
    --extra-ldflags="$out/lib/libibmvmc_sim_ffi.a $native" >"$out/configure.log" 2>&1) ||
    { tail -n 30 "$out/configure.log" >&2; die "configure failed"; }
log "building qemu-system-ppc64 (ninja -j$(nproc), about 4 minutes on 2 idle cores); log in $out/build.log"
start=$(date +%s)
(
    while sleep 60; do
        log "$(tail -n1 "$out/build.log" 2>/dev/null | cut -c1-60), $(( $(date +%s) - start )) s"
    done
) &
ticker=$!
trap 'kill $ticker 2>/dev/null || true' EXIT
if ! ninja -C "$out/build" -j"$(nproc)" qemu-system-ppc64 >"$out/build.log" 2>&1; then
    grep -E 'error|undefined' "$out/build.log" | head -n 20 >&2
    die "qemu build failed"
fi
"$bin" -device help 2>/dev/null | grep -q '"spapr-vmc"' || die "the build has no spapr-vmc device"
log "built in $(( $(date +%s) - start )) s"
touch "$out/.ibmvmc-done"
echo "$bin"
