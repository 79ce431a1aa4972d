#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Installs everything the kernel side needs on a fresh Debian 12 machine, idempotently:
# Debian packages (rustc-web 1.96, clang 19, QEMU, the ppc64le cross binutils,
# the i686 cross compiler for the 32-bit compat client, libdw for the ppc64le kernel's
# gendwarfksyms, dkms and debhelper for the packages), bindgen-cli
# from crates.io, and the Linux 7.3 source from Debian 13's backports suite.
source "$(dirname "$0")/../lib.sh"
STEP=toolchain

APT_PKGS=(
    "rustc-web=$RUSTC_WEB_VERSION" "rust-web-src=$RUSTC_WEB_VERSION"
    "libstd-rust-web-dev=$RUSTC_WEB_VERSION" "rustfmt-web=$RUSTC_WEB_VERSION"
    "rust-web-clippy=$RUSTC_WEB_VERSION" "cargo-web=$RUSTC_WEB_VERSION"
    clang-19 lld-19 llvm-19 libclang-19-dev
    flex bison bc libelf-dev libdw-dev libssl-dev openssl cpio kmod xz-utils zstd
    qemu-system-x86 qemu-system-ppc
    gcc-powerpc64le-linux-gnu libc6-dev-ppc64el-cross
    gcc-i686-linux-gnu libc6-dev-i386-cross
    valgrind
    dkms dh-dkms debhelper dpkg-dev fakeroot lintian
)

need_apt=0
for p in "${APT_PKGS[@]}"; do
    name=${p%%=*}
    want=${p#*=}
    have=$(dpkg-query -W -f='${Status} ${Version}' "$name" 2>/dev/null || true)
    case $have in
        "install ok installed "*)
            [ "$name" = "$p" ] || [ "${have##* }" = "$want" ] || need_apt=1 ;;
        *) need_apt=1 ;;
    esac
done
if [ $need_apt = 1 ]; then
    log "apt: installing ${#APT_PKGS[@]} packages"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -q >/dev/null
    if ! apt-get install -y -q --no-install-recommends "${APT_PKGS[@]}" >/dev/null; then
        # The security suite keeps only its newest build: if the pinned one is gone,
        # take the suite's current one (the 1.96 check below still has to pass).
        log "apt: pinned versions unavailable, installing the suite's current ones"
        apt-get install -y -q --no-install-recommends "${APT_PKGS[@]%%=*}" >/dev/null
    fi
else
    log "apt: all packages present"
fi
"$KRUSTC" --version | grep -q '^rustc 1\.96\.' || die "$KRUSTC is not 1.96"

mkdir -p "$IBMVMC_CACHE"

# bindgen-cli, built once into the cache with the machine's cargo.
if [ ! -x "$BINDGEN" ]; then
    log "cargo: installing bindgen-cli $BINDGEN_VERSION (about 2 minutes)"
    cargo install --locked --quiet --root "$IBMVMC_CACHE/bindgen-$BINDGEN_VERSION" \
        bindgen-cli --version "$BINDGEN_VERSION"
fi
"$BINDGEN" --version >&2

# Linux source from Debian 13 backports, through a private apt state so the machine's
# own sources stay Debian 12 only. The mirror is the one this machine already uses.
src=$(kernel_src_dir)
stamp="$src/.ibmvmc-patches-$(patches_hash)"
if [ -f "$src/Makefile" ] && [ ! -f "$stamp" ]; then
    log "kernel source has other patches applied than tools/build/kernel-patches: unpacking again"
    rm -rf "$src"
fi
if [ ! -f "$src/Makefile" ]; then
    mirror=$(awk '/^URIs:/ && $2 !~ /security/ {print $2; exit}' /etc/apt/sources.list.d/*.sources 2>/dev/null || true)
    [ -n "$mirror" ] || mirror=$(awk '/^deb / && $0 !~ /security/ {print $2; exit}' /etc/apt/sources.list 2>/dev/null || true)
    [ -n "$mirror" ] || die "no Debian mirror found in /etc/apt"
    a="$IBMVMC_CACHE/apt"
    mkdir -p "$a/lists/partial" "$a/archives/partial"
    echo "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $mirror trixie-backports main" >"$a/sources.list"
    aopts=(-o Dir::Etc::SourceList="$a/sources.list" -o Dir::Etc::SourceParts=/dev/null
        -o Dir::State::Lists="$a/lists" -o Dir::Cache="$a" -o Dir::Cache::archives="$a/archives"
        -o Dir::State::status=/dev/null -o APT::Architecture=amd64)
    log "apt: fetching linux-source-$KVER from trixie-backports ($mirror)"
    apt-get -q "${aopts[@]}" update >/dev/null
    (cd "$a/archives" && apt-get -q "${aopts[@]}" download "linux-source-$KVER" >/dev/null)
    deb=$(ls "$a/archives"/linux-source-"$KVER"_*.deb | tail -n1)
    log "unpacking $(basename "$deb")"
    rm -rf "$src.tmp" && mkdir -p "$src.tmp"
    dpkg-deb --fsys-tarfile "$deb" | tar -x -C "$src.tmp" --wildcards '*.tar.xz'
    tarball=$(find "$src.tmp" -name "linux-source-$KVER.tar.xz" | head -n1)
    [ -n "$tarball" ] || die "no tarball in $deb"
    mkdir -p "$src.tmp/x"
    tar -xf "$tarball" -C "$src.tmp/x"
    for p in $(kernel_patches); do
        log "patching: $(basename "$p")"
        patch -s -p1 -d "$src.tmp/x/linux-source-$KVER" <"$p"
    done
    touch "$src.tmp/x/linux-source-$KVER/.ibmvmc-patches-$(patches_hash)"
    rm -rf "$src"
    mv "$src.tmp/x/linux-source-$KVER" "$src"
    rm -rf "$src.tmp"
fi
log "kernel source: $src ($(make -s -C "$src" kernelversion))"
