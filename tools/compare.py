#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-2-Clause
"""Run the same KolibriOS programs on Colibri and on real KolibriOS.

    tools/compare.py --kolibri IMG [--build-dir DIR] [--out DIR] [--time S]
                     [--boot-timeout S] [--keep-autorun] [--same-ramdisk]
                     [--memory MB] PROGRAM...

Both systems boot under the same QEMU (TCG, -display none, the default
standard VGA). Colibri boots as `./colibri run --app` does: the programs are
copied onto a copy of the ramdisk and started by the kernel command line
(run=). KolibriOS boots from a copy of the floppy image IMG, with the
programs copied into its root (/sys on a floppy boot) and started by the
LAUNCHER through SETTINGS/AUTORUN.DAT (programs/system/launcher: lines
`<path> <params or ""> <delay>`, # comments). By default the image's own
AUTORUN.DAT is replaced so that only the programs run (no taskbar or icons
writing to the debug board or covering the screen); --keep-autorun appends
them after the existing lines instead. With --same-ramdisk Colibri boots
from a copy of the same edited image as its ramdisk (as `./colibri run
--ramdisk` does), so both systems see the same /sys and start the programs
the same way: the image's LAUNCHER, or Colibri's kernel reading
AUTORUN.DAT when there is none or Colibri cannot run it.

The KolibriOS debug board reaches the host only when its kernel was
assembled with `debug_com_base` defined (kernel/trunk/kernel.asm:
sys_msg_board then also writes every byte to that port; the line that
defines it is commented out in a normal build). 0x3f8 (COM1) and 0xe9 (the
port KolibriOS's own kernel.mnt.pretest uses, QEMU's debugcon) are both
captured. Without either, the KolibriOS log stays empty and the tool says
so; the screenshots are still compared.

Each side's serial output is split into the programs' debug-board lines
and the system's own lines (Colibri's "[  t.ttt] ..." kernel log and shell
prompt; KolibriOS's "K :" kernel and "L:" launcher lines). The tool prints
both, a unified diff of the board lines, and writes into --out (default
build/compare): colibri.log, kolibri.log (the raw serial output),
colibri.png, kolibri.png and compare.png (Colibri left, KolibriOS right).

Exit status: 0 when the board lines are equal, 1 when they differ, 2 on a
usage or setup error.
"""

from __future__ import annotations

import argparse
import difflib
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.dont_write_bytecode = True  # keep the source tree clean
sys.path.insert(0, str(Path(__file__).resolve().parent))
import qemu  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
AUTORUN_PATH = "::SETTINGS/AUTORUN.DAT"
# The LAUNCHER keeps 60 bytes per path (programs/system/launcher: the
# `program` buffer cleared by clear_strings).
LAUNCHER_PATH_LIMIT = 60
# COM1, where a kernel built with debug_com_base = 0x3f8 writes the board.
KOLIBRI_COM_PORT = 0x3F8
SEPARATOR_WIDTH = 8
SEPARATOR_COLOUR = (255, 0, 255)


class CompareError(Exception):
    """The comparison could not be set up."""


# -- AUTORUN.DAT ------------------------------------------------------------

def autorun_lines(programs: list[str], delay: int = 0) -> list[str]:
    """The AUTORUN.DAT lines that start `programs` (paths such as /sys/name)
    with no parameters, `delay` hundredths of a second apart. A negative
    delay would make the LAUNCHER wait for each program to end."""
    lines = []
    for path in programs:
        if len(path) > LAUNCHER_PATH_LIMIT or any(c.isspace() or c == '"' for c in path):
            raise CompareError(f"{path!r}: the KolibriOS LAUNCHER takes paths of at most "
                               f"{LAUNCHER_PATH_LIMIT} characters without spaces or quotes")
        lines.append(f'{path} "" {delay}')
    return lines


def edit_autorun(existing: str | None, programs: list[str], keep: bool) -> str:
    """A new AUTORUN.DAT: the programs' lines after the existing ones (keep)
    or after a comment only. Lines of the existing file that already start
    one of the programs are dropped so that none runs twice. CR LF endings,
    as the distribution's file has them; the LAUNCHER accepts both."""
    wanted = {path.lower() for path in programs}
    kept = []
    if keep and existing:
        for line in existing.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
            words = line.split()
            if words and not words[0].startswith("#") and words[0].lower() in wanted:
                continue
            kept.append(line)
        while kept and not kept[-1].strip():
            kept.pop()
    else:
        kept = ["# Written by Colibri's tools/compare.py: only the programs under test run."]
    return "\r\n".join(kept + autorun_lines(programs)) + "\r\n"


# -- pictures -----------------------------------------------------------------

def side_by_side(left: qemu.Screen, right: qemu.Screen, gap: int = SEPARATOR_WIDTH,
                 colour: tuple[int, int, int] = SEPARATOR_COLOUR) -> qemu.Screen:
    """One picture: `left`, a `gap` pixels wide bar of `colour`, `right`.
    The shorter picture is padded below with the bar colour."""
    height = max(left.height, right.height)
    width = left.width + gap + right.width
    fill = bytes(colour)
    rows = []
    for y in range(height):
        row = bytearray()
        for screen in (left, right):
            if y < screen.height:
                stride = screen.width * 3
                row += screen.rgb[y * stride:(y + 1) * stride]
            else:
                row += fill * screen.width
            if screen is left:
                row += fill * gap
        rows.append(bytes(row))
    return qemu.Screen(width, height, b"".join(rows))


def difference(left: qemu.Screen, right: qemu.Screen) -> tuple[int, tuple[int, int, int, int] | None]:
    """How many pixels differ, and their bounding box (x0, y0, x1, y1),
    inclusive, or None when the pictures are equal. Pictures of different
    sizes are compared over their common area."""
    width, height = min(left.width, right.width), min(left.height, right.height)
    count = 0
    box = None
    for y in range(height):
        a = left.rgb[y * left.width * 3:(y * left.width + width) * 3]
        b = right.rgb[y * right.width * 3:(y * right.width + width) * 3]
        if a == b:
            continue
        for x in range(width):
            if a[x * 3:x * 3 + 3] != b[x * 3:x * 3 + 3]:
                count += 1
                if box is None:
                    box = [x, y, x, y]
                else:
                    box = [min(box[0], x), box[1], max(box[2], x), y]
    return count, (tuple(box) if box else None)


# -- splitting the logs -------------------------------------------------------

COLIBRI_KERNEL_LINE = re.compile(r"^\[\s*\d+\.\d+\] ")
COLIBRI_PROMPT = "colibri> "


def colibri_board(transcript: str) -> tuple[list[str], list[str]]:
    """Colibri's serial output from the first "started process" line on,
    split into (debug-board lines, system lines). Colibri copies the board
    to the console a whole line at a time (sys_debug_board in
    kernel/abi/kolibri/KolibriSyscalls.cpp), so a board line is every line
    that is not the kernel log, the shell's banner or its prompt."""
    text = transcript.replace("\r\n", "\n").replace("\r", "\n")
    # From the shell's first "started process" (run=), or with
    # --same-ramdisk the first program line of the image's LAUNCHER or of
    # the kernel's own reading of AUTORUN.DAT.
    first_program = (r"(?m)^(?:colibri> )*"
                     r"(?:\[[ 0-9.]+\] \w+: autorun: (?:started|cannot start)|L: \S+ Param:)")
    starts = [match.start() for match in (re.search(r"(?m)^started process \d+ ", text),
                                          re.search(first_program, text)) if match]
    if not starts:
        return [], []
    board, system = [], []
    for line in text[min(starts):].split("\n"):
        while line.startswith(COLIBRI_PROMPT):
            line = line[len(COLIBRI_PROMPT):]
        if not line:
            continue
        if (COLIBRI_KERNEL_LINE.match(line) or re.match(r"started process \d+ ", line)
                or line.startswith("Type 'help'") or line.startswith("L: ")):
            system.append(line)
        else:
            board.append(line)
    return board, system


def kolibri_board(transcript: str) -> tuple[list[str], list[str]]:
    """KolibriOS's debug board from the LAUNCHER's first line about a
    program on, split into (program lines, system lines): the kernel's
    own messages start with "K :" or "K:" (DEBUGF in the kernel), the
    LAUNCHER's with "L:"."""
    text = transcript.replace("\r\n", "\n").replace("\r", "\n")
    # The board takes one byte per 63.1 call from every process, so the
    # LAUNCHER's last line can land inside a program's line: take it out
    # wherever it is.
    launcher_done = "L: AUTORUN.DAT processed\n"
    if launcher_done in text:
        text = text.replace(launcher_done, "") + launcher_done
    start = re.search(r"(?m)^L: \S+ Param:", text)
    lines = text[start.start():].split("\n") if start else text.split("\n")
    board, system = [], []
    for line in lines:
        if not line:
            continue
        if re.match(r"(K ?:|L:) ", line):
            system.append(line)
        else:
            board.append(line)
    return board, system


def board_diff(colibri: list[str], kolibri: list[str]) -> list[str]:
    return list(difflib.unified_diff(colibri, kolibri, "colibri", "kolibrios", lineterm=""))


# -- the two runs ---------------------------------------------------------------

def prepare_image(image: Path, programs: list[Path], directory: Path, keep_autorun: bool) -> tuple[Path, list[str]]:
    """A copy of the KolibriOS image as directory/colibri.img (the name
    QemuConfig's floppy boot expects) with the programs in its root and
    an AUTORUN.DAT that starts them; returns it and the programs' names."""
    directory.mkdir()
    floppy = directory / "colibri.img"
    shutil.copyfile(image, floppy)
    names = [mcopy(floppy, program) for program in programs]
    paths = [f"/sys/{name}" for name in names]
    existing = subprocess.run(["mtype", "-i", str(floppy), AUTORUN_PATH], capture_output=True)
    current = existing.stdout.decode("latin-1") if existing.returncode == 0 else None
    autorun = directory / "AUTORUN.DAT"
    autorun.write_bytes(edit_autorun(current, paths, keep_autorun).encode("latin-1"))
    if current is None:
        subprocess.run(["mmd", "-D", "s", "-i", str(floppy), "::SETTINGS"], capture_output=True)
    checked(["mcopy", "-o", "-i", str(floppy), str(autorun), AUTORUN_PATH])
    return floppy, names


def run_colibri(build_dir: Path, programs: list[Path], scratch: Path, settle: float, memory: int,
                log=print, ramdisk: Path | None = None, keep_autorun: bool = False) -> tuple[str, qemu.Screen]:
    """Boot Colibri with the programs started by run= and return its serial
    output and the screen `settle` seconds after the last one started.
    With `ramdisk` (a KolibriOS image) Colibri boots from a copy of it
    prepared as for KolibriOS, and AUTORUN.DAT starts the programs."""
    if ramdisk is not None:
        image, names = prepare_image(ramdisk, programs, scratch / "colibri-ramdisk", keep_autorun)
        config = qemu.QemuConfig(boot="kernel", build_dir=build_dir, memory_mb=memory, initrd_override=image)
        with qemu.Machine(config, name="colibri") as machine:
            for name in names:
                machine.expect(rf"(?i)(autorun: started /sys/{re.escape(name)}\b|L: /sys/{re.escape(name)} Param:)",
                               timeout=120)
            log(f"compare: Colibri's AUTORUN.DAT started {', '.join(names)}; waiting {settle:g} s")
            time.sleep(settle)
            screen = take_screen(machine, log)
            return machine.transcript, screen
    source = build_dir / "ramdisk.img"
    if not source.is_file():
        raise CompareError(f"{source} is missing (run ./colibri build first)")
    ramdisk = scratch / "ramdisk.img"
    shutil.copyfile(source, ramdisk)
    names = [mcopy(ramdisk, program) for program in programs]
    append = "run=" + ",".join(f"/sys/{name}" for name in names)
    config = qemu.QemuConfig(boot="kernel", build_dir=build_dir, memory_mb=memory, append=append,
                             initrd_override=ramdisk)
    with qemu.Machine(config, name="colibri") as machine:
        for name in names:
            machine.expect(rf"started process \d+ \({re.escape(name[:15])}", timeout=120)
        log(f"compare: Colibri started {', '.join(names)}; waiting {settle:g} s")
        time.sleep(settle)
        screen = take_screen(machine, log)
        return machine.transcript, screen


def run_kolibri(image: Path, programs: list[Path], scratch: Path, settle: float, boot_timeout: float,
                memory: int, keep_autorun: bool, log=print) -> tuple[str, qemu.Screen]:
    """Boot the KolibriOS floppy image with the programs started by the
    LAUNCHER; return the debug board seen on COM1 or port 0xe9 and the
    screen `settle` seconds after the LAUNCHER started the last program."""
    floppy_dir = scratch / "kolibri"
    floppy, names = prepare_image(image, programs, floppy_dir, keep_autorun)
    paths = [f"/sys/{name}" for name in names]
    debugcon = floppy_dir / "debugcon.log"
    config = qemu.QemuConfig(boot="floppy", build_dir=floppy_dir, memory_mb=memory, snapshot=True,
                             extra_args=["-debugcon", f"file:{debugcon}"])
    with qemu.Machine(config, name="kolibrios") as machine:
        last = re.compile(rf"(?mi)^L: {re.escape(paths[-1])} Param:")
        deadline = time.monotonic() + boot_timeout
        seen = False
        while time.monotonic() < deadline:
            if last.search(machine.transcript) or last.search(read_text(debugcon)):
                seen = True
                break
            time.sleep(0.5)
        if seen:
            log(f"compare: KolibriOS started {', '.join(names)}; waiting {settle:g} s")
        else:
            log(f"compare: the LAUNCHER's line about {paths[-1]} did not appear within {boot_timeout:g} s "
                "(is the debug board sent to a serial port? see --help); taking the screen anyway")
        time.sleep(settle)
        screen = take_screen(machine, log)
        transcript = machine.transcript
    port_e9 = read_text(debugcon)
    return (transcript if transcript.strip() or not port_e9.strip() else port_e9), screen


def take_screen(machine: qemu.Machine, log) -> qemu.Screen:
    """The screen now; a grey 320x240 picture when QEMU has already ended
    (a program that powers the machine off, a reset)."""
    try:
        return machine.screen()
    except (qemu.QemuError, OSError, ValueError) as error:
        log(f"compare: no screenshot of {machine.name}: QEMU has ended ({error})")
        screen = qemu.Screen(320, 240, bytes((96, 96, 96)) * (320 * 240))
        screen.placeholder = True
        return screen


def read_text(path: Path) -> str:
    try:
        return path.read_bytes().decode("latin-1")
    except OSError:
        return ""


def checked(arguments: list[str]) -> None:
    result = subprocess.run(arguments, capture_output=True, text=True)
    if result.returncode != 0:
        raise CompareError(f"{' '.join(arguments)}: {result.stderr.strip()}")


def mcopy(image: Path, program: Path) -> str:
    """Copy `program` into the image's root; returns its name there."""
    name = program.name.lower()
    checked(["mcopy", "-o", "-i", str(image), str(program), f"::{name}"])
    return name


# -- main ---------------------------------------------------------------------

def parse_arguments(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="colibri compare",
        description="Run KolibriOS programs on Colibri and on a KolibriOS floppy image and compare "
                    "their debug-board output and screens.")
    parser.add_argument("--kolibri", required=True, metavar="IMG", help="a KolibriOS 1.44 MB floppy image")
    parser.add_argument("programs", nargs="+", metavar="PROGRAM", help="KolibriOS program files")
    parser.add_argument("--build-dir", default=str(ROOT / "build"), metavar="DIR")
    parser.add_argument("--out", metavar="DIR", help="where the logs and pictures go (default BUILD/compare)")
    parser.add_argument("--time", type=float, default=10.0, metavar="S",
        help="seconds to let the programs run before the screenshot (default 10)")
    parser.add_argument("--boot-timeout", type=float, default=240.0, metavar="S",
        help="how long KolibriOS may take to start the programs (default 240)")
    parser.add_argument("--memory", type=int, default=qemu.DEFAULT_MEMORY_MB, metavar="MB")
    parser.add_argument("--keep-autorun", action="store_true",
        help="keep the image's AUTORUN.DAT lines (taskbar, icons, ...) and add the programs after them")
    parser.add_argument("--same-ramdisk", action="store_true",
        help="Colibri boots from (a copy of) the same prepared image as its ramdisk, not from its own")
    return parser.parse_args(argv)


def print_section(title: str, lines: list[str]) -> None:
    print(f"---- {title} ({len(lines)} lines)")
    for line in lines:
        print(line)


def main(argv: list[str]) -> int:
    options = parse_arguments(argv)
    image = Path(options.kolibri)
    programs = [Path(program) for program in options.programs]
    build_dir = Path(options.build_dir)
    out = Path(options.out) if options.out else build_dir / "compare"
    for path in [image] + programs:
        if not path.is_file():
            print(f"compare: {path}: no such file", file=sys.stderr)
            return 2
    if len({program.name.lower() for program in programs}) != len(programs):
        print("compare: two programs have the same name", file=sys.stderr)
        return 2
    out.mkdir(parents=True, exist_ok=True)
    qemu.install_signal_cleanup()
    with tempfile.TemporaryDirectory(prefix="colibri-compare-") as directory:
        scratch = Path(directory)
        try:
            colibri_text, colibri_screen = run_colibri(build_dir, programs, scratch, options.time,
                                                       options.memory, ramdisk=image if options.same_ramdisk else None,
                                                       keep_autorun=options.keep_autorun)
            kolibri_text, kolibri_screen = run_kolibri(image, programs, scratch, options.time,
                                                       options.boot_timeout, options.memory,
                                                       options.keep_autorun)
        except (CompareError, qemu.QemuError, qemu.ExpectTimeout, OSError) as error:
            print(f"compare: {error}", file=sys.stderr)
            return 2
    (out / "colibri.log").write_bytes(colibri_text.encode("latin-1"))
    (out / "kolibri.log").write_bytes(kolibri_text.encode("latin-1"))
    (out / "colibri.png").write_bytes(colibri_screen.to_png())
    (out / "kolibri.png").write_bytes(kolibri_screen.to_png())
    (out / "compare.png").write_bytes(side_by_side(colibri_screen, kolibri_screen).to_png())

    colibri_lines, colibri_system = colibri_board(colibri_text)
    kolibri_lines, kolibri_system = kolibri_board(kolibri_text)
    print_section("Colibri debug board", colibri_lines)
    print_section("Colibri system lines", colibri_system)
    print_section("KolibriOS debug board", kolibri_lines)
    print_section("KolibriOS system lines", kolibri_system)
    if not kolibri_text.strip():
        print("compare: KolibriOS wrote nothing to COM1 or port 0xe9: its kernel was built without "
              "debug_com_base (see --help)")
    diff = board_diff(colibri_lines, kolibri_lines)
    print_section("diff of the debug boards", diff)
    count, box = difference(colibri_screen, kolibri_screen)
    sizes = f"Colibri {colibri_screen.width}x{colibri_screen.height}, " \
            f"KolibriOS {kolibri_screen.width}x{kolibri_screen.height}"
    if getattr(colibri_screen, "placeholder", False) or getattr(kolibri_screen, "placeholder", False):
        print("screens: not compared (a QEMU ended before its screenshot)")
    elif box is None:
        print(f"screens: equal ({sizes})")
    else:
        print(f"screens: {count} pixels differ within x {box[0]}-{box[2]}, y {box[1]}-{box[3]} ({sizes})")
    print(f"compare: logs and pictures in {out} (compare.png: Colibri left, KolibriOS right)")
    return 1 if diff else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
