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

The keys:

* boot_ms_<kind>: wall time on the host from starting QEMU to the shell
  prompt, for each boot path (kernel, floppy, iso).
* The micro-benchmarks (function `microbenchmarks`) are timed INSIDE the
  guest with the TSC, by the programs user/bench/bench.c (native, int 0x80)
  and user/bench/kbench.asm (KolibriOS, int 0x40). Each program takes the
  median over 31 batches; the JSON value is the median of that over --runs
  runs in one boot (QEMU with -mem-prealloc, so that the host's first touch
  of guest RAM is not counted as a guest page fault):
  - syscall_kolibri_ns: one call of KolibriOS function 26.9 (tick count)
    through int 0x40, from the user's int to the instruction after it;
  - syscall_native_ns: one SYS_GETPID through int 0x80;
  - page_fault_demand_zero_ns: the first write to a page of a fresh
    anonymous private mmap (one demand-zero fault: a zeroed frame mapped);
  - fork_cow_16mb_us: the fork() call, seen by the parent, of a process
    with 16 MiB of touched anonymous memory (all pages shared copy-on-write);
  - fork_cow_first_write_ns: the child's first write to one of those pages
    (a copy-on-write fault that copies the frame);
  - thread_switch_ns: one switch between two threads of a process that
    hand a token back and forth, each waiting with SYS_YIELD (the yield
    system call plus the context switch).
  - thread_switch_fpu_ns (optional): the same with both threads touching an
    XMM register in every turn, so each switch also moves the x87/SSE state
    (docs/fpu.md compares it under fpu=lazy and fpu=eager).
  The micro machine has a disk: a fresh 512 MiB FAT32 image (mkfs.fat,
  4 KiB clusters) on virtio-blk, /hd0/1 in the guest, written in place.
  user/bench/fsbench.c times, with clock_ns (MB = 2^20 bytes):
  - fat_seq_write_mb_s: a 64 MiB file written in 64 KiB write() calls,
    then fsync (open to the end of fsync);
  - fat_seq_read_mb_s: that file read back in 64 KiB read() calls, all
    from the disk (64 KiB transfers bypass the 2 MiB cache);
  - fat_create_files_s: 1000 files of 1 KiB created, written and closed
    in a new folder, per second, including the final sync().
  - ipc_roundtrip_ns: two processes ping-pong a 64-byte message over two
    channels (<colibri/channel.h>); one send and one receive each way.
  - pipe_roundtrip_ns (optional): the same ping-pong over two pipes.
  - event_wait_1000_watched_ns: one eq_wait returning the single ready
    word of an event queue that watches 1000 words.
  - kolibri_ipc_roundtrip_ns (from kbench): a 4-byte KolibriOS function 60
    message to a second thread and its answer, each side waiting for event
    7 (function 10 / 23).
  aio_qd32_iops and sync_read_iops are taken too when a guest program
  prints them (`bench: key=value`); they are not required.
* The GUI benchmarks (function `gui_benchmarks`) are timed inside the guest
  with the TSC by user/bench/gbench.asm, a KolibriOS program with a 640x480
  skinned window (style 3) on the default display (-vga std, 1024x768x32),
  in a boot of its own with `inputlog loglevel=debug`. gbench calibrates the
  TSC against function 26.9; each value is the median over 63 batches (the
  event round trip: over 31 keys), and the JSON value the median over --runs
  runs in one boot. Under TCG the guest's TSC runs with the host's clock, so
  a busy host slows the figures down (up to twice, seen on two CPUs with
  parallel builds); the medians only remove short disturbances:
  - fill_rect_mpix_s: function 13 filling the window's whole client area
    (630x453 pixels), megapixels per second. Colibri draws into its back
    buffer; the copy to the screen comes later (function 10/11/12.2 or the
    GUI thread within 20 ms) and is not part of this figure;
  - text_chars_s: function 4 with 64-character strings in the 8x16 font
    (cp866, no background), characters per second (back buffer, as above);
  - window_redraw_us: one full redraw: 12.1, function 0 (frame, skin,
    caption, system buttons, work area), 20 lines of 64 characters
    (function 4) and 4 buttons (function 8), 12.2. 12.2 copies what changed
    (the whole window) from the back buffer to the framebuffer before it
    returns, so the redraw time includes the flush to the screen;
  - event_roundtrip_us: from a key's PS/2 interrupt to the program running
    again with the key: bench.py types 'a' through QEMU's monitor (sendkey);
    the kernel reads the TSC when the keyboard interrupt that delivers the
    key enters its handler and, with `inputlog`, logs it
    (`input: key 0x1e down irq tsc=0x...`, kernel/gui/KernelInput.cpp);
    gbench reads the TSC right after function 10 returns the key event and
    prints it when it ends. The difference covers the interrupt, the GUI
    thread handing the key to the window's thread and the switch back to
    the program; the host's delivery of the key to the guest is not in it.
* kpck_unpack_mb_s_host (function `kpck_benchmark`): exec::kpck::unpack
  (LZMA and call-trick 1) on the host, optimized, on the stripped kernel
  packed by tools/kpack.py; unpacked megabytes (10^6 bytes) per second
  (tests/bench/kpck_bench.cpp).

Machines run one after another, never in parallel, so they do not disturb
each other's timing.
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import subprocess
import sys
import tempfile
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


# The guest micro-benchmark programs (ramdisk names, with their arguments)
# and the keys they print as `bench: key=value` lines; kbench prints cycles,
# converted here with the TSC frequency bench measured. fsbench works on the
# FAT disk the micro machine gets (/hd0/1, see make_bench_disk).
MICRO_PROGRAMS = ("bench", "kbench", "fsbench /hd0/1")
MICRO_KEYS = ("syscall_kolibri_ns", "syscall_native_ns", "page_fault_demand_zero_ns", "fork_cow_16mb_us",
              "fork_cow_first_write_ns", "thread_switch_ns", "fat_seq_write_mb_s", "fat_seq_read_mb_s",
              "fat_create_files_s", "ipc_roundtrip_ns", "event_wait_1000_watched_ns")
# Keys a guest program may print as well (asynchronous I/O figures of
# bench.c): reported when they appear, not required.
MICRO_OPTIONAL_KEYS = ("aio_qd32_iops", "sync_read_iops", "kolibri_ipc_roundtrip_ns", "pipe_roundtrip_ns",
                       "thread_switch_fpu_ns")
# The benchmark disk: a FAT32 image of this size with 4 KiB clusters (what
# FAT32 volumes of a few GiB get by default), on virtio-blk.
BENCH_DISK_MIB = 512
MICRO_REPLY_TIMEOUT = 30.0
MICRO_PROGRAM_TIMEOUT = 300.0
BENCH_LINE = re.compile(r"bench: (\w+)=([0-9]+(?:\.[0-9]+)?)")


def run_guest_program(machine: qemu.Machine, program: str) -> tuple[int, dict[str, float]]:
    """Runs /sys/<program> (its name and arguments) from the shell and waits
    for it to end.

    Returns its exit status and the `bench: key=value` values it printed.
    """
    begin = machine.cursor
    machine.send(f"run /sys/{program}\r")
    started = machine.expect(r"started process (\d+) \((\S+)\)|run: [^\r\n]*", MICRO_REPLY_TIMEOUT)
    if started.group(1) is None:
        raise qemu.QemuError(f"{program}: {started.group(0).strip()}")
    # The program may print (and even end) before the shell's "started" line.
    machine.cursor = begin
    exited = machine.expect(rf"process {started.group(1)} \({re.escape(started.group(2))}\) "
                            r"exited with status (-?\d+)", MICRO_PROGRAM_TIMEOUT)
    output = machine.transcript[begin:exited.start()]
    values = {match.group(1): float(match.group(2)) for match in BENCH_LINE.finditer(output)}
    return int(exited.group(1)), values


def make_bench_disk(directory: Path) -> Path:
    """A fresh, empty FAT32 image for fsbench (and anything else that wants
    a disk in the micro machine)."""
    image = directory / "bench-disk.img"
    result = subprocess.run(["mkfs.fat", "-F", "32", "-s", "8", "-n", "BENCH", "-C", str(image),
                             str(BENCH_DISK_MIB * 1024)], capture_output=True, text=True)
    if result.returncode != 0:
        raise qemu.QemuError(f"mkfs.fat failed: {result.stderr.strip()}")
    return image


def microbenchmarks(options: argparse.Namespace, log) -> dict:
    """The guest-timed micro-benchmarks (see the module docstring)."""
    with tempfile.TemporaryDirectory(prefix="colibri-bench-") as scratch:
        return microbenchmarks_with_disk(options, log, Path(scratch))


def microbenchmarks_with_disk(options: argparse.Namespace, log, scratch: Path) -> dict:
    results: dict = {key: None for key in MICRO_KEYS}
    try:
        disk = make_bench_disk(scratch)
    except (OSError, qemu.QemuError) as error:
        log(f"micro: no benchmark disk: {error}")
        disk = None
    # The writes go to the scratch image itself (no overlay), as on a disk.
    config = qemu.QemuConfig(boot="kernel", build_dir=Path(options.build_dir), accel=options.accel,
                             extra_args=["-mem-prealloc"], disks=[disk] if disk else [], disk_bus="virtio",
                             snapshot=False)
    missing = config.missing_artefacts()
    if missing:
        log(f"micro: skipped, missing {', '.join(str(path) for path in missing)}")
        return results
    samples: dict[str, list[float]] = {key: [] for key in MICRO_KEYS + MICRO_OPTIONAL_KEYS}
    try:
        with qemu.Machine(config, name="bench-micro") as machine:
            machine.expect(re.escape(PROMPT), BOOT_TIMEOUT)
            for run in range(1, options.runs + 1):
                values: dict[str, float] = {}
                for program in MICRO_PROGRAMS:
                    status, printed = run_guest_program(machine, program)
                    if status != 0:
                        log(f"micro: run {run}: {program} exited with status {status}")
                    values.update(printed)
                tsc_hz = values.get("tsc_hz")
                if tsc_hz and "syscall_kolibri_cycles" in values:
                    values["syscall_kolibri_ns"] = values["syscall_kolibri_cycles"] * 1e9 / tsc_hz
                if tsc_hz and "kolibri_ipc_roundtrip_cycles" in values:
                    values["kolibri_ipc_roundtrip_ns"] = values["kolibri_ipc_roundtrip_cycles"] * 1e9 / tsc_hz
                for key in MICRO_KEYS + MICRO_OPTIONAL_KEYS:
                    if key in values:
                        samples[key].append(values[key])
                log(f"micro: run {run}/{options.runs}: "
                    + ", ".join(f"{key}={values[key]:.1f}" for key in MICRO_KEYS + MICRO_OPTIONAL_KEYS
                                if key in values))
            machine.send("halt\r")
            try:
                machine.wait_exit(30)
            except qemu.ExpectTimeout:
                log("micro: warning: 'halt' did not power the machine off")
    except (qemu.ExpectTimeout, qemu.QemuError) as error:
        log(f"micro: failed: {error}")
    for key in MICRO_KEYS:
        if samples[key]:
            results[key] = round(statistics.median(samples[key]), 1)
        else:
            log(f"micro: {key} was not measured")
    for key in MICRO_OPTIONAL_KEYS:
        if samples[key]:
            results[key] = round(statistics.median(samples[key]), 1)
    return results


# The GUI benchmark program (ramdisk name) and what it prints: `bench:`
# lines with TSC cycles and counts, `gbench: key N woke at tsc 0x...` per key.
GUI_PROGRAM = "gbench"
GUI_KEYS = ("fill_rect_mpix_s", "text_chars_s", "window_redraw_us", "event_roundtrip_us")
GUI_APPEND = "inputlog loglevel=debug"
GUI_KEY_PRESSES = 31
GUI_KEY_HOLD_MS = 20
GUI_WAKE_LINE = re.compile(r"gbench: key (\d+) woke at tsc 0x([0-9A-Fa-f]+)")
GUI_IRQ_LINE = re.compile(r"input: key 0x1e down irq tsc=0x([0-9a-f]+)")


def run_gbench(machine: qemu.Machine) -> dict[str, float]:
    """One run of gbench: its drawing figures, then GUI_KEY_PRESSES keys 'a'
    and a 'q' that ends it. Returns the GUI_KEYS it could compute."""
    begin = machine.cursor
    machine.send(f"run /sys/{GUI_PROGRAM}\r")
    started = machine.expect(r"started process (\d+) \((\S+)\)|run: [^\r\n]*", MICRO_REPLY_TIMEOUT)
    if started.group(1) is None:
        raise qemu.QemuError(f"{GUI_PROGRAM}: {started.group(0).strip()}")
    pid, name = started.group(1), started.group(2)
    machine.cursor = begin
    machine.expect(r"gbench: ready for keys", MICRO_PROGRAM_TIMEOUT)
    time.sleep(0.2)
    for _ in range(GUI_KEY_PRESSES):
        machine.monitor(f"sendkey a {GUI_KEY_HOLD_MS}")
        # The release is logged after the press was handled: the guest is
        # idle again before the next key.
        machine.expect(r"input: key 0x1e up irq tsc=", MICRO_REPLY_TIMEOUT)
        time.sleep(0.02)
    machine.monitor(f"sendkey q {GUI_KEY_HOLD_MS}")
    exited = machine.expect(rf"process {pid} \({re.escape(name)}\) exited with status (-?\d+)",
                            MICRO_PROGRAM_TIMEOUT)
    if exited.group(1) != "0":
        raise qemu.QemuError(f"{GUI_PROGRAM} exited with status {exited.group(1)}")
    output = machine.transcript[begin:exited.start()]
    printed = {match.group(1): float(match.group(2)) for match in BENCH_LINE.finditer(output)}
    values: dict[str, float] = {}
    tsc_hz = printed.get("tsc_khz", 0) * 1000.0
    if not tsc_hz:
        return values
    if printed.get("fill_rect_cycles"):
        values["fill_rect_mpix_s"] = printed["fill_rect_pixels"] * tsc_hz / printed["fill_rect_cycles"] / 1e6
    if printed.get("text_cycles"):
        values["text_chars_s"] = printed["text_chars"] * tsc_hz / printed["text_cycles"]
    if printed.get("window_redraw_cycles"):
        values["window_redraw_us"] = printed["window_redraw_cycles"] * 1e6 / tsc_hz
    wakes = [int(match.group(2), 16) for match in GUI_WAKE_LINE.finditer(output)]
    irqs = [int(match.group(1), 16) for match in GUI_IRQ_LINE.finditer(output)]
    if len(wakes) != GUI_KEY_PRESSES or len(irqs) != GUI_KEY_PRESSES:
        raise qemu.QemuError(f"{GUI_PROGRAM}: {len(wakes)} key wakeups and {len(irqs)} key interrupts "
                             f"for {GUI_KEY_PRESSES} keys")
    deltas = [wake - irq for wake, irq in zip(wakes, irqs)]
    if any(delta <= 0 for delta in deltas):
        raise qemu.QemuError(f"{GUI_PROGRAM}: a key woke the program before its interrupt: {deltas}")
    values["event_roundtrip_us"] = statistics.median(deltas) * 1e6 / tsc_hz
    return values


def gui_benchmarks(options: argparse.Namespace, log) -> dict:
    """The guest-timed GUI benchmarks of gbench (see the module docstring)."""
    results: dict = {key: None for key in GUI_KEYS}
    config = qemu.QemuConfig(boot="kernel", build_dir=Path(options.build_dir), accel=options.accel,
                             append=GUI_APPEND, extra_args=["-mem-prealloc"])
    missing = config.missing_artefacts()
    if missing:
        log(f"gui: skipped, missing {', '.join(str(path) for path in missing)}")
        return results
    samples: dict[str, list[float]] = {key: [] for key in GUI_KEYS}
    try:
        with qemu.Machine(config, name="bench-gui") as machine:
            machine.expect(re.escape(PROMPT), BOOT_TIMEOUT)
            for run in range(1, options.runs + 1):
                try:
                    values = run_gbench(machine)
                except qemu.QemuError as error:
                    log(f"gui: run {run}: {error}")
                    break  # gbench may still be waiting for keys
                for key in GUI_KEYS:
                    if key in values:
                        samples[key].append(values[key])
                log(f"gui: run {run}/{options.runs}: "
                    + ", ".join(f"{key}={values[key]:.1f}" for key in GUI_KEYS if key in values))
            machine.send("halt\r")
            try:
                machine.wait_exit(30)
            except qemu.ExpectTimeout:
                log("gui: warning: 'halt' did not power the machine off")
    except (qemu.ExpectTimeout, qemu.QemuError) as error:
        log(f"gui: failed: {error}")
    for key in GUI_KEYS:
        if samples[key]:
            results[key] = round(statistics.median(samples[key]), 1)
        else:
            log(f"gui: {key} was not measured")
    return results


def host_benchmarks(options: argparse.Namespace, log) -> dict:
    """The lock-free ring (lib/ipc/Ring.h) on the host: two threads passing
    64-byte messages, best of 5 rounds (tests/bench/ring_bench.cpp), next to
    boost::lockfree::spsc_queue from Debian's libboost-dev."""
    program = Path(options.build_dir) / "host" / "tests" / "bench" / "ring_bench"
    keys = ("ring_msgs_s_host", "ring_batched_msgs_s_host", "boost_spsc_msgs_s_host")
    if not program.exists():
        log(f"host: {program} is missing (./colibri bench builds it)")
        return {"ring_msgs_s_host": None}
    output = subprocess.run([str(program), "2000000"], capture_output=True, text=True, timeout=600).stdout
    results: dict = {}
    for line in output.splitlines():
        parts = line.split()
        if len(parts) == 2 and parts[0] in keys:
            results[parts[0]] = float(parts[1])
    log("host: " + ", ".join(f"{key}={value:.0f}" for key, value in results.items()))
    results.setdefault("ring_msgs_s_host", None)
    return results


def kpck_benchmark(options: argparse.Namespace, log) -> dict:
    """KPCK unpacking speed on the host (tests/bench/kpck_bench.cpp)."""
    build = Path(options.build_dir)
    program = build / "host" / "tests" / "bench" / "kpck_bench"
    source = build / "cross" / "kernel.stripped.elf"
    if not program.exists() or not source.exists():
        log(f"kpck: {program} or {source} is missing (./colibri bench builds them)")
        return {"kpck_unpack_mb_s_host": None}
    with tempfile.TemporaryDirectory() as folder:
        packed = Path(folder) / "kernel.kpck"
        subprocess.run([sys.executable, str(Path(__file__).parent / "kpack.py"), "--call-trick", "1",
                        str(source), str(packed)], check=True, timeout=600)
        output = subprocess.run([str(program), str(packed)], capture_output=True, text=True, timeout=600).stdout
    for line in output.splitlines():
        parts = line.split()
        if len(parts) == 2 and parts[0] == "kpck_unpack_mb_s_host":
            log(f"kpck: {parts[1]} MB/s")
            return {"kpck_unpack_mb_s_host": float(parts[1])}
    log("kpck: kpck_bench printed no result")
    return {"kpck_unpack_mb_s_host": None}


def environment(options: argparse.Namespace, log) -> dict:
    return {"qemu_version": qemu.qemu_version(), "accelerator": options.accel, "runs": options.runs}


BENCHMARKS = [boot_times, microbenchmarks, gui_benchmarks, host_benchmarks, kpck_benchmark, environment]


def parse_arguments(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="colibri bench", description="Benchmark Colibri under QEMU.")
    parser.add_argument("--runs", type=int, default=5,
        help="boots per path, and runs of the guest micro-benchmarks (default 5)")
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
