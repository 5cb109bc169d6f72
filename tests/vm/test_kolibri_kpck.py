# SPDX-License-Identifier: BSD-2-Clause
"""KPCK-packed KolibriOS programs (kernel/exec/Kpck.h): /sys/kp_none,
kp_ct1 and kp_ct2 are user/tests/kolibri/k_packed.asm packed by
tools/kpack.py at build time (no call trick, trick 1, trick 2). Started by
the shell's `run` and by 70.7 from k_kpck, each prints "PASS k_packed
<its path>"; k_kpck also checks 68.27/68.28 on packed and plain files and
70.0's packed bytes. A damaged packed file is refused with a clear line
and the shell goes on (the other damaged files: test_loader.py)."""

from __future__ import annotations

import re

from test_programs import EXIT_TIMEOUT, resync, run_test_program, start, wait_exit
from vmlib import boot_to_prompt, output_lines, run_command

VARIANTS = ("kp_none", "kp_ct1", "kp_ct2")


def passed_line(variant: str) -> str:
    return rf"(?m)PASS k_packed \S*/{variant}\s*$"


def test_kolibri_kpck_run(t):
    """`run` of each packed program: it runs (its calls, jumps and Jcc
    land where they should) and exits with status 0. Then a damaged one
    is refused and a packed one still runs."""
    machine = boot_to_prompt(t)
    for variant in VARIANTS:
        begin = machine.cursor
        pid, name = start(t, machine, f"run /sys/{variant}")
        status = wait_exit(machine, pid, name)
        text = machine.transcript[begin:].replace("\r", "")
        t.check(status == 0, f"{variant} exited with status {status}")
        t.check(re.search(passed_line(variant), text) is not None,
                f"{variant} did not print its PASS line:\n{machine.transcript_tail()}")
        t.check("FAIL" not in text, f"{variant} failed:\n{text}")
        resync(machine)
    lines = output_lines(run_command(machine, "run /sys/kb_kpct"))
    line = lines[0].strip() if lines else ""
    t.check(line == "run: /sys/kb_kpct: corrupt data: KPCK: fewer calls than the call-trick count",
            f"the damaged packed program got {line!r}")
    begin = machine.cursor
    pid, name = start(t, machine, "run /sys/kp_ct2")
    t.check(wait_exit(machine, pid, name) == 0, "kp_ct2 did not run after the damaged file")
    t.check(re.search(passed_line("kp_ct2"), machine.transcript[begin:].replace("\r", "")) is not None,
            "kp_ct2 printed no PASS line after the damaged file")
    t.check("panic" not in machine.transcript.lower(), f"kernel panic:\n{machine.transcript_tail()}")


def test_kolibri_kpck_load_and_start(t):
    """k_kpck: 70.0 gives the packed bytes, 68.27/68.28 the unpacked ones
    (EDX = the unpacked size), 0/0 for a missing or damaged file, and 70.7
    starts the three packed programs, which each print their PASS line."""
    text = run_test_program(t, "run /sys/k_kpck", timeout=EXIT_TIMEOUT)
    for variant in VARIANTS:
        t.check(re.search(passed_line(variant), text) is not None,
                f"{variant} started by 70.7 printed no PASS line:\n{text[-3000:]}")
    t.check(re.search(r"68\.27: /sys/kb_kpct is a damaged KPCK file: KPCK: fewer calls", text) is not None,
            "68.27 of the damaged file logged no reason")
