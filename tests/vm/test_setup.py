# SPDX-License-Identifier: BSD-2-Clause
"""The set-up: tools/host-fasm picks the command that runs fasm on this host.

Debian's fasm is a 32-bit program; where the host kernel cannot execute it,
the build runs it through qemu-i386. These cases drive tools/host-fasm with
fake programs on PATH (no QEMU guest is booted), then check the real choice
against the build folder's configuration.
"""

import os
import shutil
import stat
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HOST_FASM = ROOT / "tools" / "host-fasm"

# The shell tools host-fasm itself needs; a PATH made of only these (and the
# fakes) hides the host's own fasm and qemu-i386.
TOOLS = ("bash", "env", "mktemp", "rm", "od", "tr", "tail", "cat", "printf", "cp", "dirname")

# An ELF header for a machine no host runs (e_machine 0xFFFF): execve fails
# with ENOEXEC everywhere, as a 32-bit fasm does on a host without IA-32.
UNRUNNABLE_ELF = b"\x7fELF\x01\x01\x01" + bytes(9) + b"\x02\x00\xff\xff" + bytes(36)

# A fasm stand-in that works: writes the probe's byte to its output file.
WORKING_FASM = "#!/bin/sh\nprintf 'Z' > \"$2\"\n"

# A qemu-i386 stand-in: notes that it ran, then does what fasm would.
EMULATOR = "#!/bin/sh\necho \"$@\" >> \"$(dirname \"$0\")/emulator.log\"\nprintf 'Z' > \"$3\"\n"


def make_path(directory: Path, programs: dict[str, bytes | str]) -> str:
    directory.mkdir(parents=True)
    for tool in TOOLS:
        found = shutil.which(tool)
        if found:
            os.symlink(found, directory / tool)
    for name, content in programs.items():
        path = directory / name
        path.write_bytes(content.encode() if isinstance(content, str) else content)
        path.chmod(path.stat().st_mode | stat.S_IXUSR)
    return str(directory)


def host_fasm(path: str, *arguments: str) -> subprocess.CompletedProcess:
    return subprocess.run([shutil.which("bash"), str(HOST_FASM), *arguments], env={"PATH": path},
        capture_output=True, text=True, timeout=60)


def test_fasm_that_cannot_execute_falls_back_to_qemu_i386(t):
    directory = t.work_dir / "fallback"
    result = host_fasm(make_path(directory, {"fasm": UNRUNNABLE_ELF, "qemu-i386": EMULATOR}))
    t.check(result.returncode == 0, f"host-fasm failed: {result.stderr}")
    words = result.stdout.split()
    t.check(words == [str(directory / "qemu-i386"), str(directory / "fasm")], f"chose {words}")
    t.check((directory / "emulator.log").exists(), "the emulator was never tried")


def test_fasm_that_runs_is_used_directly(t):
    directory = t.work_dir / "direct"
    result = host_fasm(make_path(directory, {"fasm": WORKING_FASM, "qemu-i386": EMULATOR}))
    t.check(result.returncode == 0, f"host-fasm failed: {result.stderr}")
    t.check(result.stdout.split() == [str(directory / "fasm")], f"chose {result.stdout.split()}")
    t.check(not (directory / "emulator.log").exists(), "the emulator was used although fasm runs")


def test_missing_emulator_is_reported(t):
    """Exit status 3 is what makes ./colibri install qemu-user."""
    directory = t.work_dir / "noemulator"
    result = host_fasm(make_path(directory, {"fasm": UNRUNNABLE_ELF}))
    t.check(result.returncode == 3, f"exit status {result.returncode}, stderr: {result.stderr}")
    t.check("qemu-i386 is not installed" in result.stderr, f"stderr: {result.stderr}")


def test_build_uses_the_command_that_works_here(t):
    """The real fasm: the emulated path assembles for real where qemu-i386 is
    installed, and the build folder is configured with host-fasm's choice."""
    if shutil.which("qemu-i386"):
        result = subprocess.run([str(HOST_FASM), "--emulator-only"], capture_output=True, text=True, timeout=120)
        t.check(result.returncode == 0, f"fasm under qemu-i386 failed: {result.stderr}")
    choice = subprocess.run([str(HOST_FASM)], capture_output=True, text=True, timeout=120)
    t.check(choice.returncode == 0, f"host-fasm failed: {choice.stderr}")
    cache = (t.build_dir / "cross" / "CMakeCache.txt").read_text()
    configured = [line.split("=", 1)[1] for line in cache.splitlines() if line.startswith("COLIBRI_FASM:")]
    t.check(configured == [";".join(choice.stdout.split())], f"configured {configured}, host-fasm says {choice.stdout.split()}")
