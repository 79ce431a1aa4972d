#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Called by /Kbuild (never by hand): builds the crates ibmvmc.ko links with Cargo, for
# the kernel's target, with the kernel's rustc and the module flags Kbuild computed, from
# the vendored sources in src/kcrates/vendor. Produces, next to OUT:
#   OUT            one relocatable object with every crate's code (ld -r of the rlibs),
#   OUT.flags      rustc arguments (--extern, -L) for the glue crate that uses them,
#   .OUT.cmd       the Kbuild command file modpost looks for.
# usage: tools/kbuild/cargo.sh OUT TARGET LD      (RUSTFLAGS and IBMVMC_BACKEND in the environment)
# IBMVMC_BACKEND=sim (the default) adds the simulator crate (feature `sim`); pseries
# builds without it.
set -euo pipefail
out=$1 target=$2 ld=$3
here="$(cd "$(dirname "$0")/../.." && pwd)"
outdir="$(cd "$(dirname "$out")" && pwd)"
cargo_dir="$outdir/kcrates-target"

zflags=()
case $target in
    # Cargo wants an opt-in for target spec files (RUSTC_BOOTSTRAP=1 allows -Z).
    *.json) target="$(realpath "$target")"; zflags=(-Zjson-target-spec) ;;
esac
[ -n "$target" ] || { echo "kbuild-cargo: no --target in the kernel's rust flags" >&2; exit 1; }

# The crates the glue names directly; everything else is reached through them.
externs="ibmvmc ibmvmc_executor embassy_sync futures_util static_cell defmt critical_section"
features=()
case ${IBMVMC_BACKEND:-sim} in
    sim) features=(--features sim); externs="$externs ibmvmc_sim" ;;
    pseries) ;;
    *) echo "kbuild-cargo: unknown IBMVMC_BACKEND '$IBMVMC_BACKEND'" >&2; exit 1 ;;
esac

json="$outdir/kcrates.json"
(
    cd "$here/src/kcrates"
    # RUSTC, RUSTC_BOOTSTRAP=1 and the toolchain come from the kernel's make.
    cargo build "${zflags[@]}" "${features[@]}" --offline --locked --release --quiet \
        --target "$target" --target-dir "$cargo_dir" \
        --message-format=json-render-diagnostics >"$json"
)

# Target artifacts land in $cargo_dir/<target name>/release; host ones (build scripts,
# proc-macros and their dependencies) in $cargo_dir/release and are never linked.
tname=$(basename "$target" .json)
python3 - "$json" "$outdir" "$externs" "$cargo_dir/$tname/release/deps" <<'EOF'
import json, os, sys
path, outdir, externs, tdeps = sys.argv[1], sys.argv[2], sys.argv[3].split(), sys.argv[4]
rlibs, deps = {}, set()
for line in open(path):
    try:
        m = json.loads(line)
    except ValueError:
        continue
    if m.get("reason") != "compiler-artifact":
        continue
    for f in m["filenames"]:
        if f.endswith(".rlib") and os.path.dirname(f) == tdeps:
            rlibs[m["target"]["name"].replace("-", "_")] = f
        deps.add(os.path.dirname(f))
missing = [e for e in externs if e not in rlibs]
if missing:
    sys.exit("kbuild-cargo: cargo built no rlib for: " + " ".join(missing))
with open(os.path.join(outdir, "kcrates.o.flags.tmp"), "w") as fl:
    for e in externs:
        fl.write("--extern\n%s=%s\n" % (e, rlibs[e]))
    for d in sorted(deps):
        fl.write("-L\ndependency=%s\n" % d)
with open(os.path.join(outdir, "kcrates.rlibs"), "w") as fr:
    fr.write("\n".join(sorted(rlibs.values())) + "\n")
EOF

# One object from every rlib's code objects (each rlib unpacked in its own directory,
# since member names can repeat across crates).
work="$outdir/kcrates-objs"
rm -rf "$work" && mkdir -p "$work"
i=0
while read -r rlib; do
    i=$((i + 1))
    mkdir -p "$work/$i"
    (cd "$work/$i" && ar x "$rlib" && rm -f lib.rmeta)
done <"$outdir/kcrates.rlibs"
mapfile -t objs < <(find "$work" -name '*.o' | sort)
"$ld" -r -o "$out.tmp" "${objs[@]}"

# Replace outputs only when they changed, so an unchanged build relinks nothing.
for f in "$out" "$outdir/kcrates.o.flags"; do
    if cmp -s "$f.tmp" "$f"; then rm -f "$f.tmp"; else mv -f "$f.tmp" "$f"; fi
done

# Kbuild's .cmd file for OUT: modpost reads one for every object of a module that has a
# version (MODULE_VERSION, for its srcversion), and only Kbuild's if_changed rules write
# them. Cargo tracks this object's sources itself, so the file names the command alone.
printf 'savedcmd_%s := %s\n' "$out" "bash tools/kbuild/cargo.sh $out $target $ld" \
    >"$outdir/.$(basename "$out").cmd"
