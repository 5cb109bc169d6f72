# SPDX-License-Identifier: BSD-2-Clause
"""KolibriOS file functions 30, 70 and 80 (kernel/abi/kolibri/KolibriFiles.cpp),
checked by programs written from the KolibriOS function reference
(user/tests/kolibri/f_*.asm): every subfunction of 70 and 80 and their error
codes on the ramdisk and the RAM disk /tmp0/1, the three path encodings, the
current folder, starting programs, wild pointers. f_disk works on a FAT
image the host makes with mkfs.fat and fills with mtools; afterwards the
host reads what the guest wrote back with mtools, byte for byte, and
fsck.fat must find the file system clean."""

from __future__ import annotations

import os
import re
import subprocess

from test_programs import resync, run_test_program, start, wait_exit
from vmlib import boot_to_prompt, run_command

TIMEOUT = 240.0


def test_f_files(t):
    """70.0-70.10 on /sys, /rd/1 and /tmp0/1: reads of the program's own file,
    past the end and of missing files; folder listings with start index and
    count in cp866, UTF-16 and UTF-8; create, write at offsets, set end,
    attributes and dates, delete, create folder, rename and move; starting a
    program from the ramdisk and from /tmp0/1; error 7 for wild pointers."""
    run_test_program(t, "run /sys/f_files", timeout=TIMEOUT)


test_f_files.timeout = TIMEOUT + 60




def test_f_enc(t):
    """Function 30 (current folder, cp866/UTF-16/UTF-8), function 80 with each
    encoding for every subfunction, 70's encoding byte, relative paths with
    "." and "..", and a name with cp866 letters read back in UTF-8/UTF-16."""
    run_test_program(t, "run /sys/f_enc", timeout=TIMEOUT)


test_f_enc.timeout = TIMEOUT + 60

# ---- the disk image ----------------------------------------------------------------

HELLO = b"Hello from mtools!\n"
CYRILLIC_NAME = "Привет.txt"
CYRILLIC = b"cyrillic\n"
WRITTEN = b"written inside Colibri\n"
TRUNC = bytes((i * 13 + 5) % 251 for i in range(1000))


def big_pattern(length: int) -> bytes:
    return bytes((7 * i + i // 256) % 256 for i in range(length))


def mtools_environment() -> dict[str, str]:
    environment = dict(os.environ)
    environment["MTOOLS_SKIP_CHECK"] = "1"
    # mtools converts long names from and to the locale's character set.
    environment["LC_ALL"] = "C.UTF-8"
    return environment


def mtools(t, *arguments: str, output: bool = False) -> bytes:
    result = subprocess.run(arguments, capture_output=True, env=mtools_environment())
    if result.returncode != 0:
        t.fail(f"{' '.join(arguments)} failed: {result.stderr.decode(errors='replace')}")
    return result.stdout if output else b""


def make_disk(t):
    """A 32 MiB FAT16 image without a partition table, with the files
    f_disk expects."""
    image = t.work_dir / "disk.img"
    files = t.work_dir / "files"
    files.mkdir()
    result = subprocess.run(["mkfs.fat", "-F", "16", "-n", "COLIBRI", "-C", str(image), str(32 * 1024)],
        capture_output=True)
    if result.returncode != 0:
        t.fail(f"mkfs.fat failed: {result.stderr.decode(errors='replace')}")
    contents = {
        "hello.txt": HELLO,
        "big.bin": big_pattern(100000),
        "cyrillic.txt": CYRILLIC,
        "victim.txt": b"delete me\n",
        "trunc.txt": TRUNC,
    }
    for name, data in contents.items():
        (files / name).write_bytes(data)
    target = f"-i{image}"
    mtools(t, "mmd", target, "::/dir")
    mtools(t, "mcopy", target, str(files / "hello.txt"), "::/hello.txt")
    mtools(t, "mcopy", target, str(files / "big.bin"), "::/dir/big.bin")
    mtools(t, "mcopy", target, str(files / "cyrillic.txt"), "::/" + CYRILLIC_NAME)
    mtools(t, "mcopy", target, str(files / "victim.txt"), "::/victim.txt")
    mtools(t, "mcopy", target, str(files / "trunc.txt"), "::/trunc.txt")
    listing = mtools(t, "mdir", target, "-a", "::/", output=True).decode("utf-8", errors="replace")
    t.check(CYRILLIC_NAME in listing, f"mtools did not store the long name {CYRILLIC_NAME}:\n{listing}")
    return image


def read_back(t, image, path: str) -> bytes | None:
    result = subprocess.run(["mtype", f"-i{image}", "::" + path], capture_output=True, env=mtools_environment())
    if result.returncode != 0:
        return None
    return result.stdout


def test_f_disk(t):
    """f_disk on /hd0/1 (an IDE disk): files mcopy put there are read
    correctly, including a long Cyrillic name given in cp866; what the
    program wrote is read back on the host with mtools byte for byte, and
    `fsck.fat -n` finds the file system clean."""
    image = make_disk(t)
    machine = boot_to_prompt(t, disks=[image], snapshot=False)
    begin = machine.cursor
    pid, name = start(t, machine, "run /sys/f_disk")
    status = wait_exit(machine, pid, name, TIMEOUT)
    text = machine.transcript[begin:].replace("\r", "")
    for check, reason in re.findall(r"(?m)^(?:colibri> )*FAIL (\S+?):? (.*)$", text):
        t.check(False, f"{check}: {reason}")
    t.check(re.search(r"(?m)^(?:colibri> )*PASS f_disk\s*$", text) is not None, f"no verdict line:\n{machine.transcript_tail()}")
    t.check(status == 0, f"f_disk exited with status {status}")
    t.check("panic" not in text.lower(), f"kernel panic:\n{machine.transcript_tail()}")
    resync(machine)
    machine.send("halt\r")
    machine.wait_exit(30)

    # `halt` wrote the disk cache back (the flusher may have done it before).
    checks = {
        "/newdir/out.bin": big_pattern(50000) + b"tail",
        "/written.txt": WRITTEN,
        "/renamed.txt": HELLO,
        "/trunc.txt": TRUNC[:100],
        "/dir/big.bin": big_pattern(100000),
        "/" + CYRILLIC_NAME: CYRILLIC,
    }
    for path, expected in checks.items():
        data = read_back(t, image, path)
        t.check(data is not None, f"mtools cannot read {path} after the run")
        if data is not None:
            t.check(data == expected, f"{path}: {len(data)} bytes read back by mtools differ from the "
                f"{len(expected)} expected")
    for gone in ("/hello.txt", "/victim.txt"):
        t.check(read_back(t, image, gone) is None, f"{gone} is still on the disk")
    fsck = subprocess.run(["fsck.fat", "-n", str(image)], capture_output=True)
    t.check(fsck.returncode == 0, f"fsck.fat -n exited with {fsck.returncode}:\n"
        f"{fsck.stdout.decode(errors='replace')}{fsck.stderr.decode(errors='replace')}")


test_f_disk.timeout = TIMEOUT + 60
