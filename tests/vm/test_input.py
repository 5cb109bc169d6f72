# SPDX-License-Identifier: BSD-2-Clause
"""PS/2 keyboard and mouse: keys sent through QEMU's monitor and mouse events
through QMP come back as `input:` lines of the kernel log (command line
`inputlog loglevel=debug`)."""

import re
import time

from vmlib import REPLY_TIMEOUT, boot_to_prompt, run_command

APPEND = "inputlog loglevel=debug"
KEY_LINE = re.compile(r"input: key (0x[0-9a-f]{2}(?: ext)? (?:down|up) ascii 0x[0-9a-f]{2}(?: '.')? mods 0x[0-9a-f]+)\r?\n")
MOUSE_LINE = re.compile(r"input: mouse dx=(-?\d+) dy=(-?\d+) wheel=(-?\d+) hwheel=(-?\d+) buttons=0x([0-9a-f]+)\r?\n")


def boot(t):
    """A machine with inputlog on; also returns the mouse's device id."""
    machine = boot_to_prompt(t, append=APPEND)
    match = re.search(r"ps2: keyboard ready, mouse ready \(id (\d)\)", machine.transcript)
    t.check(match is not None, "no 'ps2: keyboard ready, mouse ready' line in the boot log")
    return machine, int(match.group(1))


def send_keys(t, machine, combo: str, expected: list[str]) -> None:
    """`sendkey combo`, then the next key lines must be exactly `expected`
    (each "code [ext] down|up ascii 0xNN ['c'] mods 0xM")."""
    machine.monitor(f"sendkey {combo}")
    seen = []
    for _ in expected:
        try:
            seen.append(machine.expect(KEY_LINE, REPLY_TIMEOUT).group(1))
        except Exception:
            break
    t.check(seen == expected, f"sendkey {combo}: expected key events {expected}, got {seen}")


def press(code: str, ascii_part: str, mods_down: str, mods_up: str | None = None) -> list[str]:
    """The two events of a plain key typed once."""
    return [f"{code} down ascii {ascii_part} mods {mods_down}",
            f"{code} up ascii 0x00 mods {mods_up or mods_down}"]


def test_typing(t):
    """Letters, Shift, Ctrl, Enter/Backspace/Tab/Esc, left and right modifiers."""
    machine, _ = boot(t)
    send_keys(t, machine, "a", press("0x1e", "0x61 'a'", "0x0"))
    send_keys(t, machine, "shift-a", ["0x2a down ascii 0x00 mods 0x1"] + press("0x1e", "0x41 'A'", "0x1")
        + ["0x2a up ascii 0x00 mods 0x0"])
    send_keys(t, machine, "shift_r-2", ["0x36 down ascii 0x00 mods 0x2"] + press("0x03", "0x40 '@'", "0x2")
        + ["0x36 up ascii 0x00 mods 0x0"])
    send_keys(t, machine, "ctrl-c", ["0x1d down ascii 0x00 mods 0x4"] + press("0x2e", "0x03", "0x4")
        + ["0x1d up ascii 0x00 mods 0x0"])
    send_keys(t, machine, "ctrl_r-x", ["0x1d ext down ascii 0x00 mods 0x8"] + press("0x2d", "0x18", "0x8")
        + ["0x1d ext up ascii 0x00 mods 0x0"])
    send_keys(t, machine, "alt-a", ["0x38 down ascii 0x00 mods 0x10"] + press("0x1e", "0x61 'a'", "0x10")
        + ["0x38 up ascii 0x00 mods 0x0"])
    send_keys(t, machine, "alt_r-a", ["0x38 ext down ascii 0x00 mods 0x20"] + press("0x1e", "0x61 'a'", "0x20")
        + ["0x38 ext up ascii 0x00 mods 0x0"])
    send_keys(t, machine, "ret", press("0x1c", "0x0d", "0x0"))
    send_keys(t, machine, "backspace", press("0x0e", "0x08", "0x0"))
    send_keys(t, machine, "tab", press("0x0f", "0x09", "0x0"))
    send_keys(t, machine, "esc", press("0x01", "0x1b", "0x0"))
    send_keys(t, machine, "slash", press("0x35", "0x2f '/'", "0x0"))
    send_keys(t, machine, "f1", press("0x3b", "0x00", "0x0"))


def test_locks_and_keypad(t):
    """Caps Lock, Num Lock and the keypad, grey keys, and Pause (no event,
    and no Ctrl or Num Lock left behind). The keyboard's acknowledgements of
    the LED updates must not show up as keys."""
    machine, _ = boot(t)
    send_keys(t, machine, "kp_1", press("0x4f", "0xb5", "0x0"))  # End
    send_keys(t, machine, "num_lock", press("0x45", "0x00", "0x80"))
    send_keys(t, machine, "kp_1", press("0x4f", "0x31 '1'", "0x80"))
    send_keys(t, machine, "kp_decimal", press("0x53", "0x2e '.'", "0x80"))
    send_keys(t, machine, "kp_add", press("0x4e", "0x2b '+'", "0x80"))
    send_keys(t, machine, "kp_enter", press("0x1c ext", "0x0d", "0x80"))
    send_keys(t, machine, "kp_divide", press("0x35 ext", "0x2f '/'", "0x80"))
    send_keys(t, machine, "up", press("0x48 ext", "0xb2", "0x80"))
    send_keys(t, machine, "delete", press("0x53 ext", "0xb6", "0x80"))
    send_keys(t, machine, "caps_lock", press("0x3a", "0x00", "0xc0"))
    send_keys(t, machine, "a", press("0x1e", "0x41 'A'", "0xc0"))
    send_keys(t, machine, "shift-a", ["0x2a down ascii 0x00 mods 0xc1"] + press("0x1e", "0x61 'a'", "0xc1")
        + ["0x2a up ascii 0x00 mods 0xc0"])
    send_keys(t, machine, "1", press("0x02", "0x31 '1'", "0xc0"))
    send_keys(t, machine, "caps_lock", press("0x3a", "0x00", "0x80"))
    send_keys(t, machine, "scroll_lock", press("0x46", "0x00", "0x180"))
    send_keys(t, machine, "num_lock", press("0x45", "0x00", "0x100"))
    send_keys(t, machine, "scroll_lock", press("0x46", "0x00", "0x0"))
    # Pause produces nothing; the next key must look as if it never happened.
    send_keys(t, machine, "pause", [])
    send_keys(t, machine, "b", press("0x30", "0x62 'b'", "0x0"))
    codes = [line.split()[0] for line in KEY_LINE.findall(machine.transcript)]
    t.check("0x7a" not in codes and "0x7e" not in codes,
        "an acknowledgement byte (0xFA/0xFE) was decoded as a key release")


def collect_mouse(machine, until, timeout: float = REPLY_TIMEOUT) -> list[tuple[int, ...]]:
    """Mouse lines until `until(lines)` holds (QEMU may split a movement
    into several packets)."""
    lines = []
    deadline = time.monotonic() + timeout
    while not until(lines):
        match = machine.expect(MOUSE_LINE, max(0.1, deadline - time.monotonic()))
        lines.append((int(match.group(1)), int(match.group(2)), int(match.group(3)), int(match.group(4)),
            int(match.group(5), 16)))
    return lines


def total(lines, index: int) -> int:
    return sum(line[index] for line in lines)


def test_mouse(t):
    """Relative movement (screen direction: down is positive), all five
    buttons, the wheel (towards the user positive) and a long movement split
    into packets with no lost count."""
    machine, mouse_id = boot(t)
    # QEMU's mouse answers both knocks (IntelliMouse Explorer).
    t.check(mouse_id == 4, f"QEMU's PS/2 mouse has id {mouse_id}, expected 4 (wheel and 5 buttons)")

    machine.monitor("mouse_move 10 -5")
    lines = collect_mouse(machine, lambda lines: total(lines, 0) >= 10 and total(lines, 1) <= -5)
    t.check((total(lines, 0), total(lines, 1)) == (10, -5), f"mouse_move 10 -5 gave {lines}")
    t.check(all(line[4] == 0 for line in lines), f"buttons while moving: {lines}")

    for state, expected in ((1, 0x1), (0, 0x0), (2, 0x2), (4, 0x4), (0, 0x0)):
        machine.monitor(f"mouse_button {state}")
        lines = collect_mouse(machine, lambda lines: len(lines) >= 1)
        t.check(lines[-1][4] == expected, f"mouse_button {state}: expected buttons 0x{expected:x}, got {lines}")

    # Side buttons (4 and 5) only exist in the IntelliMouse Explorer packet.
    for button, expected in (("side", 0x08), ("extra", 0x18)):
        machine.qmp("input-send-event", events=[{"type": "btn", "data": {"down": True, "button": button}}])
        lines = collect_mouse(machine, lambda lines: len(lines) >= 1)
        t.check(lines[-1][4] == expected, f"button {button}: expected buttons 0x{expected:x}, got {lines}")
    machine.qmp("input-send-event", events=[
        {"type": "btn", "data": {"down": False, "button": "side"}},
        {"type": "btn", "data": {"down": False, "button": "extra"}},
        {"type": "rel", "data": {"axis": "x", "value": -7}},
        {"type": "rel", "data": {"axis": "y", "value": 3}}])
    lines = collect_mouse(machine, lambda lines: total(lines, 0) <= -7 and total(lines, 1) >= 3)
    t.check((total(lines, 0), total(lines, 1)) == (-7, 3), f"QMP rel x=-7 y=3 gave {lines}")
    t.check(lines[-1][4] == 0, f"side buttons still down after release: {lines}")

    # The monitor's dz is "wheel up" when positive (towards the screen).
    machine.monitor("mouse_move 0 0 1")
    lines = collect_mouse(machine, lambda lines: total(lines, 2) != 0)
    t.check(total(lines, 2) == -1, f"wheel up gave {lines}")
    machine.monitor("mouse_move 0 0 -1")
    lines = collect_mouse(machine, lambda lines: total(lines, 2) != 0)
    t.check(total(lines, 2) == 1, f"wheel down gave {lines}")

    machine.monitor("mouse_move 300 0")
    lines = collect_mouse(machine, lambda lines: total(lines, 0) >= 300)
    t.check(total(lines, 0) == 300 and len(lines) >= 2, f"mouse_move 300 0 gave {lines}")


def test_quiet_without_inputlog(t):
    """Without `inputlog` nothing is logged, and PS/2 keys never reach the
    serial shell."""
    machine = boot_to_prompt(t, append="loglevel=debug")
    machine.monitor("sendkey a")
    machine.monitor("mouse_move 5 5")
    time.sleep(0.5)
    reply = run_command(machine, "uptime")
    t.check("unknown command" not in reply, f"the shell saw PS/2 input: {reply!r}")
    t.check("input:" not in machine.transcript, "input events logged without `inputlog`")
