#!/usr/bin/env bash
# Writes the seed images for fat_fuzz into the directory given as $1: small
# FAT12, FAT16 and FAT32 volumes made by mkfs.fat and filled by mtools with
# long names, nested and multi-cluster directories, deleted entries and a
# fragmented file. Each image has its trailing zero bytes cut off (fat_fuzz
# pads a short input back to the size its boot sector claims), which keeps
# the FAT16 and FAT32 seeds small enough to mutate quickly.
#
# Without mkfs.fat or mtools the directory is left empty (libFuzzer then
# starts from nothing) and a warning is printed.
set -euo pipefail

out="${1:?usage: make_corpus.sh OUTPUT_DIRECTORY}"
mkdir -p "$out"
rm -f "$out"/*.img

for tool in mkfs.fat mcopy mmd mdel python3; do
    if ! command -v "$tool" >/dev/null 2>&1; then
        echo "make_corpus.sh: $tool not found, no seed images" >&2
        exit 0
    fi
done

export MTOOLS_SKIP_CHECK=1
work="$(mktemp -d /tmp/colibri-fat-seeds-XXXXXX)"
trap 'rm -rf "$work"' EXIT

# A file of `size` bytes whose content names the file and its offsets, so a
# cross-linked or misread cluster is visible in a hex dump.
make_file() {
    python3 -c 'import sys
name, size = sys.argv[1], int(sys.argv[2])
text = b"".join(b"%-8.8s@%06d\n" % (name.encode(), i) for i in range(0, size, 16))
sys.stdout.buffer.write(text[:size])' "$1" "$2" >"$work/$1"
}

put() { # image size host-name image-path
    make_file "$3" "$2"
    mcopy -i "$1" "$work/$3" "::/$4"
}

fill() { # image cluster-bytes
    local img="$1" cluster="$2"
    put "$img" 17 hello "HELLO.TXT"
    put "$img" 40 long "A long file name with spaces.text"
    put "$img" 0 empty "empty.dat"
    mmd -i "$img" "::/Sub Directory" "::/Sub Directory/nested" "::/many"
    put "$img" $((cluster * 3 + 5)) deep "Sub Directory/nested/deep.bin"
    put "$img" 30 lower "Sub Directory/lower.txt"
    # More entries than one cluster holds (each name takes three slots): a
    # directory with a cluster chain.
    local i
    for i in $(seq 1 $((cluster / 96 + 2))); do
        put "$img" $((i * 7)) "m$i" "many/entry number $i.txt"
    done
    # Delete a file between two others, then write one larger than the gap:
    # a deleted entry, and a fragmented chain.
    put "$img" $((cluster * 2)) gap1 "GAP1.BIN"
    put "$img" $((cluster * 2)) gap2 "GAP2.BIN"
    mdel -i "$img" "::/GAP1.BIN"
    put "$img" $((cluster * 5 + 1)) frag "Fragmented.bin"
}

# Drops trailing zero bytes, keeping at least the boot sector.
trim() {
    python3 -c 'import sys
data = open(sys.argv[1], "rb").read()
end = max(len(data.rstrip(b"\0")), 512)
open(sys.argv[2], "wb").write(data[:end])' "$1" "$2"
}

make_image() { # name cluster-bytes KiB mkfs.fat-options...
    local name="$1" cluster="$2" kib="$3"
    shift 3
    local img="$work/$name.img"
    mkfs.fat "$@" -C "$img" "$kib" >/dev/null
    fill "$img" "$cluster"
    trim "$img" "$out/$name.img"
}

# The sizes are in KiB and close to each type's minimum (mkfs.fat refuses
# FAT12 below about 64 KiB; FAT16 needs 4085 clusters, FAT32 65525).
make_image fat12 512 128 -F 12 -s 1
make_image fat12-big-sectors 2048 256 -F 12 -S 1024 -s 2 -f 1 -r 64
make_image fat16 512 2100 -F 16 -s 1
make_image fat32 512 33300 -F 32 -s 1 -f 1
ls "$out"/*.img >/dev/null
