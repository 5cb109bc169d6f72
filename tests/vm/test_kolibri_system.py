# SPDX-License-Identifier: BSD-2-Clause
"""KolibriOS slots across programs (kernel/abi/kolibri/KolibriSlots.h):
g_slots walks the slot table with function 9 while another program runs,
and ends that program by its slot (18.2)."""

from __future__ import annotations

import re

from test_programs import EXIT_TIMEOUT, resync, start, wait_exit
from vmlib import REPLY_TIMEOUT, boot_to_prompt, run_command


def test_g_slots(t):
    """g_slots: every used slot has a unique identifier that 18.21 maps
    back; slot 1 is IDLE; a system thread cannot be ended; g_busy,
    started first, is found by name and ended by its slot (status 137)."""
    machine = boot_to_prompt(t)
    busy_pid, busy_name = start(t, machine, "run /sys/g_busy")
    machine.expect(r"g_busy: running", REPLY_TIMEOUT)
    resync(machine)
    begin = machine.cursor
    pid, name = start(t, machine, "run /sys/g_slots")
    status = wait_exit(machine, pid, name, EXIT_TIMEOUT)
    text = machine.transcript[begin:].replace("\r", "")
    for check, reason in re.findall(r"(?m)^(?:colibri> )*FAIL (\S+?):? (.*)$", text):
        t.check(False, f"{check}: {reason}")
    t.check(re.search(r"(?m)^(?:colibri> )*PASS g_slots\s*$", text) is not None, f"no verdict line:\n{machine.transcript_tail()}")
    t.check(status == 0, f"g_slots exited with status {status}")
    t.check(re.search(r"INFO g_slots: slot \d+ id \d+ state \d+ name g_busy", text) is not None,
        f"g_busy is not in the slot table g_slots printed:\n{text[-2000:]}")
    t.check(re.search(rf"process {busy_pid} \({re.escape(busy_name)}\) exited with status 137",
        machine.transcript) is not None, f"g_busy was not ended by 18.2:\n{machine.transcript_tail()}")
    resync(machine)
    t.check("PID" in run_command(machine, "ps"), "the shell does not answer after g_slots")
