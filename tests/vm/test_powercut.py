# SPDX-License-Identifier: BSD-2-Clause
"""Power cuts on a FAT32 disk: user/tests/native/powercut.c writes and fsyncs
a few files on /hd0/1 (virtio-blk, a 64 MiB image made by mkfs.fat), prints
their names and CRC-32s, and then changes the disk as fast as it can without
syncing (creates, appends, renames, deletes) while the kernel's flusher
writes the caches back in the background. The host kills QEMU with SIGKILL
at a random moment of that, then `fsck.fat -n` must find the file system
clean and mtools must read every synced file back with its CRC-32.

What a power cut can leave: the disk holds what the guest's completed
writes put there (QEMU's raw file writes survive its death in the host's
page cache). The block cache writes file data back whenever it likes but
FAT and directory blocks only in a flush, after the data, and flushes run
between two operations, when the volume in the cache is consistent
(kernel/fs/BlockCache.h, kernel/fs/Vfs.cpp). Only a cut in the middle of
writing one flush's metadata blocks can leave what FAT cannot avoid without
a journal (a lost cluster, a chain longer than its file), which fsck
reports. That window is the time to write a few dozen blocks every few
seconds, so each iteration says when the kill came and what fsck found.
"""

from __future__ import annotations

import os
import random
import re
import subprocess
import time
import zlib

from test_programs import start
from vmlib import boot_to_prompt

IMAGE_MIB = 64
# Kill delays after SYNCED, in seconds: before the flusher's first
# write-back (3 s), around it, and after a few of them.
DELAY_RANGES = [(0.2, 2.5), (2.5, 5.0), (5.0, 9.0)]
SYNCED_TIMEOUT = 180.0


def mtools_environment() -> dict[str, str]:
    environment = dict(os.environ)
    environment["MTOOLS_SKIP_CHECK"] = "1"
    environment["LC_ALL"] = "C.UTF-8"
    return environment


def make_image(t, path):
    result = subprocess.run(["mkfs.fat", "-F", "32", "-n", "POWERCUT", "-C", str(path), str(IMAGE_MIB * 1024)],
        capture_output=True)
    if result.returncode != 0:
        t.fail(f"mkfs.fat failed: {result.stderr.decode(errors='replace')}")


def one_power_cut(t, iteration: int, delay: float) -> None:
    image = t.work_dir / f"powercut{iteration}.img"
    make_image(t, image)
    machine = boot_to_prompt(t, disks=[image], disk_bus="virtio", snapshot=False)
    begin = machine.cursor
    start(t, machine, "run /sys/powercut /hd0/1")
    machine.cursor = begin
    machine.expect(r"powercut: SYNCED", SYNCED_TIMEOUT)
    text = machine.transcript[begin:].replace("\r", "")
    synced = re.findall(r"powercut: synced (/hd0/1/[^\n]*?) (\d+) ([0-9a-f]{8})\n", text)
    seed = re.search(r"powercut: seed (\w+)", text)
    time.sleep(delay)
    still_running = machine.is_running()
    machine.process.kill()  # SIGKILL: no chance for anyone to write back
    machine.process.wait()
    after = machine.transcript[begin:].replace("\r", "")
    machine.kill()
    label = f"cut {iteration} ({delay:.2f} s after SYNCED, seed {seed.group(1) if seed else '?'})"
    print(f"    {label}", flush=True)
    t.check(still_running, f"{label}: QEMU ended before the power cut:\n{after[-2000:]}")
    t.check("panic" not in after.lower(), f"{label}: kernel panic:\n{after[-2000:]}")
    t.check(len(synced) == 4, f"{label}: {len(synced)} synced files reported, expected 4:\n{text[-2000:]}")

    fsck = subprocess.run(["fsck.fat", "-n", str(image)], capture_output=True)
    t.check(fsck.returncode == 0, f"{label}: fsck.fat -n exited with {fsck.returncode}:\n"
        f"{fsck.stdout.decode(errors='replace')}{fsck.stderr.decode(errors='replace')}")
    for path, size, crc in synced:
        inside = "::" + path[len("/hd0/1"):]
        result = subprocess.run(["mtype", f"-i{image}", inside], capture_output=True, env=mtools_environment())
        t.check(result.returncode == 0, f"{label}: mtype {inside} failed: {result.stderr.decode(errors='replace')}")
        if result.returncode != 0:
            continue
        data = result.stdout
        t.check(len(data) == int(size), f"{label}: {inside} has {len(data)} bytes, expected {size}")
        t.check(f"{zlib.crc32(data):08x}" == crc, f"{label}: {inside} CRC-32 {zlib.crc32(data):08x}, expected {crc}")
    # What the heavy phase got onto the disk without any sync: the flusher's
    # work (nothing before its first write-back, about 3-4 s after SYNCED).
    listing = subprocess.run(["mdir", "-b", "-/", f"-i{image}", "::/"], capture_output=True,
        env=mtools_environment()).stdout.decode(errors="replace")
    unsynced = len(re.findall(r"/(?:heavy/)?(?:file|renamed) \d+\.dat$", listing, re.M))
    print(f"      {unsynced} files of the unsynced phase are on the disk", flush=True)
    if delay >= 5.0:
        t.check(unsynced > 0, f"{label}: nothing written after SYNCED reached the disk: no background write-back?")
    image.unlink()


def test_power_cut(t):
    """Three power cuts at random moments after the synced files: fsck.fat -n
    is clean and the synced files read back with their CRC-32s."""
    chooser = random.Random()
    for iteration, (low, high) in enumerate(DELAY_RANGES):
        one_power_cut(t, iteration, chooser.uniform(low, high))


test_power_cut.timeout = 3 * (60 + SYNCED_TIMEOUT)
