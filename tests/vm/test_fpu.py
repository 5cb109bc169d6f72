# SPDX-License-Identifier: BSD-2-Clause
"""x87/SSE state per thread (docs/fpu.md), under both switching policies:
two copies of k_fpu run at once (four threads that keep distinctive values
in their x87 and XMM registers across many preemptions), then k_fpux87 and
k_fpusse divide by zero with the exception unmasked and must be killed with
a message naming it, and the system must go on running programs."""

import re

from test_programs import resync, start, wait_exit
from vmlib import boot_to_prompt, run_command

EXIT_TIMEOUT = 120.0


def check_passes(t, text: str, program: str, pid: int) -> None:
    """Every PASS/FAIL line k_fpu printed; they carry no pid, so two copies
    running at once each print a full set and both must pass."""
    failures = re.findall(rf"(?m)^(?:colibri> )*FAIL ({program}\S*?):? (.*)$", text)
    for check, reason in failures:
        t.check(False, f"{program} (pid {pid}): {check}: {reason}")
    t.check(re.search(rf"(?m)^(?:colibri> )*PASS {program}\s*$", text) is not None,
            f"{program} printed no verdict line")


def run_fpu_scenario(t, append: str) -> None:
    machine = boot_to_prompt(t, append=append)
    policy = "eager" if "fpu=eager" in append else "lazy"
    boot_log = machine.transcript.replace("\r", "")
    t.check(re.search(rf"fpu: x87 and SSE/SSE2 enabled, .*{policy} switching", boot_log) is not None,
            f"no 'fpu: ... {policy} switching' line at boot:\n{machine.transcript_tail()}")

    begin = machine.cursor
    first = start(t, machine, "run /sys/k_fpu")
    machine.expect(rf"started process {first[0]} \(k_fpu\)", 10)  # past it, for the second start
    second = start(t, machine, "run /sys/k_fpu")
    t.check(first[0] != second[0], f"both runs report pid {first[0]}")
    statuses = []
    for pid, name in (first, second):
        machine.cursor = begin  # the exit lines may come in either order
        statuses.append(wait_exit(machine, pid, name, EXIT_TIMEOUT))
    text = machine.transcript[begin:].replace("\r", "")
    t.check(statuses == [0, 0], f"k_fpu exit statuses {statuses}")
    t.check(len(re.findall(r"(?m)^(?:colibri> )*PASS k_fpu\s*$", text)) == 2,
            f"not both copies of k_fpu passed:\n{machine.transcript_tail()}")
    check_passes(t, text, "k_fpu", first[0])

    # The policy really differs: lazy loads states from the #NM handler
    # only, eager at switches and never traps.
    resync(machine)
    reply = run_command(machine, "ps")
    figures = re.search(r"fpu: (\w+) switching, (\d+) #NM traps, (\d+) state loads, (\d+) saves", reply)
    t.check(figures is not None, f"ps shows no fpu line: {reply!r}")
    if figures:
        traps, loads, saves = (int(figures.group(i)) for i in (2, 3, 4))
        t.check(figures.group(1) == policy, f"ps says {figures.group(1)} switching, want {policy}")
        # About 60 slices of 10 ms shared by four spinning threads.
        t.check(loads > 20 and saves > 20, f"only {loads} loads and {saves} saves for four FPU threads")
        if policy == "lazy":
            t.check(traps == loads, f"lazy: {traps} #NM traps but {loads} loads (all loads come from #NM)")
        else:
            t.check(traps == 0, f"eager: {traps} #NM traps, want none")

    for program, kind in (("k_fpux87", "x87 floating-point error"), ("k_fpusse", "SIMD floating-point exception")):
        begin = machine.cursor
        pid, name = start(t, machine, f"run /sys/{program}")
        status = wait_exit(machine, pid, name, EXIT_TIMEOUT)
        text = machine.transcript[begin:].replace("\r", "")
        t.check(re.search(rf"PASS {program}/masked\b", text) is not None,
                f"{program}: the masked division did not give infinity:\n{machine.transcript_tail()}")
        killed = re.search(rf"process {pid} \({program}\) killed: {kind} \(divide by zero\) at eip", text)
        survived = re.search(rf"{program}: still alive after .*mxcsr=([0-9A-F]{{8}})", text)
        if program == "k_fpusse" and survived and not killed:
            # QEMU's TCG does not raise #XM for unmasked SSE exceptions (it
            # sets the flag only; e.g. cloudius-systems/osv#855), so the kill
            # cannot be seen here. What can: ZM cleared and ZE set by divss.
            mxcsr = int(survived.group(1), 16)
            t.check(mxcsr & 0x200 == 0 and mxcsr & 0x4, f"k_fpusse: MXCSR {mxcsr:#x}, want ZM clear and ZE set")
            t.check(status == 0, f"{program} exited with status {status}")
        else:
            t.check(killed is not None,
                    f"no kill message naming {kind} and the divide by zero:\n{machine.transcript_tail()}")
            t.check(survived is None and "still alive" not in text, f"{program} survived an unmasked divide by zero")
            t.check(status != 0, f"{program} exited with status {status}")
        t.check("panic" not in text.lower(), f"kernel panic:\n{machine.transcript_tail()}")

    # The system keeps running, and a new program starts from a clean state
    # (the killed programs' pending exceptions and masks do not leak).
    begin = machine.cursor
    pid, name = start(t, machine, "run /sys/k_fpu")
    status = wait_exit(machine, pid, name, EXIT_TIMEOUT)
    text = machine.transcript[begin:].replace("\r", "")
    t.check(status == 0, f"k_fpu after the kills exited with status {status}")
    check_passes(t, text, "k_fpu", pid)


def test_fpu_lazy(t):
    run_fpu_scenario(t, "")


def test_fpu_eager(t):
    run_fpu_scenario(t, "fpu=eager")


def test_native_fpu(t):
    """A native program built with SSE2: initial state, fork copies, exec resets."""
    from test_programs import run_test_program
    run_test_program(t, "run /sys/fpu")
