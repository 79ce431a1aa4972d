#!/usr/bin/env bash
# The kernel half of the test command for one architecture: build (or reuse) the test
# kernel, build ibmvmc.ko and the static test programs, then boot:
#   1. tests/vm/load.plan   must PASS, with the module's self-test line in the log;
#   2. tests/vm/splat.plan  must FAIL, and because of the WARNING it injects: this is the
#      test that the runner's splat detector works at all.
source "$(dirname "$0")/../lib.sh"
arch=${1:?usage: kernel-tests.sh x86_64|ppc64le}
STEP="kernel-tests-$arch"

"$REPO/tools/build-kernel.sh" "$arch" >/dev/null
ko=$("$REPO/tools/build-module.sh" "$arch")

case $arch in
    x86_64) cc=gcc ;;
    ppc64le) cc=powerpc64le-linux-gnu-gcc ;;
esac
bin="$REPO/target/vm/$arch/bin"
mkdir -p "$bin"
progs=()
for c in "$REPO"/tests/vm/*.c; do
    p="$bin/$(basename "$c" .c)"
    "$cc" -static -O2 -Wall -Werror -o "$p" "$c"
    progs+=(--prog "$p")
done

proof='ibmvmc: crates ok: embassy-sync Channel sum=36 received=8 producer_waits=[1-9][0-9]*, futures-util join, static_cell value=36 refused_twice=true, defmt frames=[1-9][0-9]* bytes=[1-9][0-9]*; executor: 16/16 wakes from hard irq'

"$REPO/tools/vm/run.sh" "$arch" "$REPO/tests/vm/load.plan" --ko "$ko" "${progs[@]}" \
    --out "$REPO/target/vm/$arch/load" --expect-log "$proof" --expect-log 'ibmvmc: unloaded'
grep -h 'ibmvmc:' "$REPO/target/vm/$arch/load/dmesg.log" | sed 's/^<[0-9]>//' >&2

# The injected splat must make the runner fail, and for that reason only.
set +e
res=$("$REPO/tools/vm/run.sh" "$arch" "$REPO/tests/vm/splat.plan" --ko "$ko" \
    --out "$REPO/target/vm/$arch/splat" 2>"$REPO/target/vm/$arch/splat.err")
rc=$?
set -e
echo "$res" >&2
if [ $rc = 0 ]; then
    die "the injected WARNING went unnoticed: the splat detector is broken"
fi
grep -q 'FAIL: splat: .*WARNING:.*' "$REPO/target/vm/$arch/splat.err" ||
    die "the splat run failed, but not on the injected WARNING: $(cat "$REPO/target/vm/$arch/splat.err")"
grep -q 'splat injected on purpose' "$REPO/target/vm/$arch/splat/dmesg.log" ||
    die "the splat run's log lacks the injected WARNING's message"
log "injected splat detected as expected"
echo "kernel tests $arch: PASS"
