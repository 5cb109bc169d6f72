# SPDX-License-Identifier: BSD-2-Clause
"""KolibriOS DLLs: functions 68.18/68.19 and header version 2 (KX).

user/tests/kolibri/k_dll.asm loads the test DLLs of user/tests/kolibri/lib
(on the ramdisk in /sys/lib) and checks calls, data, the caches, paths,
missing and malformed DLLs (tools/mkbaddll.py) and private data between two
processes; k_dllrb has its DLL rebased; k_kx is a header-version-2 program started through the test
dll.obj. The kernel heap and frames must come back to where they were once
the programs have ended (images are freed with their last user)."""

import re
import sys

from test_programs import _kernel_memory, resync, run_test_program, start, wait_exit
from vmlib import PROMPT, REPLY_TIMEOUT, boot_to_prompt, run_command

sys.path.insert(0, str(__import__("pathlib").Path(__file__).resolve().parents[2] / "tools"))
import mkbaddll  # noqa: E402

TIMEOUT = 240.0


def _run(t, machine, command: str) -> str:
    """Runs a test program; every PASS/FAIL line becomes a check."""
    begin = machine.cursor
    pid, name = start(t, machine, command)
    status = wait_exit(machine, pid, name)
    # The child of k_dll reports after a delay of its own: wait for the
    # parent's verdict, which comes after the child has ended.
    text = machine.transcript[begin:].replace("\r", "")
    for check, reason in re.findall(r"(?m)^FAIL (\S+?):? (.*)$", text):
        t.check(False, f"{check}: {reason}")
    t.check(re.search(rf"(?m)^PASS {re.escape(name)}\s*$", text) is not None,
            f"{command!r} printed no verdict:\n{machine.transcript_tail()}")
    t.check(status == 0, f"{command!r} exited with status {status}")
    t.check("panic" not in text.lower(), f"kernel panic:\n{machine.transcript_tail()}")
    resync(machine)
    return text


def test_dll_load_and_leaks(t):
    machine = boot_to_prompt(t)
    text = _run(t, machine, "run /sys/k_dll")
    for check in ("k_dll/same_table", "k_dll/relative", "k_dll/nested_import", "k_dll/private_data",
                  "k_dll/child_counter", "k_dll/child_written", "k_dll/malformed_refused",
                  "k_dll/packed_load", "k_dll/packed_add2"):
        t.check(re.search(rf"(?m)^PASS {re.escape(check)}\s*$", text) is not None, f"no PASS {check}")
    # Each malformed object is refused with the parser's reason in the log.
    for name, reason in mkbaddll.CASES.items():
        t.check(re.search(rf"cannot load DLL /sys/lib/{re.escape(name)}: [^\n]*{re.escape(reason)}", text)
                is not None, f"no refusal line for {name} ({reason!r})")
    for line in re.findall(r"(?m)^k_dll timing: .*$", text):
        print(line, file=sys.stderr)

    # The programs again, now that the caches are warm: the kernel heap and
    # the frames come back to the baseline when they have ended.
    baseline = _kernel_memory(machine)
    for _ in range(3):
        _run(t, machine, "run /sys/k_dll")
        _run(t, machine, "run /sys/k_kx")
        _run(t, machine, "run /sys/k_dllrb")
    heap, allocations, frames = _kernel_memory(machine)
    t.check(allocations - baseline[1] <= 1, f"3 runs left {allocations - baseline[1]} more heap allocations")
    t.check(heap - baseline[0] < 1024, f"3 runs grew the kernel heap by {heap - baseline[0]} bytes")
    t.check(frames - baseline[2] < 3, f"3 runs kept {frames - baseline[2]} more frames in use")


def test_dll_rebased(t):
    """k_dllrb: the preferred bases are all taken, the DLL is rebased."""
    machine = boot_to_prompt(t)
    text = _run(t, machine, "run /sys/k_dllrb")
    for check in ("k_dllrb/not_preferred", "k_dllrb/dir32_code", "k_dllrb/dir32_data", "k_dllrb/rel32"):
        t.check(re.search(rf"(?m)^PASS {re.escape(check)}\s*$", text) is not None, f"no PASS {check}")


def test_kx_header_version_2(t):
    machine = boot_to_prompt(t)
    _run(t, machine, "run /sys/k_kx")
    # Without dll.obj the program does not start, and the log says why.
    reply = run_command(machine, "rm /sys/lib/dll.obj")
    t.check("rm:" not in reply, f"rm of dll.obj failed: {reply!r}")
    machine.send("run /sys/k_kx\r")
    machine.expect(r"header version 2 needs /sys/lib/dll\.obj, which cannot be loaded", REPLY_TIMEOUT)
    machine.expect(re.escape(PROMPT), REPLY_TIMEOUT)
    reply = run_command(machine, "ps")
    t.check("k_kx" not in reply, f"k_kx runs without dll.obj: {reply!r}")
    # The system goes on: another program loads its DLLs.
    _run(t, machine, "run /sys/k_dll")


test_dll_load_and_leaks.timeout = 400.0
