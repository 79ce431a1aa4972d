#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The packaged install path, as an administrator would take it, on this machine (root):
#   1. tools/pkg/build-deb.sh builds ibmvmc-rs-dkms and ibmvmc-rs-tools, lintian finds
#      nothing in them; `dpkg -i` both (the DKMS package's postinst registers the source
#      with DKMS and builds it for the kernels it finds);
#   2. each test kernel is made an installed kernel (/lib/modules/RELEASE/build is its
#      build tree, as a headers package leaves it) and DKMS builds and installs the module
#      for it: ppc64le with `dkms install -a ppc64le` (a cross build; DKMS signs it with
#      the kernel's throwaway key, given to DKMS as a MOK key would be), x86_64 with
#      `dkms autoinstall` (what a kernel package's hook runs);
#   3. the module DKMS installed is checked on the host (modinfo: backend, version,
#      signature, symbol versions; the VMC device's modalias resolves to it after DKMS's
#      depmod) and loaded in the VM: ppc64le on the spapr-vmc device with
#      module.sig_enforce=1, where an unsigned copy of it must be refused
#      (tests/vm/dkms-pseries.plan), x86_64 with the simulator (tests/vm/dkms-x86_64.plan);
#   4. a kernel without CONFIG_RUST is excluded by dkms.conf (BUILD_EXCLUSIVE_CONFIG);
#   5. `dpkg -r` removes both packages, and with them every file DKMS made.
# Needs both test kernels and the QEMU with spapr-vmc (tools/test.sh builds them
# before). Leaves the machine as it found it (IBMVMC_KEEP=1 keeps the logs in its
# scratch directory).
#   tools/pkg/check-dkms.sh
source "$(dirname "$0")/../lib.sh"
STEP=check-dkms
[ "$(id -u)" = 0 ] || die "needs root (dpkg -i, /lib/modules)"

kppc=$(kernel_out_dir ppc64le)
kx86=$(kernel_out_dir x86_64)
for k in "$kppc" "$kx86"; do
    [ -f "$k/.ibmvmc-done" ] || die "no test kernel in $k: run tools/build/kernel.sh"
done
rel=$(cat "$kppc/include/config/kernel.release")
[ "$(cat "$kx86/include/config/kernel.release")" = "$rel" ] ||
    die "the two test kernels have different releases"
mods="/lib/modules/$rel"
norust="/lib/modules/$rel-ibmvmc-norust"
marker=.ibmvmc-rs-check-dkms
signconf=/etc/dkms/framework.conf.d/ibmvmc-rs-check-dkms.conf
for d in "$mods" "$norust"; do
    [ ! -e "$d" ] || [ -e "$d/$marker" ] ||
        die "$d exists and is not this script's: a real kernel of release $rel is installed here, refusing to touch it"
done

# DKMS makes itself a signing key on first use; one it made here goes again at the end.
mok_was_there=0
[ ! -e /var/lib/dkms/mok.key ] || mok_was_there=1
pkgs=(ibmvmc-rs-dkms ibmvmc-rs-tools)
installed() { [ "$(dpkg-query -W -f='${db:Status-Status}' "$1" 2>/dev/null)" = installed ]; }
cleanup() {
    for p in "${pkgs[@]}"; do
        if installed "$p"; then dpkg -r "$p" >/dev/null 2>&1 || true; fi
    done
    rm -rf "$mods" "$norust" "$signconf"
    [ $mok_was_there = 1 ] || rm -f /var/lib/dkms/mok.key /var/lib/dkms/mok.pub
    [ -n "${IBMVMC_KEEP:-}" ] || rm -rf "${work:-/nonexistent}"
}
trap cleanup EXIT
cleanup
work=$(mktemp -d)

mapfile -t debs < <("$REPO/tools/pkg/build-deb.sh")
dkms_deb=$(printf '%s\n' "${debs[@]}" | grep '/ibmvmc-rs-dkms_') || die "no ibmvmc-rs-dkms package built"
tools_deb=$(printf '%s\n' "${debs[@]}" | grep '/ibmvmc-rs-tools_') || die "no ibmvmc-rs-tools package built"
version=$(dpkg-deb -f "$dkms_deb" Version)
# Debian's checks of both packages: no error, no warning (but the placeholder maintainer
# address, which a distribution's packager replaces with theirs).
lint=$(lintian --tag-display-limit 0 --suppress-tags bogus-mail-host,bogus-mail-host-in-debian-changelog \
    "$dkms_deb" "$tools_deb" 2>&1 | grep -E '^[EW]: ' || true)
[ -z "$lint" ] || die "lintian: $lint"
log "lintian: no error or warning in either package"

# An installed kernel: its modules directory with the build tree as `build`.
install_kernel() {
    local kdir=$1
    mkdir -p "$mods"
    touch "$mods/$marker"
    ln -sfn "$kdir" "$mods/build"
    for f in modules.order modules.builtin modules.builtin.modinfo; do
        [ ! -f "$kdir/$f" ] || cp "$kdir/$f" "$mods/"
    done
    # The kernel's own modules that matter here: the upstream C driver (a distribution's
    # ppc64le kernel has it, CONFIG_IBMVMC=m, and so does the test kernel).
    rm -rf "$mods/kernel"
    if [ -f "$kdir/drivers/misc/ibmvmc.ko" ]; then
        install -D -m 0644 "$kdir/drivers/misc/ibmvmc.ko" "$mods/kernel/drivers/misc/ibmvmc.ko"
    fi
    /sbin/depmod "$rel"
}
modinfo_field() { /sbin/modinfo -F "$2" "$1" 2>/dev/null | head -1; }
# The module DKMS installed for the kernel now in $mods (for ARCH, DKMS's log LOG), of
# this package's version: its path on stdout.
installed_ko() {
    local arch=$1 dlog=$2 ko
    dkms status -m ibmvmc-rs -v "$version" -k "$rel" | grep -q ': installed' ||
        die "DKMS did not install ibmvmc-rs/$version for $rel ($arch): $(dkms status)"
    ko=$(find "$mods/updates" -name 'ibmvmc.ko*' 2>/dev/null | head -1 || true)
    [ -n "$ko" ] ||
        die "DKMS installed no ibmvmc.ko under $mods/updates ($arch): $(grep -i -m3 -E 'error|not newer|override' "$dlog")"
    [ "$(modinfo_field "$ko" version)" = "$version" ] ||
        die "$ko has version '$(modinfo_field "$ko" version)', not $version"
    echo "$ko"
}
# The VM test programs of ARCH (tools/vm/build-progs.sh), as run.sh arguments.
progs() {
    local built p
    built=$("$REPO/tools/vm/build-progs.sh" "$1") || die "the $1 test programs did not build"
    while read -r p; do printf -- '--prog\n%s\n' "$p"; done <<<"$built"
}

# ppc64le first: DKMS cross-builds it (the arch DKMS records is this machine's), signs
# it with the kernel's key (given to DKMS as a MOK key would be), and installs it over
# the kernel's own C driver (version 1.0, which DKMS would find newer without the
# package's version override).
install_kernel "$kppc"
[ -f "$mods/kernel/drivers/misc/ibmvmc.ko" ] || die "the ppc64le test kernel has no in-tree ibmvmc.ko (CONFIG_IBMVMC=m)"
intree=$(modinfo_field "$mods/kernel/drivers/misc/ibmvmc.ko" version)
cat >"$signconf" <<EOF
mok_signing_key="$kppc/certs/signing_key.pem"
mok_certificate="$kppc/certs/signing_key.x509"
EOF
log "dpkg -i $(basename "$dkms_deb") $(basename "$tools_deb") (kernel $rel: ppc64le, its C driver $intree)"
dpkg -i "$dkms_deb" "$tools_deb" >"$work/dpkg-i.log" 2>&1 ||
    die "dpkg -i failed: $(tail -5 "$work/dpkg-i.log")"
[ -f "/usr/src/ibmvmc-rs-$version/dkms.conf" ] || die "no /usr/src/ibmvmc-rs-$version/dkms.conf"
usage=$(/usr/bin/ibmvmc --help 2>&1) || true
grep -q '^usage: ibmvmc' <<<"$usage" || die "/usr/bin/ibmvmc --help prints no usage: $usage"
/usr/bin/ibmvmc-trace --help >/dev/null || die "/usr/bin/ibmvmc-trace --help fails"
for m in ibmvmc.1 ibmvmc-trace.1 ibmvmc.4; do
    [ -f "/usr/share/man/man${m##*.}/$m.gz" ] || die "man page $m not installed"
done
# The postinst builds for the running kernel and, where that has no modules directory
# (a container's), for every kernel here; a kernel package's hook runs autoinstall.
dkms autoinstall -k "$rel" >"$work/dkms-ppc64le.log" 2>&1 || {
    cat "/var/lib/dkms/ibmvmc-rs/$version/build/make.log" >&2 2>/dev/null || true
    die "dkms autoinstall for ppc64le failed: $(tail -5 "$work/dkms-ppc64le.log")"
}
cat "$work/dpkg-i.log" >>"$work/dkms-ppc64le.log"
ko=$(installed_ko ppc64le "$work/dkms-ppc64le.log")
grep -q "Forcing version override of ibmvmc-rs" "$work/dkms-ppc64le.log" ||
    die "DKMS did not apply the package's version override"
[ "$(modinfo_field "$ko" backend)" = pseries ] || die "$ko is not the pseries driver: backend=$(modinfo_field "$ko" backend)"
[ "$(modinfo_field "$ko" sig_id)" = "PKCS#7" ] || die "$ko is not signed (DKMS did not sign it)"
signer=$(modinfo_field "$ko" signer)
nver=$(/sbin/modprobe --dump-modversions "$ko" | wc -l)
[ "$nver" -gt 0 ] || die "$ko has no symbol versions on a MODVERSIONS kernel"
got=$(/sbin/modprobe -S "$rel" --show-depends 'vio:Tibm,vmcSIBM,vmc' 2>&1) ||
    die "the VMC device's modalias does not resolve after DKMS's depmod: $got"
[ "${got% }" = "insmod $ko" ] || die "the VMC device's modalias resolves to '$got', not to $ko"
log "$ko: backend pseries, version $version, signed by '$signer', $nver symbol versions, modalias resolves"

# An unsigned copy (the signature appended at the end cut off) and a signed fault
# channel: with module.sig_enforce=1 every module must be signed.
python3 - "$ko" "$work/ibmvmc-unsigned.ko" <<'EOF'
import struct, sys
data = open(sys.argv[1], "rb").read()
magic = b"~Module signature appended~\n"
assert data.endswith(magic), "no appended signature"
# struct module_signature (12 bytes, sig_len big-endian in its last 4) precedes the magic
sig_len = struct.unpack(">I", data[-len(magic) - 4:-len(magic)])[0]
open(sys.argv[2], "wb").write(data[: len(data) - len(magic) - 12 - sig_len])
EOF
[ "$(modinfo_field "$work/ibmvmc-unsigned.ko" sig_id)" = "" ] || die "the unsigned copy still has a signature"
mapfile -t kit < <("$REPO/tools/vm/build-pseries-kit.sh")
cp "${kit[0]}" "$work/vmc_hvctl.ko"
hash=$(sed -n 's/^CONFIG_MODULE_SIG_HASH="\(.*\)"$/\1/p' "$kppc/.config")
"$kppc/scripts/sign-file" "$hash" "$kppc/certs/signing_key.pem" "$kppc/certs/signing_key.x509" \
    "$work/vmc_hvctl.ko"
pp=$(progs ppc64le)
mapfile -t pp <<<"$pp"
"$REPO/tools/vm/run.sh" ppc64le "$REPO/tests/vm/dkms-pseries.plan" --ko "$ko" "${pp[@]}" \
    --qemu "$("$REPO/tools/build/qemu.sh")" --qemu-arg -device --qemu-arg spapr-vmc \
    --file "$work/vmc_hvctl.ko" --file "$work/ibmvmc-unsigned.ko" --append module.sig_enforce=1 \
    --out "$REPO/target/vm/ppc64le/dkms" --expect-log 'VMC device ready' \
    --expect-log 'Loading of unsigned module is rejected'
cp "$ko" "$work/ibmvmc-ppc64le.ko"

# x86_64: the same source, the simulator build, by DKMS's autoinstall.
log "dkms autoinstall -k $rel (x86_64)"
dkms remove -m ibmvmc-rs -v "$version" -k "$rel" >"$work/dkms-remove.log" 2>&1 ||
    die "dkms remove for the ppc64le kernel failed: $(tail -5 "$work/dkms-remove.log")"
[ ! -e "$ko" ] || die "dkms remove left $ko"
# (removing its last kernel took the module out of DKMS: the package's source is added
# again, as after a first install)
[ -n "$(dkms status -m ibmvmc-rs -v "$version")" ] || dkms add -m ibmvmc-rs -v "$version" >/dev/null
rm -f "$signconf"
install_kernel "$kx86"
dkms autoinstall -k "$rel" >"$work/dkms-x86_64.log" 2>&1 || {
    cat "/var/lib/dkms/ibmvmc-rs/$version/build/make.log" >&2 2>/dev/null || true
    die "dkms autoinstall for x86_64 failed: $(tail -5 "$work/dkms-x86_64.log")"
}
ko=$(installed_ko x86_64 "$work/dkms-x86_64.log")
case $(modinfo_field "$ko" backend) in
    simulator*) ;;
    *) die "the x86_64 build is not the simulator: backend=$(modinfo_field "$ko" backend)" ;;
esac
px=$(progs x86_64)
mapfile -t px <<<"$px"
"$REPO/tools/vm/run.sh" x86_64 "$REPO/tests/vm/dkms-x86_64.plan" --ko "$ko" "${px[@]}" \
    --out "$REPO/target/vm/x86_64/dkms" --expect-log 'ibmvmc: simulator build'
log "$ko: the simulator build, version $version, runs a session"

# A kernel without Rust: dkms.conf's BUILD_EXCLUSIVE_CONFIG keeps DKMS from trying.
mkdir -p "$norust/build/include"
touch "$norust/$marker"
grep -v '^CONFIG_RUST=' "$kx86/.config" >"$norust/build/.config"
set +e
dkms build -m ibmvmc-rs -v "$version" -k "$rel-ibmvmc-norust" >"$work/dkms-norust.log" 2>&1
rc=$?
set -e
[ $rc = 77 ] && grep -q BUILD_EXCLUSIVE "$work/dkms-norust.log" ||
    die "a kernel without CONFIG_RUST was not excluded (rc $rc): $(tail -3 "$work/dkms-norust.log")"
log "a kernel without CONFIG_RUST: excluded by BUILD_EXCLUSIVE_CONFIG (dkms rc 77)"

# Removal: the packages, DKMS's tree, the installed module, the binaries.
log "dpkg -r ${pkgs[*]}"
dpkg -r "${pkgs[@]}" >"$work/dpkg-r.log" 2>&1 || die "dpkg -r failed: $(tail -5 "$work/dpkg-r.log")"
for p in "${pkgs[@]}"; do
    ! installed "$p" || die "$p is still installed after dpkg -r"
done
left=()
for f in "/usr/src/ibmvmc-rs-$version" /var/lib/dkms/ibmvmc-rs "$ko" /usr/bin/ibmvmc \
    /usr/bin/ibmvmc-trace /usr/share/man/man4/ibmvmc.4.gz; do
    [ ! -e "$f" ] || left+=("$f")
done
[ ${#left[@]} = 0 ] || die "dpkg -r left: ${left[*]}"
log "PASS: packaged, installed, built by DKMS for ppc64le (signed, modversions) and x86_64, loaded in both VMs, removed cleanly"
