#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Builds the test kernel for one architecture (x86_64 | ppc64le) into the cache:
# tinyconfig + tools/build/kconfig/{common,ARCH}.config, then checks that every option the
# fragments ask for really survived olddefconfig (a silently dropped KASAN is a lie).
# Prints the output directory on stdout. A finished build is reused as is.
source "$(dirname "$0")/../lib.sh"
arch=${1:?usage: tools/build/kernel.sh x86_64|ppc64le}
STEP="kernel-$arch"

src=$(kernel_src_dir)
out=$(kernel_out_dir "$arch")
mapfile -t vars < <(kmake_vars "$arch")
frags=("$REPO/tools/build/kconfig/common.config" "$REPO/tools/build/kconfig/$arch.config")

if [ -f "$out/.ibmvmc-done" ]; then
    log "cached: $out"
    echo "$out"
    exit 0
fi

mkdir -p "$out"
log "configuring in $out"
make -s -C "$src" O="$out" "${vars[@]}" tinyconfig >/dev/null
(cd "$out" && "$src/scripts/kconfig/merge_config.sh" -m -O "$out" "$out/.config" "${frags[@]}" >/dev/null)
make -s -C "$src" O="$out" "${vars[@]}" olddefconfig >/dev/null

missing=0
while read -r line; do
    case $line in
        CONFIG_*=*)
            grep -qxF "$line" "$out/.config" && continue
            log "config: wanted '$line', got '$(grep -E "^(# )?${line%%=*}[= ]" "$out/.config" || echo absent)'"
            missing=1 ;;
        "# CONFIG_"*" is not set")
            opt=${line#\# }; opt=${opt%% *}
            grep -q "^$opt=" "$out/.config" || continue
            log "config: wanted $opt off, got '$(grep "^$opt=" "$out/.config")'"
            missing=1 ;;
    esac
done < <(
    # what the fragments ask for, the last fragment's line winning for an option
    # (merge_config.sh's rule): option, then the line, keep the last per option
    cat "${frags[@]}" | sed -nE 's/^(# )?(CONFIG_[A-Za-z0-9_]+)[= ].*/\2 &/p' |
        awk '{ o = $1; sub(/^[^ ]+ /, ""); if (!(o in v)) k[n++] = o; v[o] = $0 }
             END { for (i = 0; i < n; i++) print v[k[i]] }')
[ $missing = 0 ] || die "config fragments not satisfied (see above)"
grep -q '^CONFIG_RUST=y' "$out/.config" || die "CONFIG_RUST did not survive"

log "building (make -j$(nproc)); log in $out/build.log"
start=$(date +%s)
(
    while sleep 60; do
        n=$(grep -cE '^\s+(CC|RUSTC|AS|LD|AR)' "$out/build.log" 2>/dev/null || true)
        log "$n objects so far, $(( $(date +%s) - start )) s; last: $(tail -n1 "$out/build.log" 2>/dev/null | cut -c1-80)"
    done
) &
ticker=$!
trap 'kill $ticker 2>/dev/null || true' EXIT
if ! make -C "$src" O="$out" "${vars[@]}" -j"$(nproc)" >"$out/build.log" 2>&1; then
    tail -n 40 "$out/build.log" >&2
    die "kernel build failed"
fi
secs=$(( $(date +%s) - start ))
echo "$secs" >"$out/.build-seconds"
log "built in $secs s"
touch "$out/.ibmvmc-done"
echo "$out"
