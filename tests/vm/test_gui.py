# SPDX-License-Identifier: BSD-2-Clause
"""The window system, seen from outside: the desktop and panel after boot,
KolibriOS test programs (user/tests/kolibri/g_*.asm) drawing windows of every
style, the mouse pressing their buttons and dragging their captions, keys
reaching the active window, windows covering and exposing each other, and
windows going away with their process. Screens are read with QEMU's
screendump; the mouse is QEMU's PS/2 mouse, moved relatively, so every
pointing starts with a large move into the top-left corner."""

from __future__ import annotations

import re
import time

from vmlib import BOOT_TIMEOUT, PROMPT, REPLY_TIMEOUT, run_command

TIMEOUT = 240.0
EVENT_TIMEOUT = 30.0

# kernel/gui/Skin.h
SKIN_HEIGHT = 22
PANEL_HEIGHT = 30
PANEL_BACKGROUND = (0x1B, 0x23, 0x30)
ACTIVE_OUTER = (0x17, 0x2B, 0x48)
INACTIVE_OUTER = (0x4B, 0x55, 0x63)
DESKTOP_TOP = (0x23, 0x4E, 0x86)
DESKTOP_BOTTOM = (0x0B, 0x1D, 0x3A)

# user/tests/kolibri/g_window.asm
WINDOW = (100, 80, 400, 260)
WORK_COLOR = (0xE9, 0xED, 0xF2)


def desktop_color(y: int, height: int = 768) -> tuple[int, ...]:
    last = height - 1

    def blend(top: int, bottom: int) -> int:
        product = (bottom - top) * y
        quotient = abs(product) // last
        return top + (quotient if product >= 0 else -quotient)

    return tuple(blend(top, bottom) for top, bottom in zip(DESKTOP_TOP, DESKTOP_BOTTOM))


def near(actual, expected, tolerance: int = 0) -> bool:
    return all(abs(a - e) <= tolerance for a, e in zip(actual, expected))


def hexrgb(color) -> str:
    return "#" + bytes(color).hex()


def boot_gui(t, programs: tuple[str, ...] = ()):
    append = "run=" + ",".join(f"/sys/{name}" for name in programs) if programs else ""
    machine = t.machine(append=append)
    machine.expect(r"gui: desktop (\d+)x(\d+)", BOOT_TIMEOUT)
    machine.expect(re.escape(PROMPT), BOOT_TIMEOUT)
    return machine


def save(t, machine, name: str):
    """The screen now, also saved as a PNG in the test's scratch directory."""
    return machine.screenshot(t.work_dir / f"{name}.png")


def wait_screen(t, machine, predicate, what: str, timeout: float = EVENT_TIMEOUT):
    """Polls screendumps until predicate(screen) holds."""
    deadline = time.monotonic() + timeout
    while True:
        screen = machine.screen()
        if predicate(screen):
            return screen
        if time.monotonic() > deadline:
            machine.screenshot(t.work_dir / "timeout.png")
            t.fail(f"screen never showed {what}")
        time.sleep(0.3)


# --- The mouse (QMP input-send-event, relative PS/2 motion) ---------------------

def mouse_move(machine, dx: int, dy: int) -> None:
    while dx or dy:
        step_x = max(-100, min(100, dx))
        step_y = max(-100, min(100, dy))
        machine.qmp("input-send-event", events=[
            {"type": "rel", "data": {"axis": "x", "value": step_x}},
            {"type": "rel", "data": {"axis": "y", "value": step_y}}])
        dx -= step_x
        dy -= step_y
        time.sleep(0.02)


def mouse_to(machine, x: int, y: int) -> None:
    """Corner first (the pointer stops at the screen edge), then (x, y)."""
    mouse_move(machine, -2500, -2500)
    time.sleep(0.2)
    mouse_move(machine, x, y)
    time.sleep(0.3)


def mouse_button(machine, down: bool, button: str = "left") -> None:
    machine.qmp("input-send-event", events=[{"type": "btn", "data": {"down": down, "button": button}}])
    time.sleep(0.2)


def click(machine, x: int, y: int, button: str = "left") -> None:
    mouse_to(machine, x, y)
    mouse_button(machine, True, button)
    mouse_button(machine, False, button)


def drag(machine, x: int, y: int, dx: int, dy: int) -> None:
    mouse_to(machine, x, y)
    mouse_button(machine, True)
    mouse_move(machine, dx, dy)
    time.sleep(0.3)
    mouse_button(machine, False)


def wait_text(t, machine, pattern: str, timeout: float = EVENT_TIMEOUT) -> re.Match:
    """Waits until the whole transcript (whatever the order of the lines)
    matches `pattern`."""
    deadline = time.monotonic() + timeout
    while True:
        match = re.search(pattern, machine.transcript)
        if match:
            return match
        if time.monotonic() > deadline:
            t.fail(f"{pattern!r} did not appear within {timeout:.0f} s:\n{machine.transcript_tail()}")
        time.sleep(0.1)


def started_pid(t, machine, name: str) -> int:
    return int(wait_text(t, machine, rf"started process (\d+) \({name}\)", REPLY_TIMEOUT).group(1))


def wait_redraws(t, machine, program: str, threads: int) -> None:
    for thread in range(threads):
        wait_text(t, machine, rf"{program}: {thread} redraw")


# --- Scenarios ---------------------------------------------------------------------

def test_desktop_and_panel(t):
    """After boot: the desktop gradient, the panel along the bottom with its
    menu button, and the cursor."""
    machine = boot_gui(t)
    screen = wait_screen(t, machine, lambda s: near(s.pixel(500, 767 - 5), PANEL_BACKGROUND),
        "the panel at the bottom")
    save(t, machine, "desktop")
    width, height = screen.width, screen.height
    for y in (0, 100, 400, height - PANEL_HEIGHT - 1):
        t.check(near(screen.pixel(700, y), desktop_color(y, height)),
            f"desktop pixel (700, {y}) is {hexrgb(screen.pixel(700, y))}, expected {hexrgb(desktop_color(y, height))}")
    t.check(near(screen.pixel(500, height - 10), PANEL_BACKGROUND), "no panel background")
    menu = screen.pixel(8, height - PANEL_HEIGHT + 10)
    t.check(menu[2] > menu[0] + 60, f"the menu button is not blue: {hexrgb(menu)}")
    # The cursor: a black-outlined arrow somewhere on the screen.
    t.check(any(screen.pixel(x, y) == (255, 255, 255) for x in range(0, width, 1) for y in range(300, 480, 4)),
        "no white cursor pixels in the middle of the screen")


def test_window_primitives(t):
    """g_window: the skin, the client-relative primitives, both fonts."""
    machine = boot_gui(t, ("g_window",))
    wait_text(t, machine, "g_window: redraw")
    x, y, w, h = WINDOW
    screen = wait_screen(t, machine, lambda s: near(s.pixel(x + 300, y + 200), WORK_COLOR), "g_window's work area")
    save(t, machine, "g_window")
    t.check(near(screen.pixel(x + 200, y), ACTIVE_OUTER), f"the top edge is {hexrgb(screen.pixel(x + 200, y))}")
    header = screen.pixel(x + 200, y + 12)
    t.check(header[2] > header[0] + 80, f"the active caption is not blue: {hexrgb(header)}")
    close = screen.pixel(x + w - 5 - 4, y + 8)
    t.check(close[0] > 0xB0 and close[1] < 0x80, f"the close button is not red: {hexrgb(close)}")
    client_x, client_y = x + 5, y + SKIN_HEIGHT
    t.check(near(screen.pixel(client_x + 70, client_y + 80), (0xD0, 0x40, 0x40)),
        f"the red rectangle is {hexrgb(screen.pixel(client_x + 70, client_y + 80))}")
    # The gradient rectangle darkens downwards.
    top, bottom = screen.pixel(client_x + 200, client_y + 51), screen.pixel(client_x + 200, client_y + 88)
    t.check(sum(top) > sum(bottom), f"the gradient does not darken: {hexrgb(top)} over {hexrgb(bottom)}")
    # The image: blue grows to the right (pixel (31, 0) has blue 0xF8).
    t.check(near(screen.pixel(client_x + 280 + 31, client_y + 50), (0x40, 0, 0xF8)),
        f"the image corner is {hexrgb(screen.pixel(client_x + 280 + 31, client_y + 50))}")
    # Text was drawn (dark pixels where the 6x9 line is).
    dark = sum(1 for dx in range(0, 200) for dy in range(10, 19)
               if sum(screen.pixel(client_x + 10 + dx, client_y + dy)) < 200)
    t.check(dark > 100, f"only {dark} text pixels in the 6x9 line")
    # Nothing outside the window changed.
    t.check(near(screen.pixel(x - 1, y + 50), desktop_color(y + 50)), "the window drew left of its frame")
    t.check(near(screen.pixel(x + w, y + 50), desktop_color(y + 50)), "the window drew right of its frame")


def test_mouse_buttons_keys_and_close(t):
    """A click on button 2 reaches the program (release inside), a key
    reaches the active window, the close button ends the program and its
    window goes away."""
    machine = boot_gui(t, ("g_window",))
    pid = started_pid(t, machine, "g_window")
    wait_text(t, machine, "g_window: redraw")
    x, y, w, h = WINDOW
    client_x, client_y = x + 5, y + SKIN_HEIGHT
    wait_screen(t, machine, lambda s: near(s.pixel(x + 300, y + 200), WORK_COLOR), "g_window")
    click(machine, client_x + 50, client_y + 150)
    wait_text(t, machine, "g_window: button 02")
    # Pressed on the button, released elsewhere: no event.
    mouse_to(machine, client_x + 50, client_y + 150)
    mouse_button(machine, True)
    mouse_move(machine, 200, 0)
    mouse_button(machine, False)
    # The invisible button 3 next to it.
    click(machine, client_x + 150, client_y + 150)
    wait_text(t, machine, "g_window: button 03")
    t.check(machine.transcript.count("g_window: button 02") == 1,
        "a press released outside the button was reported")
    machine.qmp("send-key", keys=[{"type": "qcode", "data": "a"}])
    wait_text(t, machine, "g_window: key 61")
    machine.qmp("send-key", keys=[{"type": "qcode", "data": "shift"}, {"type": "qcode", "data": "b"}])
    wait_text(t, machine, "g_window: key 42")
    click(machine, x + w - 5 - 10, y + 3 + 8)
    wait_text(t, machine, "g_window: close")
    wait_text(t, machine, rf"process {pid} \(g_window\) exited")
    screen = wait_screen(t, machine, lambda s: near(s.pixel(x + 200, y + 100), desktop_color(y + 100)),
        "the desktop where the window was")
    save(t, machine, "closed")
    t.check(near(screen.pixel(x, y), desktop_color(y)), "the window's corner is still on screen")


def test_drag_and_minimize(t):
    """The caption drags the window (the old place shows the desktop, the
    window is whole at the new one); minimize hides it, the panel brings it
    back with a redraw."""
    machine = boot_gui(t, ("g_window",))
    wait_text(t, machine, "g_window: redraw")
    x, y, w, h = WINDOW
    wait_screen(t, machine, lambda s: near(s.pixel(x + 300, y + 200), WORK_COLOR), "g_window")
    drag(machine, x + 200, y + 10, 150, 120)
    nx, ny = x + 150, y + 120
    screen = wait_screen(t, machine, lambda s: near(s.pixel(nx + 200, ny), ACTIVE_OUTER),
        "the window at its new place")
    save(t, machine, "dragged")
    t.check(near(screen.pixel(x + 20, y + 20), desktop_color(y + 20)), "the old place does not show the desktop")
    t.check(near(screen.pixel(nx + 5 + 70, ny + SKIN_HEIGHT + 80), (0xD0, 0x40, 0x40)),
        "the red rectangle did not move with the window")
    before = machine.transcript.count("g_window: redraw")
    # Minimize (the button left of close).
    click(machine, nx + w - 5 - 20 - 2 - 10, ny + 3 + 8)
    screen = wait_screen(t, machine, lambda s: near(s.pixel(nx + 200, ny + 100), desktop_color(ny + 100)),
        "the desktop where the minimized window was")
    save(t, machine, "minimized")
    t.check(machine.transcript.count("g_window: button") == 0, "minimize was reported to the program")
    # The panel's task button (first after the menu button) restores it.
    click(machine, 104 + 12 + 40, screen.height - PANEL_HEIGHT // 2)
    wait_screen(t, machine, lambda s: near(s.pixel(nx + 200, ny), ACTIVE_OUTER), "the restored window")
    deadline = time.monotonic() + EVENT_TIMEOUT
    while machine.transcript.count("g_window: redraw") <= before and time.monotonic() < deadline:
        time.sleep(0.2)
    t.check(machine.transcript.count("g_window: redraw") > before, "the restored window got no redraw event")


def test_styles(t):
    """g_styles: one window per style from four threads, window-relative and
    client-relative drawing; a click raises a covered window, which is
    redrawn; closing one thread's window leaves the others."""
    machine = boot_gui(t, ("g_styles",))
    wait_redraws(t, machine, "g_styles", 4)
    screen = wait_screen(t, machine, lambda s: near(s.pixel(315, 232), (0x20, 0x50, 0xA0)),
        "the skinned window's client-relative square")
    time.sleep(1)
    screen = save(t, machine, "styles")
    # Type I at (20, 20): frame in EDI's colour, work area from (1, 21).
    t.check(near(screen.pixel(20, 100), (0x20, 0x30, 0x40)), f"type I frame is {hexrgb(screen.pixel(20, 100))}")
    t.check(near(screen.pixel(200, 150), (0xF0, 0xE0, 0xC0)), f"type I work area is {hexrgb(screen.pixel(200, 150))}")
    t.check(near(screen.pixel(45, 95), (0x30, 0x80, 0x30)), "type I's window-relative rectangle is misplaced")
    # Style 1 paints itself: the second stripe.
    t.check(near(screen.pixel(450, 20 + 45), (0x40, 0x4C, 0x60)), f"style 1 stripe is {hexrgb(screen.pixel(450, 65))}")
    # Type II at (20, 200): shaded outer frame, then EDI's colour.
    t.check(near(screen.pixel(20, 300), (0x40, 0x40, 0x40)), f"type II outer frame is {hexrgb(screen.pixel(20, 300))}")
    t.check(near(screen.pixel(22, 300), (0x80, 0x80, 0x80)), f"type II frame is {hexrgb(screen.pixel(22, 300))}")
    t.check(near(screen.pixel(200, 330), (0xD8, 0xE0, 0xE8)), f"type II work area is {hexrgb(screen.pixel(200, 330))}")
    # Close the skinned window: only its thread ends.
    click(machine, 300 + 250 - 5 - 10, 200 + 3 + 8)
    wait_text(t, machine, "g_styles: 3 closed")
    screen = wait_screen(t, machine, lambda s: near(s.pixel(450, 300), desktop_color(300)),
        "the desktop where the skinned window was")
    t.check(near(screen.pixel(200, 150), (0xF0, 0xE0, 0xC0)), "the type I window went away too")
    reply = run_command(machine, "ps")
    t.check("g_styles" in reply, f"the process ended with one thread:\n{reply}")


def test_overlap_redraw(t):
    """Two programs: clicking the covered window raises it, it gets a redraw
    event and the part that was covered shows its own pixels."""
    machine = boot_gui(t, ("g_window", "g_styles"))
    wait_text(t, machine, "g_window: redraw")
    wait_redraws(t, machine, "g_styles", 4)
    time.sleep(1)
    screen = save(t, machine, "overlapped")
    # (400, 300) is inside g_window and, for now, under the skinned window.
    t.check(not near(screen.pixel(400, 300), WORK_COLOR), "g_window is not covered at (400, 300)")
    before = machine.transcript.count("g_window: redraw")
    click(machine, 400, 190)  # a visible part of g_window
    wait_screen(t, machine, lambda s: near(s.pixel(400, 300), WORK_COLOR), "g_window raised over the others")
    deadline = time.monotonic() + EVENT_TIMEOUT
    while machine.transcript.count("g_window: redraw") <= before and time.monotonic() < deadline:
        time.sleep(0.2)
    t.check(machine.transcript.count("g_window: redraw") > before, "the raised window got no redraw event")
    screen = save(t, machine, "raised")
    t.check(near(screen.pixel(WINDOW[0] + 200, WINDOW[1]), ACTIVE_OUTER), "g_window is not drawn active")
    t.check(near(screen.pixel(540, 210), INACTIVE_OUTER) or not near(screen.pixel(540, 210), ACTIVE_OUTER),
        "the skinned window still looks active")


def test_kill_removes_window(t):
    """A process killed from the shell leaves no window behind."""
    machine = boot_gui(t, ("g_window",))
    pid = started_pid(t, machine, "g_window")
    wait_text(t, machine, "g_window: redraw")
    x, y, w, h = WINDOW
    wait_screen(t, machine, lambda s: near(s.pixel(x + 300, y + 200), WORK_COLOR), "g_window")
    machine.send(f"kill {pid}\r")
    wait_text(t, machine, rf"process {pid} \(g_window\) exited")
    wait_screen(t, machine, lambda s: near(s.pixel(x + 300, y + 200), desktop_color(y + 200)),
        "the desktop where the killed program's window was")


def test_check_program(t):
    """g_check: the window and event functions' answers and hostile
    arguments (PASS/FAIL lines from the program itself)."""
    check_program(t, boot_gui(t, ("g_check",)))


def test_check_program_without_display(t):
    """The same without a screen (video=off): the functions answer, draw
    nothing, and a program's event loop does not spin on its redraw."""
    machine = t.machine(append="video=off run=/sys/g_check")
    machine.expect(r"gui: no display", BOOT_TIMEOUT)
    check_program(t, machine)


def check_program(t, machine):
    pid = started_pid(t, machine, "g_check")
    match = wait_text(t, machine, rf"process {pid} \(g_check\) exited with status (-?\d+)\r?\n")
    text = machine.transcript.replace("\r", "")
    for check, reason in re.findall(r"(?m)^(?:colibri> )*FAIL (\S+?):? (.*)$", text):
        t.check(False, f"{check}: {reason}")
    t.check(re.search(r"(?m)^(?:colibri> )*PASS g_check\s*$", text), f"no verdict line:\n{machine.transcript_tail()}")
    t.check(match.group(1) == "0", f"g_check exited with status {match.group(1)}")
    t.check("panic" not in text.lower(), "kernel panic")


def test_panel_menu_starts_a_program(t):
    """The panel's menu lists the ramdisk's programs; choosing one starts it."""
    machine = boot_gui(t)
    screen = wait_screen(t, machine, lambda s: near(s.pixel(500, s.height - 5), PANEL_BACKGROUND), "the panel")
    click(machine, 50, screen.height - PANEL_HEIGHT // 2)
    menu_top_color = (0x4A, 0x86, 0xD0)
    screen = wait_screen(t, machine, lambda s: any(near(s.pixel(60, y), menu_top_color, 12) for y in range(0, s.height - 40, 2)),
        "the open menu")
    save(t, machine, "menu")
    # The menu is a column of items above the bar; its title bar is at the
    # top: find it, then click the first item below it.
    title = next(y for y in range(0, screen.height - 40, 2) if near(screen.pixel(60, y), menu_top_color, 12))
    click(machine, 40, title + 26 + 4 + 11)
    # The first program may be one of the deliberately broken test
    # executables: refusing it is a fine answer too.
    wait_text(t, machine, r"panel: (started /sys/\S+ as process \d+|cannot start /sys/\S+)")
    menu_background = (0x24, 0x30, 0x42)
    wait_screen(t, machine, lambda s: not near(s.pixel(6, title + 40), menu_background), "the menu closed")


def test_kill_while_drawing(t):
    """A program killed in the middle of drawing (it draws without pause)
    leaves no window and no stuck window system: another program's button
    still works afterwards."""
    machine = boot_gui(t, ("g_window", "g_busy"))
    busy = started_pid(t, machine, "g_busy")
    wait_text(t, machine, "g_busy: running")
    wait_text(t, machine, "g_window: redraw")
    time.sleep(2)
    save(t, machine, "busy")
    machine.send(f"kill {busy}\r")
    wait_text(t, machine, rf"process {busy} \(g_busy\) exited")
    wait_screen(t, machine, lambda s: near(s.pixel(700, 520), desktop_color(520)),
        "the desktop where the busy window was")
    x, y, w, h = WINDOW
    click(machine, x + 5 + 50, y + SKIN_HEIGHT + 150)
    wait_text(t, machine, "g_window: button 02")
    t.check("panic" not in machine.transcript.lower(), "kernel panic")
