# SPDX-License-Identifier: BSD-2-Clause
"""Disks: the ATA and virtio-blk drivers find raw images attached by the
host, and the kernel's `disktest` reads what the host wrote and writes what
the host then finds in the image file.

The pattern functions and sector numbers must match kernel/tests/DiskSelfTest.h.
"""

import re

from qemu import EXIT_CLEAN_POWEROFF, ExpectTimeout
from vmlib import BOOT_TIMEOUT, PROMPT, boot_to_prompt

SECTOR = 512
HOST_SECTORS = range(1, 301)        # plus the last sector
GUEST_SECTORS = [2] + list(range(1000, 1300)) + list(range(1400, 1700))
DISKTEST_TIMEOUT = 120.0


def host_pattern(sector: int) -> bytes:
    return bytes((sector * 31 + index * 13 + 0x5A) & 0xFF for index in range(SECTOR))


def guest_pattern(sector: int) -> bytes:
    return bytes((sector * 17 + index * 5 + 0xA5) & 0xFF for index in range(SECTOR))


def make_image(path, mebibytes: int):
    """A sparse raw image with host_pattern in sectors 1-300 and the last one."""
    sectors = mebibytes * 2048
    with open(path, "wb") as image:
        image.truncate(sectors * SECTOR)
        for sector in list(HOST_SECTORS) + [sectors - 1]:
            image.seek(sector * SECTOR)
            image.write(host_pattern(sector))
    return sectors


def sector_of(data: bytes, sector: int) -> bytes:
    return data[sector * SECTOR:(sector + 1) * SECTOR]


def disk_line(text: str, index: int) -> re.Match:
    return re.search(rf"disk: hd{index} = (\S+) \(([^)]*)\), (\d+) sectors \((\d+) MiB\)", text)


def run_disktest(t, bus: str, expected_name: str, expected_where: str):
    image = t.work_dir / f"{bus}.img"
    sectors = make_image(image, 24)
    # The guest's writes must reach the file: no snapshot overlay.
    machine = t.machine(append="disktest=16", disks=[image], disk_bus=bus, snapshot=False)
    try:
        status = machine.wait_exit(DISKTEST_TIMEOUT)
    except ExpectTimeout:
        status = None
    text = machine.transcript.replace("\r", "")

    line = disk_line(text, 0)
    t.check(line is not None, "no 'disk: hd0 = ...' line")
    t.check(line.group(1) == expected_name, f"hd0 is {line.group(1)}, expected {expected_name}")
    t.check(line.group(2).startswith(expected_where), f"hd0 is at '{line.group(2)}', expected '{expected_where}...'")
    t.check(int(line.group(3)) == sectors, f"hd0 has {line.group(3)} sectors, the image {sectors}")
    t.check(int(line.group(4)) == 24, f"hd0 is reported as {line.group(4)} MiB, expected 24")
    t.check(disk_line(text, 1) is None, "a second disk appeared")

    failures = re.findall(r"disktest: FAIL (.*)", text)
    for failure in failures:
        t.case(failure.split(":")[0].replace(" ", "."), False, failure)
    passes = re.findall(r"disktest: PASS hd0 (\S+)", text)
    for name in passes:
        t.case(f"hd0.{name}", True)
    throughput = re.search(r"disktest: hd0 \(\S+\) read .*MB/s.*", text)
    if throughput:
        print(f"    {bus}: {throughput.group(0)}", flush=True)
    t.check(status is not None, f"QEMU still running after {DISKTEST_TIMEOUT:g} s")
    t.check(not failures, f"{len(failures)} disk self-test case(s) failed")
    t.check(len(passes) == 6, f"{len(passes)} disk self-test cases passed, expected 6")
    t.check(throughput is not None, "no throughput line")
    t.check(status == EXIT_CLEAN_POWEROFF, f"QEMU exit status {status}, expected {EXIT_CLEAN_POWEROFF}")

    # What the guest wrote is in the file; nothing else changed.
    data = image.read_bytes()
    t.check(len(data) == sectors * SECTOR, "the image changed size")
    for sector in GUEST_SECTORS:
        t.check(sector_of(data, sector) == guest_pattern(sector), f"sector {sector} does not hold the guest's pattern")
    for sector in list(HOST_SECTORS)[1:] + [sectors - 1]:
        t.check(sector == 2 or sector_of(data, sector) == host_pattern(sector), f"sector {sector} changed")
    t.check(sector_of(data, 1) == host_pattern(1), "sector 1 changed")
    for sector in (0, 999, 1300, 1399, 1700):
        t.check(sector_of(data, sector) == bytes(SECTOR), f"sector {sector} should still be zero")


def test_ide(t):
    """An IDE disk on the primary master: hd0 = ata0; disktest passes; writes reach the image."""
    run_disktest(t, "ide", "ata0", "primary master")


def test_virtio(t):
    """A virtio-blk disk: hd0 = virtio0; disktest passes; writes reach the image."""
    run_disktest(t, "virtio", "virtio0", "PCI ")


def test_iso_boot_skips_the_cd(t):
    """GRUB from the ISO (a CD on the secondary master) with two IDE disks:
    the CD-ROM is skipped, the disks are hd0 and hd1, and the machine still
    boots from the CD."""
    first = t.work_dir / "first.img"
    second = t.work_dir / "second.img"
    make_image(first, 24)
    make_image(second, 8)
    machine = boot_to_prompt(t, boot="iso", disks=[first, second])
    text = machine.transcript.replace("\r", "")
    zero, one = disk_line(text, 0), disk_line(text, 1)
    t.check(zero is not None and one is not None, "expected two 'disk: hdN' lines")
    t.check((zero.group(1), int(zero.group(3))) == ("ata0", 24 * 2048), f"hd0: {zero.group(0)}")
    t.check((one.group(1), int(one.group(3))) == ("ata1", 8 * 2048), f"hd1: {one.group(0)}")
    t.check(disk_line(text, 2) is None, "a third disk (the CD?) appeared")
    t.check(PROMPT in text, "no shell prompt")


test_ide.timeout = 150.0
test_virtio.timeout = 150.0
test_iso_boot_skips_the_cd.timeout = 180.0


def test_floppy_boot_with_virtio_disk(t):
    """Colibri's own loader from the floppy still boots with a virtio disk attached."""
    image = t.work_dir / "disk.img"
    make_image(image, 8)
    machine = t.machine(boot="floppy", disks=[image], disk_bus="virtio")
    machine.expect(r"Colibri stage2", BOOT_TIMEOUT)
    match = machine.expect(r"disk: hd0 = (\S+) .*, (\d+) sectors", BOOT_TIMEOUT)
    t.check(match.group(1) == "virtio0", f"hd0 is {match.group(1)}, expected virtio0")
    t.check(int(match.group(2)) == 8 * 2048, f"hd0 has {match.group(2)} sectors, expected {8 * 2048}")
    machine.expect(re.escape(PROMPT), BOOT_TIMEOUT)


test_floppy_boot_with_virtio_disk.timeout = 180.0
