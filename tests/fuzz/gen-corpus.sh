#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Writes the seed corpus of the crq_codec target: one valid 16-byte entry per message
# class (layouts from the table in src/wire/crq.rs). Seeds are named seed-*; libFuzzer's
# own entries (40-hex names) are never kept in the repo (tools/check/fuzz.sh fuzzes a copy).
# Usage: tests/fuzz/gen-corpus.sh   (rewrites tests/fuzz/corpus/crq_codec/seed-*)
set -euo pipefail
dir="$(cd "$(dirname "$0")" && pwd)/corpus/crq_codec"
mkdir -p "$dir"
rm -f "$dir"/seed-*

# seed NAME BYTE...: write the sixteen bytes, given in hex.
seed() {
    local name=$1 hex
    shift
    hex=$(printf %s "$@")
    [ ${#hex} -eq 32 ] || { echo "seed $name: not 16 bytes" >&2; exit 1; }
    printf "$(sed 's/../\\x&/g' <<<"$hex")" >"$dir/seed-$name"
}

#             hd ty st ow se ix buf   ------ 8..12 -- --- 12..16 ---
seed empty          00 00 00 00 00 00 00 00  00 00 00 00  00 00 00 00
seed init           c0 01 00 00 00 00 00 00  00 00 00 00  00 00 00 00
seed init-complete  c0 02 00 00 00 00 00 00  00 00 00 00  00 00 00 00
seed ev-failed      ff 01 00 00 00 00 00 00  00 00 00 00  00 00 00 00
seed ev-suspended   ff 06 00 00 00 00 00 00  00 00 00 00  00 00 00 00
seed ev-unknown     ff 7e 00 00 00 00 00 00  00 00 00 00  00 00 00 00
# Capabilities: max_hmcs 1, pool_size 8, MTU 0x10000, CRQ size 0x100, version 1.1.
seed cap            80 01 00 00 00 01 00 08  00 01 00 00  01 00 01 01
seed cap-resp       80 81 00 00 00 01 00 08  00 01 00 00  01 00 01 01
# HMC interface: session 1, index 0, buffer 3.
seed open           80 02 00 00 01 00 00 03  00 00 00 00  00 00 00 00
seed open-resp      80 82 00 00 01 00 00 03  00 00 00 00  00 00 00 00
seed close          80 03 00 00 01 00 00 00  00 00 00 00  00 00 00 00
seed close-resp     80 83 03 00 01 00 00 00  00 00 00 00  00 00 00 00
seed add-buf        80 04 00 01 01 00 00 03  00 00 00 00  12 34 50 00
seed add-buf-resp   80 84 00 00 01 00 00 03  00 00 00 00  00 00 00 00
seed rem-buf        80 05 00 00 01 00 00 00  00 00 00 00  00 00 00 00
seed rem-buf-resp   80 85 05 00 01 00 ff ff  00 00 00 00  00 00 00 00
seed signal         80 06 00 00 01 00 00 03  00 00 00 00  00 00 01 00

ls "$dir" | wc -l
