# SPDX-License-Identifier: BSD-2-Clause
"""Helpers shared by the VM scenarios (tests/vm/test_*.py)."""

from __future__ import annotations

import re

BANNER = r"Colibri \d+\.\d+\.\d+"
MEMORY_LINE = r"(?m)^memory:"
PROMPT = "colibri> "

# Generous: TCG on a shared two-core machine, GRUB and the BIOS take seconds.
BOOT_TIMEOUT = 60.0
REPLY_TIMEOUT = 15.0


def boot_to_prompt(t, boot: str = "kernel", append: str = "", **machine_options):
    """Start a machine and wait for the banner, the memory summary and the prompt."""
    machine = t.machine(boot=boot, append=append, **machine_options)
    machine.expect(BANNER, BOOT_TIMEOUT)
    machine.expect(MEMORY_LINE, BOOT_TIMEOUT)
    machine.expect(re.escape(PROMPT), BOOT_TIMEOUT)
    return machine


def run_command(machine, line: str, ending: str = "\r") -> str:
    """Type `line`, wait for the next prompt and return what came in between
    (the echo of the line included), with CRs removed."""
    machine.send(line + ending)
    match = machine.expect(re.compile(r"(.*?)" + re.escape(PROMPT), re.S), REPLY_TIMEOUT)
    return match.group(1).replace("\r", "")


def output_lines(reply: str) -> list[str]:
    """The lines of a run_command reply after the echoed command line."""
    lines = reply.split("\n")
    return [line for line in lines[1:] if line.strip()]
