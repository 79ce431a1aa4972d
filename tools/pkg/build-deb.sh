#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Builds the Debian packages of this tree with Debian's own tooling (dpkg-buildpackage,
# debhelper, dh-dkms) into target/pkg/:
#   ibmvmc-rs_VERSION.dsc/.tar.xz      the source package (native)
#   ibmvmc-rs-dkms_VERSION_all.deb     the module's source for DKMS (tools/pkg/dkms.conf)
#   ibmvmc-rs-tools_VERSION_ARCH.deb   the CLI (ibmvmc) and the trace decoder
#                                      (ibmvmc-trace), with their man pages
# VERSION: the workspace's version and git's: 0.1.0+gitYYYYMMDD.HASH (the commit's date;
# +dirty when the tree has changes, which are packaged as they are). Prints the .deb
# paths on stdout.
#   tools/pkg/build-deb.sh
source "$(dirname "$0")/../lib.sh"
STEP=build-deb
cd "$REPO"

base=$(sed -n 's/^version = "\(.*\)"$/\1/p' Cargo.toml | head -1)
[ -n "$base" ] || die "no version in Cargo.toml"
hash=$(git rev-parse --short=7 HEAD)
date=$(git log -1 --format=%cd --date=format:%Y%m%d)
version="$base+git$date.$hash"
[ -z "$(git status --porcelain --untracked-files=no)" ] || version+=".dirty"

out="$REPO/target/pkg"
work="$out/build"
src="$work/ibmvmc-rs-$version"
rm -rf "$work" && mkdir -p "$src"
rm -f "$out"/ibmvmc-rs*.deb "$out"/ibmvmc-rs_*
# The tree as git sees it (tracked files as they are now, new files not ignored).
git ls-files -z --cached --others --exclude-standard |
    tar --null -T - --ignore-failed-read -c 2>/dev/null | tar -x -C "$src"
cp -a tools/pkg/debian "$src/debian"
# The maintainer: DEBFULLNAME and DEBEMAIL as for dch, else a placeholder (which lintian
# calls bogus: a distribution's packager sets theirs).
maint="${DEBFULLNAME:-ibmvmc-rs maintainers} <${DEBEMAIL:-ibmvmc-rs@invalid}>"
sed -i "s|#MAINTAINER#|$maint|" "$src/debian/control"
cp tools/pkg/dkms.conf "$src/debian/ibmvmc-rs-dkms.dkms"
mkdir -p "$src/debian/source"
echo "3.0 (native)" >"$src/debian/source/format"
cat >"$src/debian/changelog" <<EOT
ibmvmc-rs ($version) unstable; urgency=medium

  * Built from git $(git rev-parse HEAD).

 -- $maint  $(git log -1 --format=%cD)
EOT

log "building $version (dpkg-buildpackage); log in $work/build.log"
# The tools' Cargo build is cached outside the package tree.
export CARGO_TARGET_DIR="$REPO/target/pkg-cargo"
if ! (cd "$src" && dpkg-buildpackage -uc -us >"$work/build.log" 2>&1); then
    tail -n 30 "$work/build.log" >&2
    die "dpkg-buildpackage failed"
fi
mv "$work"/ibmvmc-rs*.deb "$work"/ibmvmc-rs_"$version"* "$out"/
for d in "$out"/ibmvmc-rs*.deb; do log "$(basename "$d"): $(dpkg-deb -f "$d" Installed-Size) KiB installed"; done
ls "$out"/ibmvmc-rs*.deb
