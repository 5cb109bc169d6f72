# SPDX-License-Identifier: BSD-2-Clause
"""The KolibriOS window-system functions, one test program per function or
family (user/tests/kolibri/g_*.asm, written from the KolibriOS function
reference). Each program draws, reads the screen back with function 35 and
prints a PASS or FAIL line per check on the debug board; every line becomes
a check here (tests/vm/test_programs.py, run_test_program). A few tests also
compare what a program reports (INFO lines) with what the host knows: the
emulated display, the host clock, the machine's memory. g_input is driven
with QEMU's mouse and keyboard; g_power must turn the machine off.

QEMU's default display (-vga std) gives 1024x768x32."""

from __future__ import annotations

import datetime
import re
import time

from test_programs import resync, run_test_program, start, wait_exit
from vmlib import REPLY_TIMEOUT, boot_to_prompt, run_command

TIMEOUT = 180.0
STEP_TIMEOUT = 60.0

# Programs whose PASS/FAIL lines are the whole test: name, what it covers.
PROGRAMS = {
    "g_win0": "function 0, style 0: frame, header, working area, size; a second call keeps the place",
    "g_win1": "function 0, style 1 draws nothing; reserved styles 5-15 are ignored",
    "g_win2": "function 0, style 2: shaded/plain/shaded frames, header, working area",
    "g_win3": "function 0, style 3 with caption: skin geometry from 48.4",
    "g_win4": "function 0, style 4 with client-relative coordinates (EDX bit 29)",
    "g_wflags": "function 0 flags C (no fill) and D (gradient); a thread's window goes with it",
    "g_wfit": "function 0 with windows that do not fit the screen",
    "g_pixel": "function 1: position, colour, inversion, clipping",
    "g_text": "function 4: both fonts, lengths, NUL-terminated, fill, scale, user buffer, bad pointers",
    "g_image": "function 7: BGR pixels, clipping, bad pointers and sizes",
    "g_button": "functions 8 and 17: drawn/invisible buttons, deletion, limits",
    "g_event": "functions 10, 11, 23, 40: redraw event, timeouts, masks",
    "g_evord": "functions 10, 11, 40: the highest event first, 5 and 7 reset when read, masked events kept",
    "g_rect": "function 13: exact size, gradient, clipping, bad sizes",
    "g_line": "function 38: end points, slopes, inversion, clipping",
    "g_number": "function 47 compared with function 4: bases, zeros, pointers, qwords, fonts",
    "g_pal": "function 65: 1, 2, 4, 8, 9, 15, 16, 24, 32 bits per pixel, row padding",
    "g_getpix": "functions 35 and 36: colours, offsets, BGR order, bad buffers",
    "g_bg": "function 15: background size, pixels, tile/stretch, blocks, mapping, event 5",
    "g_bgput": "function 25: opaque and transparent pixels on the background layer",
    "g_keyb": "function 66 (modes, control keys, hotkeys), 2 with no key, 26.2 and 26.5",
    "g_owner": "function 34: pixel owners inside, outside and off the screen",
    "g_shape": "function 50: shape data, scale, null pointer",
    "g_shape2": "function 50 with shape and picture in the file past the header's image end (as Eyes)",
    "g_clip": "function 54: clipboard slots written, read, deleted",
    "g_clip2": "function 54: heap needed to read, copies at write and read, several pages, another thread's slot",
    "g_skin": "function 48: colour table, skin height, margins, working area, button style, skin file",
    "g_skinf": "function 48.8: a skin file loaded (plain and KPCK), refused (missing, not a skin, hostile); windows drawn from its bitmaps",
    "g_kill": "function 18.2, 18.18, 18.21: ending threads by slot and identifier",
    "g_wstack": "function 18.1, 18.3, 18.7, 18.10, 18.22, 18.23: activation and minimizing",
    "g_thinfo": "function 9: the fields of the calling thread, slot 1, free slots, bad buffers",
    "g_mouse": "function 37 and 18.15, 18.19: pointer position, cursors, scroll",
    "g_move": "function 67: move and resize, redraw event, function 9 after it",
    "g_caption": "function 71.1: caption set, removed, restored",
    "g_msg": "function 72.1: keys and buttons sent to the active window",
    "g_expose": "windows over windows: clipping to the visible part, redraw when uncovered",
}


# Checks known to fail because a feature is missing: program -> {check: why}.
# run_test_program requires each to fail (a fixed gap must leave this list),
# and the README's status table lists the same gaps.
KNOWN_GAPS: dict[str, dict[str, str]] = {
}


def _program_test(name: str, what: str):
    def test(t):
        run_test_program(t, f"run /sys/{name}", known_gaps=KNOWN_GAPS.get(name))

    test.__name__ = f"test_{name}"
    test.__doc__ = f"{name}: {what}."
    return test


for _name, _what in PROGRAMS.items():
    globals()[f"test_{_name}"] = _program_test(_name, _what)
del _name, _what


# --- Programs with something to compare outside -----------------------------------

def test_g_screen(t):
    """g_screen: functions 14, 61 and 48.5; the sizes it reports are the
    display QEMU emulates by default."""
    text = run_test_program(t, "run /sys/g_screen")
    match = re.search(r"INFO g_screen: (\d+)x(\d+)x(\d+) pitch (\d+)", text)
    t.check(match is not None, "g_screen printed no INFO line with the screen size")
    width, height, depth, pitch = (int(value) for value in match.groups())
    t.check((width, height, depth) == (1024, 768, 32), f"the program sees {width}x{height}x{depth}, not 1024x768x32")
    t.check(pitch == 4096, f"61.3 says {pitch} bytes per line, expected 4096 for 1024 pixels of 4 bytes")


# g_lfb's pattern (user/tests/kolibri/g_lfb.asm): name -> (x, y, width,
# height, RGB) on the screen.
LFB_PATTERN = {
    "red stripe": (600, 100, 16, 32, (0xFF, 0x00, 0x00)),
    "green stripe": (616, 100, 16, 32, (0x00, 0xFF, 0x00)),
    "blue stripe": (632, 100, 16, 32, (0x00, 0x00, 0xFF)),
    "white stripe": (648, 100, 16, 32, (0xFF, 0xFF, 0xFF)),
    "gs block": (600, 150, 32, 32, (0xC0, 0x80, 0x40)),
}


def _lfb_wrong_pixels(screen) -> list[str]:
    wrong = []
    for name, (x0, y0, width, height, colour) in LFB_PATTERN.items():
        bad = [(x, y) for y in range(y0, y0 + height) for x in range(x0, x0 + width) if screen.pixel(x, y) != colour]
        if bad:
            x, y = bad[0]
            wrong.append(f"{name}: {len(bad)} of {width * height} pixels differ, first at ({x}, {y}): "
                         f"{bytes(screen.pixel(x, y)).hex()} instead of {bytes(colour).hex()}")
    return wrong


def _run_lfb(t, machine, command: str, fault: str) -> None:
    """Runs g_lfb, checks its lines and that `fault` ended it."""
    begin = machine.cursor
    pid, name = start(t, machine, command)
    status = wait_exit(machine, pid, name)
    text = machine.transcript[begin:].replace("\r", "")
    for check, reason in re.findall(r"(?m)^(?:colibri> )*FAIL (\S+?):? (.*)$", text):
        t.check(False, f"{command}: {check}: {reason}")
    t.check(re.search(r"(?m)^(?:colibri> )*PASS g_lfb\s*$", text) is not None, f"{command}: no verdict line:\n{machine.transcript_tail()}")
    t.check(len(re.findall(r"(?m)^(?:colibri> )*PASS g_lfb/", text)) >= 14, f"{command}: fewer PASS lines than checks")
    t.check(re.search(rf"process {pid} \(g_lfb\) killed: {fault}", text) is not None,
        f"{command}: no log line saying the program was ended by {fault!r}:\n{machine.transcript_tail()}")
    t.check(status != 0, f"{command}: exited with status {status} after the bad write")
    t.check("panic" not in text.lower(), f"kernel panic:\n{machine.transcript_tail()}")


def test_g_lfb(t):
    """g_lfb: the screen at 0xFE000000 and gs (function 61): the program's
    own checks with function 35, then QEMU's screendump shows the pattern
    it wrote straight into memory, after the program ended; writing past
    the mapped screen ends it with a page fault, past gs's limit with a
    general protection fault (or, under TCG, the same page fault), and the
    system goes on."""
    machine = boot_to_prompt(t)
    _run_lfb(t, machine, "run /sys/g_lfb",
        r"page fault at eip 0x[0-9a-f]+: write of address 0xfe300000: user access to kernel memory")
    # The GUI thread copies written pages within a wake-up; give it time
    # (a wait, not a measurement).
    deadline = time.monotonic() + 10.0
    while True:
        screen = machine.screen()
        wrong = _lfb_wrong_pixels(screen)
        if not wrong or time.monotonic() > deadline:
            break
        time.sleep(0.25)
    t.check((screen.width, screen.height) == (1024, 768), f"the screen is {screen.width}x{screen.height}")
    t.check(not wrong, "the screen does not show what g_lfb wrote at 0xFE000000:\n" + "\n".join(wrong))
    block = screen.pixel(135, 135)
    t.check(block != (0x12, 0x34, 0x56), "the block written into the window is still on the screen")
    resync(machine)
    # The processor refuses an offset past gs's limit (general protection);
    # QEMU's TCG does not check data segment limits, so there the access
    # reaches the absent page after the screen.
    _run_lfb(t, machine, "run /sys/g_lfb gs",
        r"(general protection fault|page fault at eip 0x[0-9a-f]+: write of address 0xfe300000)")
    resync(machine)
    t.check("PID" in run_command(machine, "ps"), "the shell does not answer after g_lfb")


test_g_lfb.timeout = 240.0


def _bcd(value: int) -> int:
    return (value >> 4) * 10 + (value & 0x0F)


def test_g_time(t):
    """g_time: functions 3, 5, 26.9, 26.10, 29; the date and time agree
    with the host's clock (QEMU's RTC runs on UTC) within two minutes."""
    before = datetime.datetime.now(datetime.timezone.utc)
    text = run_test_program(t, "run /sys/g_time")
    after = datetime.datetime.now(datetime.timezone.utc)
    match = re.search(r"INFO g_time: date ([0-9A-F]{8}) time ([0-9A-F]{8})", text)
    t.check(match is not None, "g_time printed no INFO line with the date and time")
    date, clock = int(match.group(1), 16), int(match.group(2), 16)
    try:
        guest = datetime.datetime(2000 + _bcd(date & 0xFF), _bcd((date >> 8) & 0xFF), _bcd((date >> 16) & 0xFF),
            _bcd(clock & 0xFF), _bcd((clock >> 8) & 0xFF), _bcd((clock >> 16) & 0xFF), tzinfo=datetime.timezone.utc)
    except ValueError as error:
        t.fail(f"date {date:08x} / time {clock:08x} is not a valid moment: {error}")
    slack = datetime.timedelta(minutes=2)
    t.check(before - slack <= guest <= after + slack,
        f"the guest says {guest:%Y-%m-%d %H:%M:%S}, the host {before:%Y-%m-%d %H:%M:%S} UTC")


def test_g_sysinf(t):
    """g_sysinf: the information subfunctions of 18; the memory it reports
    fits the 128 MiB machine."""
    text = run_test_program(t, "run /sys/g_sysinf")
    match = re.search(r"INFO g_sysinf: clock (\d+) total_kb (\d+) free_kb (\d+)", text)
    t.check(match is not None, "g_sysinf printed no INFO line")
    total_kb = int(match.group(2))
    t.check(100 * 1024 <= total_kb <= 128 * 1024, f"18.17 says {total_kb} KiB on a 128 MiB machine")


def test_g_power(t):
    """g_power: 18.9 with a wrong parameter does nothing, with 2 it turns
    the machine off (QEMU ends)."""
    machine = boot_to_prompt(t)
    start(t, machine, "run /sys/g_power")
    machine.expect(r"INFO g_power: turning the computer off", REPLY_TIMEOUT)
    try:
        machine.wait_exit(STEP_TIMEOUT)
    except Exception:
        t.fail(f"QEMU still runs after 18.9 with ECX = 2:\n{machine.transcript_tail()}")
    text = machine.transcript.replace("\r", "")
    t.check("PASS g_power/bad_parameter" in text, f"18.9 with a wrong parameter did not return:\n{text[-1500:]}")
    t.check("FAIL g_power" not in text, f"g_power reported a failure:\n{text[-1500:]}")


# --- g_input: real mouse and keyboard ------------------------------------------------

# Whole lines only: the serial port delivers a line a few bytes at a time,
# and "pointer 210 1" may be the first part of "pointer 210 180".
POINTER_LINE = re.compile(r"INFO g_input: pointer (\d+) (\d+)\r?\n")


def _mouse_move(machine, dx: int, dy: int) -> None:
    """Relative PS/2 motion through QMP, in steps QEMU sends as packets."""
    while dx or dy:
        step_x = max(-100, min(100, dx))
        step_y = max(-100, min(100, dy))
        machine.qmp("input-send-event", events=[
            {"type": "rel", "data": {"axis": "x", "value": step_x}},
            {"type": "rel", "data": {"axis": "y", "value": step_y}}])
        dx -= step_x
        dy -= step_y
        time.sleep(0.02)


def _last_pointer(machine) -> tuple[int, int] | None:
    matches = POINTER_LINE.findall(machine.transcript)
    return (int(matches[-1][0]), int(matches[-1][1])) if matches else None


def _point_at(t, machine, x: int, y: int) -> None:
    """Corner first (the pointer stops at the screen edge), then (x, y);
    corrected with the positions the program reports (function 37.0)."""
    _mouse_move(machine, -2500, -2500)
    # QEMU sends big motions as several packets; on a loaded machine the
    # guest may still be taking them when the next move starts, and the two
    # would cancel out. Wait until the program has seen the corner.
    deadline = time.monotonic() + 10.0
    while _last_pointer(machine) != (0, 0) and time.monotonic() < deadline:
        time.sleep(0.1)
    time.sleep(0.2)
    _mouse_move(machine, x, y)
    for _ in range(4):
        time.sleep(0.5)
        pointer = _last_pointer(machine)
        if pointer == (x, y):
            return
        if pointer is not None:
            _mouse_move(machine, x - pointer[0], y - pointer[1])
    t.fail(f"the pointer did not get to ({x}, {y}); the program last saw {_last_pointer(machine)}")


def _click(machine, button: str) -> None:
    for down in (True, False):
        machine.qmp("input-send-event", events=[{"type": "btn", "data": {"down": down, "button": button}}])
        time.sleep(0.2)


def test_g_input(t):
    """g_input: a left and a right click on a button (function 17's answer,
    37.0 and 37.2), key a (function 2), key b in scancode mode (66.1) and
    Shift+A, with QEMU's PS/2 mouse and keyboard."""
    machine = boot_to_prompt(t)
    begin = machine.cursor
    pid, name = start(t, machine, "run /sys/g_input")
    target = machine.expect(r"INFO g_input: target (\d+) (\d+)\r?\n", REPLY_TIMEOUT)
    x, y = int(target.group(1)), int(target.group(2))
    machine.expect(r"INFO g_input: ready click", REPLY_TIMEOUT)
    _point_at(t, machine, x, y)
    _click(machine, "left")
    machine.expect(r"INFO g_input: ready right-click", STEP_TIMEOUT)
    _click(machine, "right")
    machine.expect(r"INFO g_input: ready key-a", STEP_TIMEOUT)
    machine.monitor("sendkey a")
    machine.expect(r"INFO g_input: ready key-b", STEP_TIMEOUT)
    machine.monitor("sendkey b")
    machine.expect(r"INFO g_input: ready shift-a", STEP_TIMEOUT)
    machine.monitor("sendkey shift-a")
    status = wait_exit(machine, pid, name, STEP_TIMEOUT)
    text = machine.transcript[begin:].replace("\r", "")
    for check, reason in re.findall(r"(?m)^(?:colibri> )*FAIL (\S+?):? (.*)$", text):
        t.check(False, f"{check}: {reason}")
    t.check(re.search(r"(?m)^(?:colibri> )*PASS g_input\s*$", text) is not None, f"no verdict line:\n{machine.transcript_tail()}")
    t.check(status == 0, f"g_input exited with status {status}")
    resync(machine)
    t.check("PID" in run_command(machine, "ps"), "the shell does not answer after g_input")


test_g_input.timeout = 240.0
