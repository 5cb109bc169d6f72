#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-2-Clause
"""Build Colibri's bootable 1.44 MB floppy from a FAT12 ramdisk image.

The floppy is the ramdisk plus three files and a boot sector:

  * the base image (made elsewhere with mkfs.fat or mformat) is copied;
  * STAGE2.BIN, KERNEL.ELF and, with --cmdline, CMDLINE.TXT are added to
    its root directory with mcopy (mtools);
  * the boot sector code is written into sector 0, keeping the image's own
    BIOS Parameter Block (bytes 3..61): boot/bootsector.asm reads the disk
    geometry from it at run time.

Stage 2 loads the whole finished floppy as the Multiboot "ramdisk" module,
so the three added files are visible to the kernel as well. It takes the
kernel file from that copy, above 1 MiB, so the kernel is limited only by
the free space on the floppy (and the machine's memory), not by a buffer
in conventional memory.

Usage:
  python3 tools/mkfloppy.py --base build/ramdisk.img \\
      --bootsector bootsector.bin --stage2 stage2.bin \\
      --kernel kernel.elf [--cmdline "text"] --output build/colibri.img

Standard library only (plus the mtools programs).
"""

import argparse
import os
import shutil
import struct
import subprocess
import sys
import tempfile

FLOPPY_BYTES = 1_474_560
SECTOR_BYTES = 512
BPB_FIRST, BPB_END = 3, 62          # bytes kept from the base image
STAGE2_MAX_BYTES = 32 * 1024        # boot sector loads it to 0x8000..0xFFFF
CMDLINE_MAX_BYTES = 255             # stage 2 reads the first line, <= 255


class BuildError(Exception):
    """A problem with the inputs, reported as one clear line."""


def parse_bpb(sector):
    """Return the FAT BPB fields we check (FAT spec, offsets 11..35)."""
    (bytes_per_sector, sectors_per_cluster, reserved, fat_count,
     root_entries, total16, _media, sectors_per_fat, _spt, _heads,
     _hidden, total32) = struct.unpack_from("<HBHBHHBHHHII", sector, 11)
    total = total16 or total32
    root_sectors = (root_entries * 32 + bytes_per_sector - 1) // max(bytes_per_sector, 1)
    data_start = reserved + fat_count * sectors_per_fat + root_sectors
    clusters = (total - data_start) // sectors_per_cluster if sectors_per_cluster else 0
    return {
        "bytes_per_sector": bytes_per_sector,
        "sectors_per_cluster": sectors_per_cluster,
        "reserved": reserved,
        "sectors_per_fat": sectors_per_fat,
        "total": total,
        "data_start": data_start,
        "clusters": clusters,
    }


def check_base(image):
    """Refuse anything but a FAT12 1.44 MB image; return its BPB."""
    if len(image) != FLOPPY_BYTES:
        raise BuildError(f"base image is {len(image)} bytes, a 1.44 MB floppy "
                         f"is {FLOPPY_BYTES}")
    bpb = parse_bpb(image[:SECTOR_BYTES])
    if bpb["bytes_per_sector"] != SECTOR_BYTES or bpb["total"] != FLOPPY_BYTES // SECTOR_BYTES:
        raise BuildError("base image has no 1.44 MB FAT boot sector "
                         "(bytes per sector / total sectors do not match)")
    if bpb["sectors_per_cluster"] == 0 or bpb["sectors_per_fat"] == 0:
        raise BuildError("base image BPB is not a FAT file system")
    # The FAT type is decided by the cluster count alone (FAT spec:
    # fewer than 4085 clusters is FAT12).
    if not 0 < bpb["clusters"] < 4085:
        raise BuildError(f"base image is not FAT12 ({bpb['clusters']} clusters)")
    return bpb


def free_bytes(image, bpb):
    """Free space in whole clusters, counted from the first FAT."""
    fat = image[bpb["reserved"] * SECTOR_BYTES:
                (bpb["reserved"] + bpb["sectors_per_fat"]) * SECTOR_BYTES]
    free = 0
    for cluster in range(2, bpb["clusters"] + 2):
        offset = cluster * 3 // 2
        word = fat[offset] | fat[offset + 1] << 8
        entry = word >> 4 if cluster & 1 else word & 0x0FFF
        if entry == 0:
            free += 1
    return free * bpb["sectors_per_cluster"] * SECTOR_BYTES


def cluster_bytes(size, bpb):
    cluster = bpb["sectors_per_cluster"] * SECTOR_BYTES
    return (size + cluster - 1) // cluster * cluster


def read_file(path, what):
    try:
        with open(path, "rb") as handle:
            return handle.read()
    except OSError as error:
        raise BuildError(f"cannot read {what} {path}: {error.strerror}")


def check_boot_sector(code):
    if len(code) != SECTOR_BYTES:
        raise BuildError(f"boot sector is {len(code)} bytes, must be {SECTOR_BYTES}")
    if code[510:512] != b"\x55\xAA":
        raise BuildError("boot sector does not end with the 0x55 0xAA signature")
    if code[0] != 0xEB or code[2] != 0x90:
        raise BuildError("boot sector does not start with a short jump over the BPB")


def mcopy(image_path, source, name):
    # -o: overwrite silently if the base image already has the file;
    # MTOOLS_SKIP_CHECK: do not refuse images with unusual geometry.
    env = dict(os.environ, MTOOLS_SKIP_CHECK="1")
    result = subprocess.run(["mcopy", "-o", "-i", image_path, source, "::" + name],
                            capture_output=True, text=True, env=env)
    if result.returncode != 0:
        message = (result.stderr or result.stdout).strip()
        raise BuildError(f"mcopy of {name} failed: {message}")


def build(args):
    base = read_file(args.base, "base image")
    bpb = check_base(base)
    boot = read_file(args.bootsector, "boot sector")
    check_boot_sector(boot)
    stage2 = read_file(args.stage2, "stage 2")
    kernel = read_file(args.kernel, "kernel")
    if not stage2:
        raise BuildError("stage 2 is empty")
    if len(stage2) > STAGE2_MAX_BYTES:
        raise BuildError(f"stage 2 is {len(stage2)} bytes, the boot sector "
                         f"loads at most {STAGE2_MAX_BYTES}")
    if not kernel:
        raise BuildError("kernel is empty")

    files = [("STAGE2.BIN", stage2), ("KERNEL.ELF", kernel)]
    if args.cmdline is not None:
        try:
            line = args.cmdline.encode("ascii")
        except UnicodeEncodeError:
            line = None
        if line is None or b"\n" in line or b"\r" in line or b"\0" in line:
            raise BuildError("--cmdline must be one line of ASCII text")
        if len(line) > CMDLINE_MAX_BYTES:
            raise BuildError(f"--cmdline is {len(line)} bytes, at most "
                             f"{CMDLINE_MAX_BYTES} are passed to the kernel")
        files.append(("CMDLINE.TXT", line + b"\n"))

    # Stage 2 loads the kernel above 1 MiB (through the ramdisk copy of
    # the floppy), so the only size limit known here is the free space.
    needed = sum(cluster_bytes(len(data), bpb) for _, data in files)
    available = free_bytes(base, bpb)
    if needed > available:
        names = ", ".join(f"{name} ({len(data)} bytes)" for name, data in files)
        raise BuildError(f"the floppy is full: {names} need {needed} bytes "
                         f"in whole clusters, the base image has {available} "
                         f"bytes free")

    output_dir = os.path.dirname(os.path.abspath(args.output))
    os.makedirs(output_dir, exist_ok=True)
    # Build next to the output and rename at the end, so a failed build
    # never leaves a half-made image behind under the output name.
    handle, work = tempfile.mkstemp(prefix=".mkfloppy-", suffix=".img", dir=output_dir)
    os.close(handle)
    try:
        with open(work, "wb") as image:
            image.write(base)
        with tempfile.TemporaryDirectory() as scratch:
            for name, data in files:
                source = os.path.join(scratch, name)
                with open(source, "wb") as handle:
                    handle.write(data)
                mcopy(work, source, name)
        with open(work, "r+b") as image:
            sector = bytearray(image.read(SECTOR_BYTES))
            sector[0:BPB_FIRST] = boot[0:BPB_FIRST]
            sector[BPB_END:SECTOR_BYTES] = boot[BPB_END:SECTOR_BYTES]
            image.seek(0)
            image.write(sector)
        if os.path.getsize(work) != FLOPPY_BYTES:
            raise BuildError("internal error: the image changed size")
        os.replace(work, args.output)
    except BaseException:
        os.unlink(work)
        raise


def main():
    parser = argparse.ArgumentParser(description="Build Colibri's bootable 1.44 MB FAT12 floppy.")
    parser.add_argument("--base", required=True, help="1.44 MB FAT12 image (the ramdisk)")
    parser.add_argument("--bootsector", required=True, help="assembled boot/bootsector.asm (512 bytes)")
    parser.add_argument("--stage2", required=True, help="assembled boot/stage2.asm")
    parser.add_argument("--kernel", required=True, help="kernel ELF32 executable")
    parser.add_argument("--cmdline", help="kernel command line, stored as CMDLINE.TXT")
    parser.add_argument("--output", required=True, help="floppy image to write")
    args = parser.parse_args()
    if shutil.which("mcopy") is None:
        print("mkfloppy: mcopy (mtools) is not installed", file=sys.stderr)
        return 1
    try:
        build(args)
    except BuildError as error:
        print(f"mkfloppy: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
