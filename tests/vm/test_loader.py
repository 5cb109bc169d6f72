# SPDX-License-Identifier: BSD-2-Clause
"""Malformed executables on the ramdisk (written by tools/mkbadexe.py): `run`
refuses each with `run: /sys/NAME: <Error>: <what is wrong>`, starts no
process (the next program gets the very next pid), the kernel does not
panic, and a good program still runs afterwards. Each file is a case."""

import re

from mkbadexe import CASES
from test_programs import resync, start, wait_exit
from vmlib import boot_to_prompt, output_lines, run_command

# lib/Error.cpp, error_code_name: how the shell prints each ErrorCode.
ERROR_NAMES = {"Corrupt": "corrupt data", "Unsupported": "unsupported"}


def run_hello(t, machine) -> int:
    """Runs /sys/hello to completion and returns its pid."""
    pid, name = start(t, machine, "run /sys/hello")
    t.check(name == "hello", f"started {name!r}, not hello")
    t.check(wait_exit(machine, pid, name) == 0, "hello did not exit with status 0")
    resync(machine)  # past hello's output and the prompt: the next reply is clean
    return pid


def refuse_all(t, prefix: str, accepted: list[str]) -> None:
    """Runs every CASES file starting with `prefix`, then the `accepted`
    command lines, which must start programs that exit with status 0."""
    machine = boot_to_prompt(t)
    first = run_hello(t, machine)
    begin = machine.cursor
    for name, (error, words) in CASES.items():
        if not name.startswith(prefix):
            continue
        format_name = "MENUET" if name.startswith("kb_") else "ELF"
        reply = run_command(machine, f"run /sys/{name}")
        lines = output_lines(reply)
        expected = f"run: /sys/{name}: {ERROR_NAMES[error]}: {format_name}: "
        if name.startswith("kb_kp"):  # packed files: the words name the layer (KPCK or LZMA)
            expected = f"run: /sys/{name}: {ERROR_NAMES[error]}: "
        line = lines[0].strip() if lines else ""
        if not line.startswith(expected) or words not in line[len(expected):]:
            t.case(name, False, f"got {line!r}, want {expected!r} naming {words!r}")
        elif "started process" in reply:
            t.case(name, False, f"a process was started: {reply!r}")
        else:
            t.case(name, True)
    text = machine.transcript[begin:].replace("\r", "")
    t.check("panic" not in text.lower(), f"kernel panic:\n{machine.transcript_tail()}")
    stray = re.findall(rf"process \d+ \(({prefix}\w*)\)", text)
    t.check(not stray, f"processes were created for {sorted(set(stray))}")
    # The system goes on, and no pid was spent on the refused files.
    expected_pid = first + 1
    for command in accepted:
        pid, name = start(t, machine, command)
        t.check(pid == expected_pid, f"{command!r} got pid {pid}, want {expected_pid}: the refused files used pids")
        t.check(wait_exit(machine, pid, name) == 0, f"{command!r} did not exit with status 0")
        resync(machine)
        expected_pid = pid + 1
    second = run_hello(t, machine)
    t.check(second == expected_pid, f"hello got pid {second}, want {expected_pid}: the refused files used pids")
    reply = run_command(machine, "ps")
    t.check(not re.search(rf"\b{prefix}", reply), f"ps lists a malformed program: {reply!r}")
    t.check(not any(not passed for _, passed, _ in t.cases), "some malformed programs were not refused as expected")


def test_malformed_elf(t):
    refuse_all(t, "bad_", [])


def test_malformed_menuet(t):
    # kb_clip's parameter buffer has room for 3 of these bytes and the NUL.
    refuse_all(t, "kb_", ["run /sys/kb_clip a-long-parameter-string that crosses the end of memory",
                          "run /sys/kb_kpok"])
