# SPDX-License-Identifier: BSD-2-Clause
"""Kernel self-tests, the deliberate page fault and the wrong-magic refusal."""

import re
import subprocess
import time
from pathlib import Path

from qemu import ExpectTimeout
from vmlib import BANNER, BOOT_TIMEOUT, PROMPT

KTEST_TIMEOUT = 90.0
HERE = Path(__file__).resolve().parent


def test_ktest(t):
    """`ktest` on the command line: every `ktest:` line becomes a case."""
    machine = t.machine(append="ktest")
    try:
        status = machine.wait_exit(KTEST_TIMEOUT)
    except ExpectTimeout:
        status = None  # still report the cases that did run, then fail below
    text = machine.transcript.replace("\r", "")
    passed = failed = 0
    for line in text.split("\n"):
        match = re.match(r"ktest: PASS (\S+)\s*$", line)
        if match:
            t.case(match.group(1), True)
            passed += 1
            continue
        match = re.match(r"ktest: FAIL (\S+?):\s*(.*)$", line)
        if match:
            t.case(match.group(1), False, match.group(2))
            failed += 1
    summary = re.search(r"ktest: (\d+) passed, (\d+) failed", text)
    if status is None:
        t.fail(f"QEMU still running after {KTEST_TIMEOUT:g} s ({passed} passed, {failed} failed so far)")
    t.check(summary is not None, f"no 'ktest: N passed, M failed' summary (QEMU exit status {status})")
    reported = (int(summary.group(1)), int(summary.group(2)))
    t.check(reported == (passed, failed),
        f"summary says {reported[0]} passed, {reported[1]} failed but {passed} PASS / {failed} FAIL lines were printed")
    t.check(passed + failed > 0, "no self-test ran")
    t.check(status == 1, f"QEMU exit status {status}, expected 1 (all passed); {failed} failed")


test_ktest.timeout = 150.0


def test_page_fault_backtrace(t):
    """crashtest=pagefault: exception report with a symbolized backtrace, then power-off."""
    machine = t.machine(append="crashtest=pagefault panic=poweroff")
    machine.expect(r"(?i)page fault", BOOT_TIMEOUT)
    machine.expect(r"backtrace:", BOOT_TIMEOUT)
    status = machine.wait_exit(BOOT_TIMEOUT)
    text = machine.transcript.replace("\r", "")
    after = text[text.find("backtrace:"):]
    frames = [line for line in after.split("\n")[1:] if line.strip()]
    t.check(any("trigger_deliberate_page_fault" in line for line in frames),
        f"no backtrace line names trigger_deliberate_page_fault: {frames[:12]}")
    t.check(status == 255, f"QEMU exit status {status}, expected 255 (panic=poweroff)")
    t.check(PROMPT not in text, "the shell started although the kernel should have crashed before it")


test_page_fault_backtrace.timeout = 150.0


def build_chain_loader(t) -> Path:
    """Assemble tests/vm/badmagic.asm into a Multiboot ELF in the test's scratch directory."""
    output = t.work_dir / "badmagic.elf"
    result = subprocess.run(["nasm", "-f", "bin", "-o", str(output), str(HERE / "badmagic.asm")],
        capture_output=True, text=True)
    t.check(result.returncode == 0, f"nasm failed: {result.stderr.strip()}")
    return output


def test_bad_magic(t):
    """A loader that passes the wrong magic gets a clear refusal on COM1 and on screen."""
    loader = build_chain_loader(t)
    kernel = t.build_dir / "kernel.elf"
    t.check(kernel.is_file(), f"missing {kernel}")
    machine = t.machine(kernel_override=loader, initrd_override=kernel)
    machine.expect(r"badmagic: jumping", BOOT_TIMEOUT)
    machine.expect(r"(?i)bad multiboot magic", BOOT_TIMEOUT)
    # The kernel writes the screen and the serial port at about the same
    # time; give the screen a moment.
    deadline = time.monotonic() + 10
    while True:
        screen = "\n".join(machine.vga_text())
        if re.search(r"(?i)bad multiboot magic", screen) or time.monotonic() > deadline:
            break
        time.sleep(0.5)
    t.check(re.search(r"(?i)bad multiboot magic", screen) is not None,
        "the message is not on the VGA text screen; screen:\n" + screen.rstrip())
    # It must stop there: no banner, no shell.
    time.sleep(1.0)
    t.check(re.search(BANNER, machine.transcript) is None, "the kernel printed its banner despite the wrong magic")
    t.check(PROMPT not in machine.transcript, "the shell started despite the wrong magic")
    t.check(machine.is_running(), "QEMU exited instead of the kernel halting")


def test_heap_double_free(t):
    """crashtest=doublefree: the heap's debug checks catch a double free and panic with a backtrace."""
    machine = t.machine(append="crashtest=doublefree panic=poweroff")
    machine.expect(r"PANIC: heap: double free", BOOT_TIMEOUT)
    machine.expect(r"backtrace:", BOOT_TIMEOUT)
    status = machine.wait_exit(BOOT_TIMEOUT)
    text = machine.transcript.replace("\r", "")
    after = text[text.find("backtrace:"):]
    t.check("trigger_deliberate_double_free" in after,
        "the backtrace does not name trigger_deliberate_double_free:\n" + after[:800])
    t.check(status == 255, f"QEMU exit status {status}, expected 255 (panic=poweroff)")


test_heap_double_free.timeout = 150.0
