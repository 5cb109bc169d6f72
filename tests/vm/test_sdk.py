# SPDX-License-Identifier: BSD-2-Clause
"""The native SDK as a user meets it: projects outside the Colibri tree are
configured with the CMake toolchain file (user/sdk/cmake/colibri.cmake) and
built into the test's work directory, copied onto a copy of the ramdisk and
run from the shell. examples/hello-app covers C++ (a main without
extern "C", a global constructor, new/delete) calling C (malloc); a C-only
project written here covers a project that enables no C++ or assembly."""

from __future__ import annotations

import re
import shutil
import struct
import subprocess
from pathlib import Path

from vmlib import PROMPT, REPLY_TIMEOUT, boot_to_prompt, run_command

TIMEOUT = 300.0  # two CMake configures and builds, then one boot

ROOT = Path(__file__).resolve().parents[2]
TOOLCHAIN = ROOT / "user" / "sdk" / "cmake" / "colibri.cmake"
HELLO_APP = ROOT / "examples" / "hello-app"
IPC_DEMO = ROOT / "examples" / "ipc-demo"
BUILD_TIMEOUT = 180.0
EXIT_TIMEOUT = 60.0

C_ONLY_CMAKE = """\
cmake_minimum_required(VERSION 3.21)
project(c-sum LANGUAGES C)
colibri_add_executable(c-sum main.c)
target_compile_options(c-sum PRIVATE -std=c11 -Wall -Wextra -Wpedantic -Werror)
"""

C_ONLY_MAIN = """\
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char** argv)
{
    long* numbers = calloc((size_t)argc, sizeof *numbers);
    if (!numbers)
        return 2;
    long sum = 0;
    for (int i = 1; i < argc; ++i) {
        numbers[i] = strtol(argv[i], NULL, 0);
        sum += numbers[i];
    }
    printf("c-sum: %d numbers, sum %ld\\n", argc - 1, sum);
    free(numbers);
    return sum == 42 ? 0 : 1;
}
"""


def run_tool(t, arguments: list[str], what: str) -> None:
    try:
        result = subprocess.run(arguments, capture_output=True, text=True, timeout=BUILD_TIMEOUT)
    except FileNotFoundError:
        t.fail(f"{what}: {arguments[0]} is not installed")
    except subprocess.TimeoutExpired:
        t.fail(f"{what}: no result after {BUILD_TIMEOUT:g} s")
    output = (result.stdout + result.stderr).strip()
    t.check(result.returncode == 0, f"{what} failed (status {result.returncode}):\n" + "\n".join(output.splitlines()[-30:]))


def build_project(t, source: Path, build: Path, name: str) -> Path:
    """Configures and builds `source` in `build` with the toolchain file, as
    docs/sdk.md tells a user to; returns the stripped program."""
    generator = ["-G", "Ninja"] if shutil.which("ninja") else []
    run_tool(t, ["cmake", "-S", str(source), "-B", str(build), *generator, f"-DCMAKE_TOOLCHAIN_FILE={TOOLCHAIN}"],
        f"configuring {source.name}")
    run_tool(t, ["cmake", "--build", str(build)], f"building {source.name}")
    program, with_symbols = build / name, build / f"{name}.elf"
    t.check(with_symbols.is_file(), f"{with_symbols.name} was not built")
    t.check(program.is_file(), f"{program.name} (the stripped copy) was not built")
    header = program.read_bytes()[:20]
    t.check(header[:4] == b"\x7fELF" and header[4] == 1 and header[5] == 1,
        f"{name} is not a little-endian ELF32 file: {header[:6]!r}")
    elf_type, machine = struct.unpack_from("<HH", header, 16)
    t.check(elf_type == 2 and machine == 3, f"{name}: e_type {elf_type}, e_machine {machine}, want 2 (EXEC), 3 (i386)")
    t.check(program.stat().st_size < with_symbols.stat().st_size, f"{name} is not smaller than {name}.elf")
    return program


def ramdisk_with(t, programs: list[Path]) -> Path:
    """A copy of build/ramdisk.img in the work directory with `programs` in
    its root (/sys/<name>), as tools/run.py --app does it."""
    image = t.work_dir / "ramdisk.img"
    shutil.copyfile(t.build_dir / "ramdisk.img", image)
    for program in programs:
        run_tool(t, ["mcopy", "-o", "-i", str(image), str(program), f"::{program.name}"],
            f"copying {program.name} onto the ramdisk")
    return image


def run_program(t, machine, command: str) -> tuple[str, int]:
    """Runs `command` in the shell and waits for the program to exit; returns
    the serial output from the command on (CRs removed) and the status."""
    begin = machine.cursor
    path = command.split()[1]
    machine.send(command + "\r")
    # The shell's error names the path: a program's own output ("...
    # constructors run: 1") must not pass for it.
    match = machine.expect(rf"started process (\d+) \((\S+)\)|run: {re.escape(path)}: .*", REPLY_TIMEOUT)
    t.check(match.group(1) is not None, f"{command!r} did not start: {match.group(0)!r}")
    pid, name = match.group(1), match.group(2)
    # The program may have printed and exited before the "started" line.
    machine.cursor = begin
    exited = machine.expect(rf"process {pid} \({re.escape(name)}\) exited with status (-?\d+)", EXIT_TIMEOUT)
    # Whichever came last: the next command must not find this "started" line.
    end = max(exited.end(), match.end())
    machine.cursor = end
    return machine.transcript[begin:end].replace("\r", ""), int(exited.group(1))


def test_toolchain_builds_programs_that_run(t):
    hello = build_project(t, HELLO_APP, t.work_dir / "build-hello-app", "hello-app")
    c_only = t.work_dir / "c-sum"
    c_only.mkdir()
    (c_only / "CMakeLists.txt").write_text(C_ONLY_CMAKE)
    (c_only / "main.c").write_text(C_ONLY_MAIN)
    c_sum = build_project(t, c_only, t.work_dir / "build-c-sum", "c-sum")

    machine = boot_to_prompt(t, initrd_override=ramdisk_with(t, [hello, c_sum]))

    text, status = run_program(t, machine, "run /sys/hello-app one Two")
    t.check(status == 0, f"hello-app exited with status {status}:\n{text}")
    t.check(re.search(r"Hello from an SDK app! \(pid \d+, global constructors run: 1\)", text) is not None,
        f"no greeting with one global constructor run:\n{text}")
    for line in ('argv[0] = "/sys/hello-app" -> "/SYS/HELLO-APP"', 'argv[1] = "one" -> "ONE"',
                 'argv[2] = "Two" -> "TWO"', "hello-app: 3 words, 20 characters"):
        t.check(line in text, f"hello-app did not print {line!r}:\n{text}")

    text, status = run_program(t, machine, "run /sys/c-sum 40 0x2")
    t.check("c-sum: 2 numbers, sum 42" in text, f"c-sum printed the wrong result:\n{text}")
    t.check(status == 0, f"c-sum exited with status {status}:\n{text}")

    t.check("panic" not in machine.transcript.lower(), f"kernel panic:\n{machine.transcript_tail()}")
    # The shell still answers (the sentinel also moves past the programs' output).
    machine.send("sentinel\r")
    machine.expect(r"unknown command: sentinel", REPLY_TIMEOUT)
    machine.expect(re.escape(PROMPT), REPLY_TIMEOUT)
    reply = run_command(machine, "ps")
    t.check("PID" in reply, f"the shell does not answer after the programs: {reply!r}")


def test_ipc_examples(t):
    """examples/ipc-demo built with the SDK toolchain: the producer/consumer
    pair with priorities and the event-loop server."""
    build = t.work_dir / "build-ipc-demo"
    prodcons = build_project(t, IPC_DEMO, build, "prodcons")
    evserver = build / "evserver"
    t.check(evserver.is_file(), "evserver was not built")
    machine = boot_to_prompt(t, initrd_override=ramdisk_with(t, [prodcons, evserver]))
    text, status = run_program(t, machine, "run /sys/prodcons")
    t.check(status == 0 and "10 urgent, 10 high, 10 normal, 10 low jobs; most urgent first" in text,
        f"prodcons went wrong (status {status}):\n{text}")
    text, status = run_program(t, machine, "run /sys/evserver")
    # 4 clients x (1000 i x 25 + 325): 4 * 325 + 25 * 1000 * (0 + 1 + 2 + 3)
    t.check(status == 0 and "served 100 requests from 4 clients (checksum 151300)" in text,
        f"evserver went wrong (status {status}):\n{text}")
    t.check("panic" not in machine.transcript.lower(), f"kernel panic:\n{machine.transcript_tail()}")
