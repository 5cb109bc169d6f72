#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-2-Clause
"""Colibri benchmarks under QEMU.

    tools/bench.py [--runs N] [--kvm] [--boot KIND ...] [--build-dir DIR] [--only NAME]

Progress goes to stderr; the LAST line of stdout is one JSON object, e.g.

    {"boot_ms_kernel": 180.2, "boot_ms_floppy": 950.0, "boot_ms_iso": 2400.5,
     "qemu_version": "7.2.22", "accelerator": "tcg", "runs": 5}

Adding a benchmark: write a function `name(options, log) -> dict` and append
it to BENCHMARKS; its keys are merged into the JSON object. A value that
could not be measured is null, and the exit status is then 1.

Machines run one after another, never in parallel, so they do not disturb
each other's timing.
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import sys
import time
from pathlib import Path

sys.dont_write_bytecode = True  # keep the source tree clean
sys.path.insert(0, str(Path(__file__).resolve().parent))
import qemu  # noqa: E402

PROMPT = "colibri> "
BOOT_TIMEOUT = 120.0


def log_to_stderr(message: str) -> None:
    print(f"bench: {message}", file=sys.stderr, flush=True)


def time_one_boot(options: argparse.Namespace, boot: str) -> float:
    """Milliseconds from starting QEMU to the shell prompt on COM1."""
    config = qemu.QemuConfig(boot=boot, build_dir=Path(options.build_dir), accel=options.accel)
    with qemu.Machine(config, name=f"bench-{boot}") as machine:
        machine.expect(re.escape(PROMPT), BOOT_TIMEOUT)
        elapsed_ms = (time.monotonic() - machine.start_time) * 1000.0
        machine.send("halt\r")
        try:
            status = machine.wait_exit(30)
            if status != qemu.EXIT_CLEAN_POWEROFF:
                log_to_stderr(f"  warning: {boot}: halt ended QEMU with {qemu.decode_exit_status(status)}")
        except qemu.ExpectTimeout:
            log_to_stderr(f"  warning: {boot}: 'halt' did not power the machine off")
    return elapsed_ms


def boot_times(options: argparse.Namespace, log) -> dict:
    """boot_ms_<kind>: median wall time from QEMU start to the prompt."""
    results = {}
    for boot in options.boots:
        key = f"boot_ms_{boot}"
        config = qemu.QemuConfig(boot=boot, build_dir=Path(options.build_dir))
        missing = config.missing_artefacts()
        if missing:
            log(f"{boot}: skipped, missing {', '.join(str(path) for path in missing)}")
            results[key] = None
            continue
        samples = []
        for run in range(1, options.runs + 1):
            try:
                milliseconds = time_one_boot(options, boot)
            except (qemu.ExpectTimeout, qemu.QemuError) as error:
                log(f"{boot}: run {run}/{options.runs} failed: {error}")
                continue
            samples.append(milliseconds)
            log(f"{boot}: run {run}/{options.runs}: {milliseconds:.1f} ms")
        if samples:
            results[key] = round(statistics.median(samples), 1)
            log(f"{boot}: median {results[key]:.1f} ms over {len(samples)} run(s)"
                f" (min {min(samples):.1f}, max {max(samples):.1f})")
        else:
            results[key] = None
    return results


def environment(options: argparse.Namespace, log) -> dict:
    return {"qemu_version": qemu.qemu_version(), "accelerator": options.accel, "runs": options.runs}


BENCHMARKS = [boot_times, environment]


def parse_arguments(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="colibri bench", description="Benchmark Colibri under QEMU.")
    parser.add_argument("--runs", type=int, default=5, help="boots per path (default 5)")
    parser.add_argument("--kvm", action="store_true", help="use KVM instead of TCG")
    parser.add_argument("--boot", action="append", choices=qemu.BOOT_KINDS, dest="boots",
        help="boot path(s) to time (default: all)")
    parser.add_argument("--build-dir", default=str(Path(__file__).resolve().parent.parent / "build"), metavar="DIR")
    parser.add_argument("--only", action="append", metavar="NAME",
        help="run only these benchmark functions: " + ", ".join(function.__name__ for function in BENCHMARKS))
    options = parser.parse_args(argv)
    if options.runs < 1:
        parser.error("--runs must be at least 1")
    options.boots = options.boots or list(qemu.BOOT_KINDS)
    options.accel = "kvm" if options.kvm else "tcg"
    return options


def main(argv: list[str]) -> int:
    options = parse_arguments(argv)
    qemu.install_signal_cleanup()
    results: dict = {}
    for benchmark in BENCHMARKS:
        if options.only and benchmark.__name__ not in options.only and benchmark is not environment:
            continue
        log_to_stderr(f"{benchmark.__name__} ...")
        results.update(benchmark(options, log_to_stderr))
    print(json.dumps(results), flush=True)
    return 1 if any(value is None for value in results.values()) else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
