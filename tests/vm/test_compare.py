# SPDX-License-Identifier: BSD-2-Clause
"""tools/compare.py without KolibriOS: the AUTORUN.DAT editing, the split
of both systems' serial output into debug-board and system lines, the
side-by-side picture, and the Colibri half of a comparison."""

from __future__ import annotations

import subprocess

import compare
import qemu


def test_autorun_editing(t):
    distribution = ('# comment\r\n/SYS/@TASKBAR  ""  0  # taskbar\r\n/sys/k_debug "" 5\r\n\r\n')
    kept = compare.edit_autorun(distribution, ["/sys/k_debug", "/sys/g_win0"], keep=True)
    t.check(kept == '# comment\r\n/SYS/@TASKBAR  ""  0  # taskbar\r\n/sys/k_debug "" 0\r\n/sys/g_win0 "" 0\r\n',
            f"--keep-autorun result: {kept!r}")
    replaced = compare.edit_autorun(distribution, ["/sys/k_debug"], keep=False)
    lines = replaced.split("\r\n")
    t.check(lines[0].startswith("#") and lines[1:] == ['/sys/k_debug "" 0', ""],
            f"replacing result: {replaced!r}")
    t.check("TASKBAR" not in replaced, "the replaced file still starts the taskbar")
    t.check(compare.edit_autorun(None, ["/sys/a"], keep=True).endswith('/sys/a "" 0\r\n'),
            "an image without AUTORUN.DAT gets no line for the program")
    for bad in ("/sys/" + "x" * 60, "/sys/with space", '/sys/q"uote'):
        try:
            compare.autorun_lines([bad])
        except compare.CompareError:
            continue
        t.check(False, f"{bad!r} was accepted although the LAUNCHER cannot start it")


def test_log_split(t):
    colibri = ("Colibri 0.1.0\r\n[    0.058] info: boot complete\r\nstarted process 1 (k_debug)\r\n"
               "Type 'help' for the list of commands.\r\ncolibri> hello board\r\nPASS x\r\n"
               "[    0.070] info: process 1 (k_debug) exited with status 0\r\n")
    board, system = compare.colibri_board(colibri)
    t.check(board == ["hello board", "PASS x"], f"Colibri board lines: {board}")
    t.check(len(system) == 3 and system[-1].endswith("exited with status 0"), f"Colibri system lines: {system}")
    kolibri = ("K : OS version: 0.7.7.0\r\nL: /sys/k_debug Param: \r\nhello board\r\nK : Process - x\r\n"
               "PA" "L: AUTORUN.DAT processed\r\n" "SS x\r\n")
    board, system = compare.kolibri_board(kolibri)
    t.check(board == ["hello board", "PASS x"], f"KolibriOS board lines: {board}")
    t.check(system == ["L: /sys/k_debug Param: ", "K : Process - x", "L: AUTORUN.DAT processed"],
            f"KolibriOS system lines: {system}")
    diff = compare.board_diff(["a", "b"], ["a", "c"])
    t.check("-b" in diff and "+c" in diff, f"diff: {diff}")
    t.check(compare.board_diff(["a"], ["a"]) == [], "equal boards give a diff")


def test_side_by_side(t):
    red, blue = bytes((255, 0, 0)), bytes((0, 0, 255))
    left = qemu.Screen(2, 2, red * 4)
    right = qemu.Screen(3, 1, blue * 3)
    joined = compare.side_by_side(left, right, gap=1, colour=(0, 255, 0))
    t.check((joined.width, joined.height) == (6, 2), f"size {joined.width}x{joined.height}")
    t.check([joined.pixel(x, 0) for x in range(6)] == [(255, 0, 0)] * 2 + [(0, 255, 0)] + [(0, 0, 255)] * 3,
            "first row")
    t.check([joined.pixel(x, 1) for x in range(6)] == [(255, 0, 0)] * 2 + [(0, 255, 0)] * 4,
            "second row (right picture padded with the bar colour)")
    decoded = joined.to_png()
    t.check(decoded.startswith(b"\x89PNG"), "not a PNG")
    other = qemu.Screen(2, 2, red * 3 + blue)
    t.check(compare.difference(left, left) == (0, None), "equal pictures differ")
    t.check(compare.difference(left, other) == (1, (1, 1, 1, 1)), f"{compare.difference(left, other)}")


def test_colibri_half(t):
    """The Colibri run compare.py makes: k_debug's board lines come out
    exactly, without the kernel log or the shell prompt."""
    program = t.build_dir / "cross" / "user" / "bin" / "k_debug"
    transcript, screen = compare.run_colibri(t.build_dir, [program], t.work_dir, 1.0,
                                             qemu.DEFAULT_MEMORY_MB, log=lambda text: None)
    board, system = compare.colibri_board(transcript)
    t.check(board == ["k_debug: the quick brown fox jumps over the lazy dog 0123456789",
                      "PASS k_debug/read_back", "PASS k_debug"], f"board lines: {board}")
    t.check(any("exited with status 0" in line for line in system), f"system lines: {system}")
    t.check(screen.width > 0 and screen.height > 0, "no screen")


def test_colibri_half_on_the_same_ramdisk(t):
    """--same-ramdisk: Colibri boots from the prepared image (here one made
    with mkfs.fat: no LAUNCHER, an AUTORUN.DAT with a taskbar line the
    image does not have); the kernel's reading of AUTORUN.DAT starts
    k_debug, whose board lines come out exactly. With --keep-autorun the
    image's own line runs first and is reported as not startable."""
    image = t.work_dir / "kolibri.img"
    for arguments in (["mkfs.fat", "-C", "-F", "12", str(image), "1440"],
                      ["mmd", "-i", str(image), "::SETTINGS"]):
        t.check(subprocess.run(arguments, capture_output=True).returncode == 0, f"{arguments} failed")
    autorun = t.work_dir / "AUTORUN.DAT"
    autorun.write_bytes(b'# the distribution\'s first lines\r\n/SYS/@TASKBAR  ""  0\r\n')
    t.check(subprocess.run(["mcopy", "-i", str(image), str(autorun), "::SETTINGS/AUTORUN.DAT"],
                           capture_output=True).returncode == 0, "mcopy AUTORUN.DAT failed")
    program = t.build_dir / "cross" / "user" / "bin" / "k_debug"
    expected = ["k_debug: the quick brown fox jumps over the lazy dog 0123456789", "PASS k_debug/read_back",
                "PASS k_debug"]
    for keep, scratch in ((False, t.work_dir / "replaced"), (True, t.work_dir / "kept")):
        scratch.mkdir()
        transcript, screen = compare.run_colibri(t.build_dir, [program], scratch, 1.0, qemu.DEFAULT_MEMORY_MB,
                                                 log=lambda text: None, ramdisk=image, keep_autorun=keep)
        board, system = compare.colibri_board(transcript)
        t.check(board == expected, f"board lines (keep={keep}): {board}")
        t.check(any("autorun: started /sys/k_debug" in line for line in system), f"system lines: {system}")
        taskbar = any("cannot start /SYS/@TASKBAR" in line for line in system)
        t.check(taskbar == keep, f"the image's taskbar line ran: {taskbar} (keep={keep}): {system}")
