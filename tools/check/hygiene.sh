#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The house rules a maintainer checks before reading a patch, each a failure here:
#   spdx:    every own file (all tracked files but the vendored crates, the lock files,
#            the fuzz corpus's binary seeds and the patches to other projects, whose new
#            files carry their own SPDX lines) names its licence in an SPDX line near
#            the top (markdown: an HTML comment on the last line), every identifier
#            used has its text in src/LICENSES/, and the module's MODULE_LICENSE
#            ("GPL", i.e. GPL v2 or later) and Cargo's licence agree with it;
#   rustfmt: every own Rust file is formatted with the kernel's .rustfmt.toml;
#   rustdoc: the workspace's documentation builds without a warning;
#   C:       tools/check/c.sh (checkpatch) when it exists;
#   bindings: src/kmod/bindings.rs is what bindgen generates from src/kmod/shim.h now
#            (tools/kbuild/gen-bindings.sh --check);
#   modes:   a tracked file with a #! line is executable in git, and an executable one
#            has a #! line (tools/test.sh runs scripts directly: a lost mode bit fails
#            only there).
# Arguments name the checks to run (default: all of them).
source "$(dirname "$0")/../lib.sh"
STEP=hygiene
cd "$REPO"

checks=("$@")
[ ${#checks[@]} != 0 ] || checks=(spdx rustfmt rustdoc c modes bindings)
for c in "${checks[@]}"; do
    case $c in
        spdx | rustfmt | rustdoc | c | modes | bindings) ;;
        *) die "usage: $0 [spdx] [rustfmt] [rustdoc] [c] [modes] [bindings]" ;;
    esac
done
want() { [[ " ${checks[*]} " == *" $1 "* ]]; }

own_files() {
    git ls-files | grep -v -E '^src/kcrates/(vendor|patched)/|(^|/)Cargo\.lock$|\.patch$|^tests/fuzz/corpus/' |
        grep -v -E '^src/LICENSES/'
}

fail=0
bad() { log "$*"; fail=1; }

if want spdx; then
    n=0
    while read -r f; do
        n=$((n + 1))
        case $f in
            *.md) id=$(tail -n 1 "$f" | sed -n 's/.*SPDX-License-Identifier: \(.*\) -->.*/\1/p') ;;
            *) id=$(head -n 3 "$f" | sed -n 's/.*SPDX-License-Identifier: \([^*]*[^ *]\).*/\1/p' | head -n 1) ;;
        esac
        if [ -z "$id" ]; then
            bad "spdx: $f has no SPDX-License-Identifier line (first 3 lines; markdown: last line)"
            continue
        fi
        # Each identifier of the expression ("A WITH B", "A OR B") has a licence text.
        for part in $(echo "$id" | sed 's/ WITH / /g; s/ OR / /g; s/ AND / /g; s/[()]//g'); do
            grep -q -x -E "(Valid-License-Identifier|SPDX-Exception-Identifier): $part" src/LICENSES/* ||
                bad "spdx: $f: '$part' has no licence text in src/LICENSES/"
        done
    done < <(own_files)
    grep -q '^    license: "GPL",$' src/kmod/ibmvmc_kmod.rs ||
        bad "spdx: MODULE_LICENSE in src/kmod/ibmvmc_kmod.rs is not \"GPL\" (GPL v2 or later)"
    grep -q '^license = "GPL-2.0-or-later"$' Cargo.toml ||
        bad "spdx: Cargo.toml's licence is not GPL-2.0-or-later"
    [ $fail = 1 ] || log "spdx: $n own files, each with its SPDX line"
fi

if want rustfmt; then
    mapfile -t rs < <(own_files | grep '\.rs$')
    if ! out=$(rustfmt --check --edition 2021 --config-path .rustfmt.toml "${rs[@]}" 2>&1); then
        bad "rustfmt: not formatted (run: rustfmt --edition 2021 FILE):"
        printf '%s\n' "$out" | grep -E '^Diff in' | sed 's/ at line.*//' | sort -u >&2
    else
        log "rustfmt: ${#rs[@]} files formatted"
    fi
fi

if want rustdoc; then
    if RUSTDOCFLAGS="-D warnings" cargo doc --workspace --no-deps --quiet; then
        log "rustdoc: no warning"
    else
        bad "rustdoc: warnings (above)"
    fi
fi

if want modes; then
    n=0
    while read -r mode f; do
        [ -f "$f" ] || continue
        shebang=0
        [ "$(head -c 2 "$f")" != "#!" ] || shebang=1
        if [ $shebang = 1 ] && [ "$mode" != 100755 ]; then
            bad "modes: $f has a #! line but is not executable (git update-index --chmod=+x)"
        elif [ $shebang = 0 ] && [ "$mode" = 100755 ]; then
            bad "modes: $f is executable without a #! line"
        fi
        n=$((n + 1))
    done < <(own_files | while read -r f; do git ls-files -s -- "$f" | awk '{print $1, $4}'; done)
    [ $fail = 1 ] || log "modes: $n files, scripts executable"
fi

if want bindings; then
    bash tools/kbuild/gen-bindings.sh --check || fail=1
fi

if want c; then
    if [ -f tools/check/c.sh ]; then bash tools/check/c.sh || fail=1; else bad "c: tools/check/c.sh is missing"; fi
fi

[ $fail = 0 ] || die "house rules broken (above)"
