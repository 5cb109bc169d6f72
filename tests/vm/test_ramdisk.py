# SPDX-License-Identifier: BSD-2-Clause
"""Booting from a foreign ramdisk, as from a KolibriOS floppy image, without
one: each test makes a 1.44 MB FAT12 image with mkfs.fat and mtools that
holds our own test programs (a_echo prints its parameters and the time,
runs as long as they say and exits) and a SETTINGS/AUTORUN.DAT.

Without a LAUNCHER the kernel reads AUTORUN.DAT itself
(kernel/boot/KernelAutorun.h); with one it starts that instead. `./colibri
run --ramdisk IMG` boots such an image and copies --app files onto a copy
of it. g_warea checks functions 48.5/48.6 and that the panel gives up the
screen to a program's working area and comes back when it exits."""

from __future__ import annotations

import hashlib
import re
import subprocess
import sys
import time
from pathlib import Path

from test_programs import EXIT_TIMEOUT, resync, start, wait_exit
from vmlib import BOOT_TIMEOUT, REPLY_TIMEOUT, boot_to_prompt, run_command

ROOT = Path(__file__).resolve().parent.parent.parent

# The lines of the test's AUTORUN.DAT, written with the distribution's
# CR LF line ends and tabs. "one" is followed by a delay of one second;
# "two" runs for 1.5 s and the next line waits for it to exit (delay -1);
# the commented-out line, the missing program and the bad line start
# nothing; "three" comes next (a path relative to /sys), and last a program in a folder under a
# long name with spaces (quoted), on a last line without a line end.
AUTORUN = ("# Colibri test: <path> <parameters> <delay>\r\n"
           "/SYS/A_ECHO\t\t\"one 0\"\t100\t# then a second\r\n"
           "\r\n"
           "/sys/a_echo   \"two 150\"   -1\r\n"
           "# /sys/a_echo comment 0\r\n"
           "/sys/missing  \"\"  0\r\n"
           "/sys/a_echo this_line_has_no_delay\r\n"
           "a_echo three 0\r\n"
           "\"/sys/develop/Echo With A Long Name\" \"four 0\" 0")


def program(t, name: str) -> Path:
    return t.build_dir / "cross" / "user" / "bin" / name


def run_tool(t, arguments: list[str], what: str) -> None:
    result = subprocess.run(arguments, capture_output=True, text=True)
    t.check(result.returncode == 0, f"{what}: {' '.join(arguments)}: {result.stderr.strip()}")


def make_image(t, name: str, files: dict[str, Path], autorun: str | None = AUTORUN) -> Path:
    """A fresh 1.44 MB FAT12 image with `files` (image path -> host file)
    and, unless None, SETTINGS/AUTORUN.DAT."""
    image = t.work_dir / name
    image.unlink(missing_ok=True)
    run_tool(t, ["mkfs.fat", "-C", "-F", "12", "-n", "TESTDISK", str(image), "1440"], "formatting the image")
    run_tool(t, ["mmd", "-i", str(image), "::SETTINGS"], "making SETTINGS")
    for target, source in files.items():
        run_tool(t, ["mcopy", "-i", str(image), str(source), f"::{target}"], f"copying {target}")
    if autorun is not None:
        dat = t.work_dir / "AUTORUN.DAT"
        dat.write_bytes(autorun.encode())
        run_tool(t, ["mcopy", "-i", str(image), str(dat), "::SETTINGS/AUTORUN.DAT"], "copying AUTORUN.DAT")
    return image


def wait_for(machine, pattern: str, timeout: float) -> re.Match:
    """Waits until the whole transcript (boot lines too, which
    boot_to_prompt has already passed) matches `pattern`."""
    deadline = time.monotonic() + timeout
    while True:
        match = re.search(pattern, machine.transcript)
        if match or time.monotonic() > deadline:
            break
        time.sleep(0.1)
    if not match:
        raise AssertionError(f"{pattern!r} did not appear within {timeout:g} s:\n{machine.transcript_tail()}")
    return match


def echo_times(text: str, event: str, tag: str) -> list[int]:
    return [int(ticks) for ticks in re.findall(rf"ECHO {event} {re.escape(tag)} t=(\d+)", text)]


def test_autorun_without_launcher(t):
    """The kernel runs AUTORUN.DAT: in order, a positive delay waits after
    the start, a negative one until the program has exited; comments start
    nothing; a missing program and a bad line are logged and skipped."""
    image = make_image(t, "autorun.img", {"A_ECHO": program(t, "a_echo")})
    run_tool(t, ["mmd", "-i", str(image), "::DEVELOP"], "making DEVELOP")
    run_tool(t, ["mcopy", "-i", str(image), str(program(t, "a_echo")), "::DEVELOP/Echo With A Long Name"],
        "copying the long-named program")
    machine = boot_to_prompt(t, initrd_override=image)
    wait_for(machine, r"autorun: AUTORUN\.DAT done: 4 started, 1 could not start, 1 bad lines", 60.0)
    text = machine.transcript.replace("\r", "")
    t.check("autorun: the kernel runs /sys/settings/AUTORUN.DAT" in text,
        "the kernel did not say it reads AUTORUN.DAT itself")
    one, two, three = (echo_times(text, "start", tag) for tag in ("one", "two", "three"))
    two_end = echo_times(text, "end", "two")
    t.check(len(one) == 1 and len(two) == 1 and len(three) == 1 and len(two_end) == 1,
        f"each program should have run once: one {one}, two {two} (end {two_end}), three {three}")
    # 26.9 ticks are hundredths: "two" starts a second after "one" at the
    # earliest, "three" only after "two" has ended (1.5 s later).
    t.check(two[0] - one[0] >= 99, f"the delay of 100 after 'one' was not kept: one at {one[0]}, two at {two[0]}")
    t.check(three[0] >= two_end[0], f"'three' started at {three[0]}, before 'two' ended at {two_end[0]}")
    t.check(two_end[0] - two[0] >= 149, f"'two' did not run its 150 hundredths: {two[0]} .. {two_end[0]}")
    order = [text.find(marker) for marker in ("ECHO start one", "ECHO start two", "ECHO end two",
                                              "cannot start /sys/missing", "line 7 skipped", "ECHO start three",
                                              "ECHO start four")]
    t.check(all(position >= 0 for position in order) and order == sorted(order),
        f"the lines did not run in file order: {order}\n{text[-3000:]}")
    t.check("waiting for process" in text and "has exited, going on" in text, "no log of the wait for 'two'")
    t.check("ECHO start comment" not in text, "a commented-out line was started")
    t.check(re.search(r"line 7 skipped: no delay", text) is not None, "the bad line is not logged with its number")
    t.check("panic" not in text.lower(), "the kernel panicked")
    # The shell on the serial port works with the foreign image as /sys.
    resync(machine)
    listing = run_command(machine, "ls /sys/develop")
    t.check("Echo With A Long Name" in listing, f"the shell does not list the image's folder: {listing!r}")


def test_launcher_is_started_instead(t):
    """With /sys/LAUNCHER on the image the kernel starts it (as kernel.asm
    does) and leaves AUTORUN.DAT to it: here LAUNCHER is a_echo, which
    prints and exits without reading the file."""
    image = make_image(t, "launcher.img", {"A_ECHO": program(t, "a_echo"), "LAUNCHER": program(t, "a_echo")})
    machine = boot_to_prompt(t, initrd_override=image)
    match = wait_for(machine, r"autorun: started /sys/LAUNCHER as process (\d+)", BOOT_TIMEOUT)
    wait_for(machine, rf"process {match.group(1)} \(LAUNCHER\) exited with status 0", EXIT_TIMEOUT)
    wait_for(machine, r"ECHO start  t=\d+", REPLY_TIMEOUT)
    text = machine.transcript.replace("\r", "")
    t.check("the kernel runs" not in text, "the kernel read AUTORUN.DAT although there is a LAUNCHER")
    t.check("ECHO start one" not in text, "a line of AUTORUN.DAT ran although LAUNCHER was started")


def test_launcher_that_cannot_start(t):
    """A LAUNCHER Colibri cannot run (the distribution's is KPCK-packed;
    here a made-up packed header over garbage) is logged, and the kernel
    reads AUTORUN.DAT instead of halting as KolibriOS would."""
    fake = t.work_dir / "packed"
    fake.write_bytes(b"KPCK" + bytes(range(256)) * 4)
    image = make_image(t, "packed.img", {"A_ECHO": program(t, "a_echo"), "LAUNCHER": fake},
                       autorun='/sys/a_echo after_fallback 0\r\n')
    machine = boot_to_prompt(t, initrd_override=image)
    wait_for(machine, r"autorun: cannot start /sys/LAUNCHER: .*; the kernel reads AUTORUN\.DAT instead", BOOT_TIMEOUT)
    wait_for(machine, r"ECHO start after_fallback t=\d+", EXIT_TIMEOUT)
    wait_for(machine, r"autorun: AUTORUN\.DAT done: 1 started, 0 could not start, 0 bad lines", EXIT_TIMEOUT)


def test_colibri_ramdisk_starts_nothing(t):
    """Colibri's own ramdisk has neither LAUNCHER nor AUTORUN.DAT; and
    launcher=off (KolibriOS's boot-screen choice) starts neither."""
    machine = boot_to_prompt(t)
    t.check("autorun:" not in machine.transcript, f"Colibri's own ramdisk started something:\n{machine.transcript}")
    image = make_image(t, "off.img", {"A_ECHO": program(t, "a_echo"), "LAUNCHER": program(t, "a_echo")})
    machine = boot_to_prompt(t, initrd_override=image, append="launcher=off")
    wait_for(machine, r"autorun: launcher=off, starting neither", REPLY_TIMEOUT)
    time.sleep(1.0)
    t.check("LAUNCHER" not in machine.transcript.replace("/sys/LAUNCHER nor", ""),
        "LAUNCHER was started with launcher=off")


def run_colibri(t, arguments: list[str], timeout: float) -> subprocess.CompletedProcess:
    command = [sys.executable, str(ROOT / "tools" / "run.py"), "--build-dir", str(t.build_dir), "--headless",
               *arguments]
    return subprocess.run(command, capture_output=True, text=True, timeout=timeout, stdin=subprocess.DEVNULL)


def test_run_ramdisk_with_app(t):
    """`run --ramdisk IMG --app FILE`: the app goes onto a copy of IMG (IMG
    stays as it was), the image's AUTORUN.DAT runs and the app starts."""
    image = make_image(t, "user.img", {"A_ECHO": program(t, "a_echo")},
                       autorun='/sys/a_echo from_image 0\r\n')
    before = hashlib.sha256(image.read_bytes()).hexdigest()
    app = t.work_dir / "xecho"
    app.write_bytes(program(t, "a_echo").read_bytes())
    result = run_colibri(t, ["--ramdisk", str(image), "--app", str(app), "--timeout", "15"], 120)
    output = (result.stdout + result.stderr).replace("\r", "")
    t.check(re.search(r"ECHO start from_image t=\d+", output) is not None,
        f"the image's AUTORUN.DAT did not run:\n{output[-3000:]}")
    t.check(re.search(r"process \d+ \(xecho\) exited with status 0", output) is not None,
        f"the --app program did not run:\n{output[-3000:]}")
    t.check(hashlib.sha256(image.read_bytes()).hexdigest() == before, "--ramdisk changed the user's image")


def test_run_ramdisk_floppy_boot(t):
    """`run --boot floppy --ramdisk IMG`: Colibri's loader and kernel go
    onto a copy of IMG (keeping its BPB), stage 2 boots it and hands the
    whole floppy over as the ramdisk; --app goes onto it too."""
    image = make_image(t, "floppy.img", {"A_ECHO": program(t, "a_echo")},
                       autorun='/sys/a_echo from_floppy 0\r\n')
    before = hashlib.sha256(image.read_bytes()).hexdigest()
    app = t.work_dir / "yecho"
    app.write_bytes(program(t, "a_echo").read_bytes())
    result = run_colibri(t, ["--boot", "floppy", "--ramdisk", str(image), "--app", str(app), "--timeout", "40"], 150)
    output = (result.stdout + result.stderr).replace("\r", "")
    t.check("loader: Colibri stage2" in output, f"not booted by Colibri's loader:\n{output[-3000:]}")
    t.check(re.search(r"ECHO start from_floppy t=\d+", output) is not None,
        f"the image's AUTORUN.DAT did not run:\n{output[-3000:]}")
    t.check(re.search(r"process \d+ \(yecho\) exited with status 0", output) is not None,
        f"the --app program did not run:\n{output[-3000:]}")
    t.check(hashlib.sha256(image.read_bytes()).hexdigest() == before, "--ramdisk changed the user's image")


test_run_ramdisk_floppy_boot.timeout = 240


def test_run_app_too_big(t):
    """An --app that does not fit on the --ramdisk image is refused with a
    clear message before anything boots; the image is not touched."""
    image = make_image(t, "full.img", {})
    filler = t.work_dir / "filler"
    filler.write_bytes(b"\xAA" * (1400 * 1024))
    run_tool(t, ["mcopy", "-i", str(image), str(filler), "::FILLER"], "filling the image")
    before = hashlib.sha256(image.read_bytes()).hexdigest()
    big = t.work_dir / "bigapp"
    big.write_bytes(b"MENUET01" + b"\x00" * (200 * 1024))
    result = run_colibri(t, ["--ramdisk", str(image), "--app", str(big), "--timeout", "5"], 60)
    t.check(result.returncode == 2, f"exit status {result.returncode}, expected 2:\n{result.stderr}")
    t.check(re.search(r"--app \S*bigapp: does not fit on the ramdisk \S*full\.img: the program is 200 KiB, "
                      r"the ramdisk has \d+ KiB free", result.stderr) is not None,
        f"no clear message: {result.stderr!r}")
    t.check("qemu-system" not in result.stderr, "QEMU was started anyway")
    t.check(hashlib.sha256(image.read_bytes()).hexdigest() == before, "the user's image was changed")
    missing = run_colibri(t, ["--ramdisk", str(t.work_dir / "nothing.img"), "--timeout", "5"], 60)
    t.check(missing.returncode == 2 and "no such file" in missing.stderr, f"missing image: {missing.stderr!r}")


def test_g_warea(t):
    """g_warea: 48.5/48.6 clamp and keep an unordered axis; the panel hides
    while the working area is not its own (the program sees its window
    there through function 35), returns when its area is set again, and
    when the program that took the screen exits (screendump before/after)."""
    machine = boot_to_prompt(t)
    before = machine.screen()
    bottom = (before.width // 2, before.height - 8)
    begin = machine.cursor
    pid, name = start(t, machine, "run /sys/g_warea")
    status = wait_exit(machine, pid, name, EXIT_TIMEOUT)
    machine.expect(rf"panel: process {pid}, which set the working area, has exited: the panel is back", REPLY_TIMEOUT)
    text = machine.transcript[begin:].replace("\r", "")
    for check, reason in re.findall(r"(?m)^FAIL (\S+?):? (.*)$", text):
        t.check(False, f"{check}: {reason}")
    t.check(re.search(r"(?m)^PASS g_warea\s*$", text) is not None, f"no verdict line:\n{machine.transcript_tail()}")
    t.check(status == 0, f"g_warea exited with status {status}")
    t.check(re.search(rf"panel: hidden: process {pid} set the working area to 0,0-{before.width - 1},"
                      rf"{before.height - 1}", text) is not None, "the panel did not log that it stepped aside")
    # The GUI thread copies the change to the screen within a few frames.
    pixel = None
    for _ in range(20):
        pixel = machine.screen().pixel(*bottom)
        if pixel == before.pixel(*bottom):
            break
        time.sleep(0.2)
    t.check(pixel == before.pixel(*bottom),
        f"the panel is not back at {bottom}: {pixel} instead of {before.pixel(*bottom)}")


def test_panel_waits_for_every_area_owner(t):
    """Two programs set working areas of their own: the panel stays away
    when the second exits while the first still runs, and comes back
    once the first is killed."""
    machine = boot_to_prompt(t)
    holder, holder_name = start(t, machine, "run /sys/g_warea hold")
    machine.expect(rf"panel: hidden: process {holder} set the working area", REPLY_TIMEOUT)
    machine.expect(r"g_warea: holding the screen", REPLY_TIMEOUT)
    brief, brief_name = start(t, machine, "run /sys/g_warea brief")
    t.check(brief != holder, f"the second program has the first one's pid {brief}")
    wait_exit(machine, brief, brief_name, EXIT_TIMEOUT)
    time.sleep(1.0)  # the GUI thread looks every 200 ms
    t.check("the panel is back" not in machine.transcript,
        f"the panel came back while process {holder} still holds the screen:\n{machine.transcript_tail()}")
    machine.send(f"kill {holder}\r")
    wait_exit(machine, holder, holder_name, EXIT_TIMEOUT)
    wait_for(machine, r"panel: process \d+, which set the working area, has exited: the panel is back", REPLY_TIMEOUT)
