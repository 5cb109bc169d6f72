#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-2-Clause
"""Boot the real kernel under QEMU and run the scenarios in tests/vm/.

    tools/vmtest.py [--build-dir DIR] [-k PATTERN] [--verbose] [--jobs N] [--kvm] [--list]

A scenario file is tests/vm/test_<group>.py; every function in it named
test_<case>(t) is a test called "<group>.<case>". `t` is a TestContext: it
starts machines (each test boots its own QEMU), records sub-cases (the
kernel self-tests report one case per `ktest:` line) and knows the build
directory. A test fails by raising (t.fail(...), assert, ExpectTimeout, ...).
A function attribute `timeout` (seconds) overrides the default watchdog.

Output: `PASS name` or `FAIL name: reason` followed by the tail of the
serial transcript, and last `vm: N passed, M failed`. Exit status 1 when
anything failed (or nothing ran), else 0.
"""

from __future__ import annotations

import argparse
import fnmatch
import importlib.util
import os
import shutil
import signal
import sys
import tempfile
import threading
import time
import traceback
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

TOOLS = Path(__file__).resolve().parent
ROOT = TOOLS.parent
SCENARIOS = ROOT / "tests" / "vm"
sys.dont_write_bytecode = True  # keep the source tree clean
sys.path.insert(0, str(TOOLS))
sys.path.insert(0, str(SCENARIOS))  # scenarios share helpers in tests/vm/vmlib.py
import qemu  # noqa: E402

DEFAULT_TIMEOUT = 120.0  # TCG on a shared machine; GRUB boots take seconds


class TestFailure(Exception):
    """A check in a scenario did not hold."""


class TestContext:
    """What a scenario function gets: machines, checks and sub-cases."""

    def __init__(self, name: str, options: argparse.Namespace, work_dir: Path):
        self.name = name
        self.build_dir = Path(options.build_dir)
        self.accel = "kvm" if options.kvm else "tcg"
        self.verbose = options.verbose
        self.work_dir = work_dir  # private scratch directory for this test
        self.machines: list[qemu.Machine] = []
        self.cases: list[tuple[str, bool, str]] = []
        self.timed_out = False
        self._lock = threading.Lock()

    def machine(self, boot: str = "kernel", append: str = "", no_reboot: bool = True, memory_mb: int = 128,
                **config) -> qemu.Machine:
        """Start a headless QEMU; it is stopped when the test ends."""
        configuration = qemu.QemuConfig(boot=boot, build_dir=self.build_dir, append=append, no_reboot=no_reboot,
            memory_mb=memory_mb, accel=self.accel, **config)
        machine = qemu.Machine(configuration, name=self.name)
        with self._lock:
            if self.timed_out:
                raise TestFailure("test timed out")
            self.machines.append(machine)
        machine.start()
        return machine

    def case(self, name: str, passed: bool, reason: str = "") -> None:
        """Report a sub-case (shown as its own PASS/FAIL line)."""
        self.cases.append((name, passed, reason))

    def fail(self, reason: str) -> None:
        raise TestFailure(reason)

    def check(self, condition: bool, reason: str) -> None:
        if not condition:
            raise TestFailure(reason)

    def stop_all(self) -> None:
        for machine in list(self.machines):
            machine.kill()

    def on_timeout(self) -> None:
        with self._lock:
            self.timed_out = True
        self.stop_all()


class Test:
    def __init__(self, name: str, function, timeout: float):
        self.name = name
        self.function = function
        self.timeout = timeout


def discover(directory: Path) -> list[Test]:
    tests = []
    for path in sorted(directory.glob("test_*.py")):
        group = path.stem[len("test_"):]
        spec = importlib.util.spec_from_file_location(f"vm_{group}", path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        module_timeout = getattr(module, "TIMEOUT", DEFAULT_TIMEOUT)
        for attribute, function in vars(module).items():
            if attribute.startswith("test_") and callable(function):
                name = f"{group}.{attribute[len('test_'):]}"
                tests.append(Test(name, function, getattr(function, "timeout", module_timeout)))
    return tests


def selected(test: Test, patterns: list[str]) -> bool:
    if not patterns:
        return True
    return any(pattern in test.name or fnmatch.fnmatchcase(test.name, pattern) for pattern in patterns)


class Reporter:
    def __init__(self, verbose: bool):
        self.verbose = verbose
        self.passed = 0
        self.failed = 0
        self._lock = threading.Lock()

    def report(self, name: str, passed: bool, reason: str = "", details: str = "", seconds: float | None = None):
        with self._lock:
            timing = f" ({seconds:.1f} s)" if seconds is not None and self.verbose else ""
            if passed:
                self.passed += 1
                print(f"PASS {name}{timing}", flush=True)
            else:
                self.failed += 1
                print(f"FAIL {name}: {reason}{timing}", flush=True)
                if details:
                    print(details, flush=True)


def indent(text: str, prefix: str = "    | ") -> str:
    return "\n".join(prefix + line for line in text.splitlines())


def failure_details(context: TestContext, error: BaseException | None, verbose: bool) -> str:
    parts = []
    for index, machine in enumerate(context.machines):
        label = f"serial transcript tail ({machine.config.boot}" + (f", machine {index + 1}" if len(context.machines) > 1 else "") + ")"
        tail = machine.transcript_tail(40 if verbose else 20)
        parts.append(f"  {label}:\n" + (indent(tail) if tail.strip() else "    | (nothing)"))
        output = "\n".join(line for line in machine.qemu_output().splitlines()
                           if "terminating on signal" not in line)
        if output:
            parts.append("  QEMU said:\n" + indent(output))
    if verbose and error is not None and not isinstance(error, (TestFailure, qemu.ExpectTimeout, qemu.QemuError)):
        parts.append("  traceback:\n" + indent("".join(traceback.format_exception(error)).rstrip()))
    return "\n".join(parts)


_interrupted = threading.Event()


def install_interrupt_handler() -> None:
    def handler(signum, frame):
        _interrupted.set()
        qemu.kill_all_machines()
        raise SystemExit(128 + signum)

    signal.signal(signal.SIGINT, handler)
    signal.signal(signal.SIGTERM, handler)


def run_test(test: Test, options: argparse.Namespace, reporter: Reporter, scratch: Path) -> None:
    work_dir = Path(tempfile.mkdtemp(prefix=test.name.replace(".", "-") + "-", dir=scratch))
    context = TestContext(test.name, options, work_dir)
    watchdog = threading.Timer(test.timeout, context.on_timeout)
    watchdog.daemon = True
    started = time.monotonic()
    error: BaseException | None = None
    watchdog.start()
    try:
        test.function(context)
    except BaseException as caught:  # noqa: BLE001 - a scenario may raise anything
        error = caught
    finally:
        watchdog.cancel()
    seconds = time.monotonic() - started
    if context.timed_out and error is None:
        error = TestFailure("stopped by the watchdog")
    try:
        if _interrupted.is_set():
            return  # the user stopped the run: a killed machine is no failure
        if error is None:
            reason = ""
        elif context.timed_out:
            reason = f"test timed out after {test.timeout:g} s ({error})"
        elif isinstance(error, (TestFailure, qemu.ExpectTimeout, qemu.QemuError, AssertionError)):
            reason = str(error) or type(error).__name__
        else:
            reason = f"{type(error).__name__}: {error}"
        for name, passed, case_reason in context.cases:
            reporter.report(f"{test.name}.{name}", passed, case_reason)
        details = failure_details(context, error, options.verbose) if error is not None else ""
        reporter.report(test.name, error is None, reason, details, seconds)
    finally:
        context.stop_all()
        shutil.rmtree(work_dir, ignore_errors=True)


def parse_arguments(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="vmtest", description="Run the QEMU scenarios in tests/vm/.")
    parser.add_argument("--build-dir", default=str(ROOT / "build"), metavar="DIR")
    parser.add_argument("-k", dest="patterns", action="append", default=[], metavar="PATTERN",
        help="run only tests whose name contains PATTERN or matches it as a glob (repeatable)")
    parser.add_argument("--verbose", "-v", action="store_true", help="timings, longer transcripts, tracebacks")
    parser.add_argument("--jobs", "-j", type=int, default=2, help="QEMUs at once (default 2)")
    parser.add_argument("--kvm", action="store_true", help="use KVM instead of TCG")
    parser.add_argument("--list", action="store_true", help="list the tests and exit")
    return parser.parse_args(argv)


def main(argv: list[str]) -> int:
    options = parse_arguments(argv)
    install_interrupt_handler()
    tests = [test for test in discover(SCENARIOS) if selected(test, options.patterns)]
    if options.list:
        for test in tests:
            print(test.name)
        return 0
    reporter = Reporter(options.verbose)
    if not tests:
        print("vm: no tests selected", file=sys.stderr)
    scratch = Path(tempfile.mkdtemp(prefix="colibri-vmtest-"))
    os.environ["COLIBRI_VMTEST_SCRATCH"] = str(scratch)
    try:
        # Each worker thread starts and stops its own machines (qemu.Machine
        # relies on that to have QEMU killed if this process dies).
        with ThreadPoolExecutor(max_workers=max(1, options.jobs)) as pool:
            futures = [pool.submit(run_test, test, options, reporter, scratch) for test in tests]
            for future in futures:
                future.result()
    finally:
        qemu.kill_all_machines()
        shutil.rmtree(scratch, ignore_errors=True)
    print(f"vm: {reporter.passed} passed, {reporter.failed} failed", flush=True)
    return 0 if reporter.failed == 0 and reporter.passed > 0 else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
