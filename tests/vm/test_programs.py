# SPDX-License-Identifier: BSD-2-Clause
"""User programs from the ramdisk: the native tests (ELF, int 0x80) and the
KolibriOS tests (MENUET01, int 0x40), started with the shell's `run`. Every
program prints `PASS name/check` or `FAIL name/check: reason` lines and a
verdict line; each line becomes a check here. Also `ps`, `kill` and `vm`."""

import re

from vmlib import PROMPT, REPLY_TIMEOUT, boot_to_prompt, run_command

EXIT_TIMEOUT = 120.0


def start(t, machine, command: str) -> tuple[int, str]:
    """`run ...` in the shell; returns the new process's pid and name. The
    cursor is left where the command was typed: the program may have run
    and exited before the shell's "started" line."""
    begin = machine.cursor
    path = command.split()[1]
    name = re.escape(path.rsplit("/", 1)[-1].lower())
    machine.send(command + "\r")
    # Named: an earlier program's "started" line may come late.
    match = machine.expect(rf"started process (\d+) \(({name})\)|run: {re.escape(path)}: .*", REPLY_TIMEOUT)
    t.check(match.group(1) is not None, f"{command!r} did not start: {match.group(0)!r}")
    machine.expect(re.escape(PROMPT), REPLY_TIMEOUT)
    machine.cursor = begin
    return int(match.group(1)), match.group(2)


def resync(machine) -> None:
    """Moves the cursor past everything the shell has printed so far (the
    order of program output, log lines and prompts is not fixed), so that
    run_command sees only the next command's reply."""
    machine.send("resync\r")
    machine.expect(r"unknown command: resync\s*\n", REPLY_TIMEOUT)
    machine.expect(re.escape(PROMPT), REPLY_TIMEOUT)


def wait_exit(machine, pid: int, name: str, timeout: float = EXIT_TIMEOUT) -> int:
    match = machine.expect(rf"process {pid} \({re.escape(name)}\) exited with status (-?\d+)", timeout)
    return int(match.group(1))


def run_test_program(t, command: str, expected_status: int | None = 0, timeout: float = EXIT_TIMEOUT,
                     memory: int | None = None, known_gaps: dict[str, str] | None = None) -> str:
    """Boots, runs the program, checks every PASS/FAIL line and its verdict,
    then checks that the shell still answers. Returns the transcript.

    `known_gaps` maps checks (`test/check`) that are known to fail to the
    reason (a missing feature). They must fail: a known gap that passes is
    reported, so the list cannot go stale. With known gaps the verdict line
    may be FAIL, as long as every failure is a known one."""
    known_gaps = known_gaps or {}
    options = {"memory_mb": memory} if memory else {}
    machine = boot_to_prompt(t, **options)
    begin = machine.cursor
    pid, name = start(t, machine, command)
    status = wait_exit(machine, pid, name, timeout)
    text = machine.transcript[begin:].replace("\r", "")
    # The shell's prompt may land at the start of a program's line (the
    # program runs on while the shell prints "started ..." and the prompt).
    failures = re.findall(r"(?m)^(?:colibri> )*FAIL (\S+?):? (.*)$", text)
    passes = re.findall(r"(?m)^(?:colibri> )*PASS (\S+)\s*$", text)
    failed_checks = {check for check, _ in failures if "/" in check}
    for check, reason in failures:
        if check in known_gaps:
            continue
        if "/" not in check and known_gaps and failed_checks and failed_checks <= set(known_gaps):
            continue  # the verdict line, failing only because of known gaps
        t.check(False, f"{check}: {reason}")
    for check, reason in known_gaps.items():
        t.check(check not in passes, f"{check} passes now: remove it from the known gaps ({reason})")
        t.check(check in failed_checks, f"known gap {check} ({reason}) was not reported at all")
    t.check(passes, f"{command!r} printed no PASS lines:\n{machine.transcript_tail()}")
    verdicts = [p for p in passes if "/" not in p]
    verdict_failed = [check for check, _ in failures if "/" not in check]
    t.check(verdicts or (known_gaps and verdict_failed),
            f"{command!r} printed no verdict line (PASS <test>):\n{machine.transcript_tail()}")
    if expected_status is not None:
        t.check(status == expected_status, f"{command!r} exited with status {status}, want {expected_status}")
    t.check("panic" not in text.lower(), f"kernel panic:\n{machine.transcript_tail()}")
    resync(machine)
    reply = run_command(machine, "ps")
    t.check("PID" in reply, f"the shell does not answer after the program: {reply!r}")
    return text


# Native programs (user/tests/native).

def test_native_hello(t):
    machine = boot_to_prompt(t)
    pid, name = start(t, machine, "run /sys/hello one two")
    t.check(wait_exit(machine, pid, name) == 0, "hello did not exit with 0")
    text = machine.transcript.replace("\r", "")
    t.check("Hello from Colibri!" in text, "no greeting")
    t.check('argv[1] = "one"' in text and 'argv[2] = "two"' in text, f"arguments not passed:\n{text[-400:]}")


def test_native_fork_cow(t):
    run_test_program(t, "run /sys/fork_cow")


def test_native_demand_zero(t):
    run_test_program(t, "run /sys/demzero")


def test_native_mprotect_kill(t):
    text = run_test_program(t, "run /sys/mprotkil")
    t.check(re.search(r"killed: page fault .*write of address .*protection", text) is not None,
            "no kernel log line naming the protection fault")


def test_native_munmap_middle(t):
    run_test_program(t, "run /sys/munmapmd")


def test_native_file_mmap(t):
    run_test_program(t, "run /sys/filemmap")


def test_native_files(t):
    run_test_program(t, "run /sys/files")
    run_test_program(t, "run /sys/files /rd/1")


def test_native_many_processes(t):
    run_test_program(t, "run /sys/manyproc")


def test_native_out_of_memory(t):
    # A small machine, so that exhausting it is quick.
    run_test_program(t, "run /sys/oom", memory=64)


def test_native_spawn_exit_leaks_nothing(t):
    run_test_program(t, "run /sys/spawnlp", timeout=300.0)


test_native_spawn_exit_leaks_nothing.timeout = 420.0


def test_native_threads(t):
    run_test_program(t, "run /sys/threads")


def test_native_bad_pointers(t):
    run_test_program(t, "run /sys/badptrs")


def test_native_cxx_runtime(t):
    run_test_program(t, "run /sys/cxxrt")


# KolibriOS programs (user/tests/kolibri).

def test_kolibri_header(t):
    run_test_program(t, "run /sys/k_header alpha beta")


def test_kolibri_debug_board(t):
    machine = boot_to_prompt(t)
    pid, name = start(t, machine, "run /sys/k_debug")
    t.check(wait_exit(machine, pid, name) == 0, "k_debug did not exit with 0")
    text = machine.transcript.replace("\r", "")
    t.check("k_debug: the quick brown fox jumps over the lazy dog 0123456789" in text,
            f"debug board text missing:\n{machine.transcript_tail()}")


def test_kolibri_heap(t):
    run_test_program(t, "run /sys/k_heap")


def test_kolibri_system_info(t):
    text = run_test_program(t, "run /sys/k_sysinf")
    logged = re.findall(r"unimplemented function 250 by k_sysinf", text)
    t.check(len(logged) == 1, f"'unimplemented function 250 by k_sysinf' logged {len(logged)} times, want once")


def test_kolibri_call_storm(t):
    """k_storm makes 10000 calls of functions that do not exist: every one
    answers -1, the log gets a handful of lines for them (the first calls
    of a few functions, then one line each saying the rest is counted), the
    count of them all when the program ends, and the shell still answers."""
    text = run_test_program(t, "run /sys/k_storm")
    lines = [line for line in text.splitlines() if "k_storm" in line and "unimplemented" in line]
    t.check(0 < len(lines) <= 20, f"{len(lines)} log lines about k_storm's unimplemented calls, want 1..20:\n"
            + "\n".join(lines[:40]))
    t.check(any("unimplemented function 68.200 by k_storm" in line for line in lines),
            "the first unknown subfunction 68.200 was not logged")
    t.check(any("further unimplemented calls of function 68 by k_storm" in line for line in lines),
            "no line saying that further calls of function 68 are only counted")
    t.check(any("further unimplemented calls by k_storm" in line for line in lines),
            "no line saying that further unimplemented calls of k_storm are only counted")
    summary = re.search(r"k_storm \(process \d+\) made (\d+) unimplemented calls, (\d+) of them not logged", text)
    t.check(summary is not None, "no line with the count of unimplemented calls when k_storm ended")
    if summary:
        calls, unlogged = int(summary.group(1)), int(summary.group(2))
        t.check(calls == 10000, f"the count says {calls} unimplemented calls, the program made 10000")
        t.check(calls - unlogged == len([line for line in lines if line.count("unimplemented function")]),
                f"{calls - unlogged} calls counted as logged, but the log shows a different number of them")


def test_kolibri_threads(t):
    run_test_program(t, "run /sys/k_thread")


def test_kolibri_ipc(t):
    run_test_program(t, "run /sys/k_ipc")


def test_kolibri_ipc_between_processes(t):
    run_test_program(t, "run /sys/k_ipcp")


def test_kolibri_shared_memory(t):
    run_test_program(t, "run /sys/k_shm")


def test_kolibri_bad_pointers(t):
    run_test_program(t, "run /sys/k_badptr")


def test_kolibri_fault_kills_only_the_program(t):
    machine = boot_to_prompt(t)
    pid, name = start(t, machine, "run /sys/k_fault")
    status = wait_exit(machine, pid, name)
    text = machine.transcript.replace("\r", "")
    t.check(re.search(rf"process {pid} \(k_fault\) killed: page fault .*0xc0001000.*kernel memory", text)
            is not None, f"no log line naming k_fault, the address and the fault:\n{machine.transcript_tail()}")
    t.check("still alive" not in text, "the program survived a write to kernel memory")
    t.check(status != 0, f"k_fault exited with status {status}")
    # The system keeps running: another program works.
    pid, name = start(t, machine, "run /sys/k_heap")
    t.check(wait_exit(machine, pid, name) == 0, "k_heap failed after k_fault was killed")


# Shell process commands.

def test_shell_ps_kill_vm(t):
    machine = boot_to_prompt(t)
    pid, name = start(t, machine, "run /sys/spawnlp")
    resync(machine)
    reply = run_command(machine, "ps")
    t.check(re.search(rf"(?m)^\s*{pid}\s+\d+\s+native\s+\S+\s+\d+\s+\d+K spawnlp", reply) is not None,
            f"ps does not list process {pid}: {reply!r}")
    reply = run_command(machine, "vm")
    t.check(re.search(r"total: \d+ faults \(\d+ demand-zero, \d+ file, \d+ copy-on-write, \d+ protection\)", reply)
            is not None, f"vm has no totals line: {reply!r}")
    before_kill = machine.cursor
    reply = run_command(machine, f"kill {pid}")
    t.check(f"killed process {pid}" in reply, f"kill did not confirm: {reply!r}")
    machine.cursor = before_kill
    t.check(wait_exit(machine, pid, name, REPLY_TIMEOUT) == 128 + 9, "a killed process's status is not 137")
    machine.expect(re.escape(PROMPT), REPLY_TIMEOUT)
    reply = run_command(machine, "ps")
    t.check(re.search(rf"(?m)^\s*{pid}\s", reply) is None, f"process {pid} still listed after kill: {reply!r}")
    reply = run_command(machine, "kill 4242")
    t.check("no process 4242" in reply, f"kill of a missing pid: {reply!r}")
    reply = run_command(machine, "run /sys/nothere")
    t.check("run: /sys/nothere" in reply, f"run of a missing file: {reply!r}")


def _kernel_memory(machine) -> tuple[int, int, int]:
    """Heap bytes and allocations in use, frames in use (the shell's mem)."""
    reply = run_command(machine, "mem")
    heap = re.search(r"heap: (\d+) bytes in use in (\d+) allocations", reply)
    frames = re.search(r"frames: \d+ total, (\d+) used", reply)
    assert heap and frames, f"mem printed {reply!r}"
    return int(heap.group(1)), int(heap.group(2)), int(frames.group(1))


def _kill_repeatedly_leaks_nothing(t, program: str) -> None:
    """Starts `program` (a file read/write loop) 14 times and kills it at
    varying moments of its system calls; after the first two runs (the file
    made, the caches warm) the kernel heap and frames must not grow."""
    import time
    machine = boot_to_prompt(t)
    delays = [0.1, 0.25, 0.4, 0.15, 0.55, 0.3]
    baseline = None
    for round_ in range(14):
        if round_ == 2:
            baseline = _kernel_memory(machine)
        pid, name = start(t, machine, f"run /sys/{program}")
        resync(machine)
        time.sleep(delays[round_ % len(delays)])
        before = machine.cursor
        run_command(machine, f"kill {pid}")
        machine.cursor = before
        t.check(wait_exit(machine, pid, name, REPLY_TIMEOUT) == 128 + 9, f"{program} {pid} did not die by kill")
        machine.expect(re.escape(PROMPT), REPLY_TIMEOUT)
        resync(machine)
    heap, allocations, frames = _kernel_memory(machine)
    # One lost bounce buffer is 20 KiB, a lost open file two allocations;
    # a few bytes may come and go.
    t.check(heap - baseline[0] < 4096, f"12 kills grew the kernel heap by {heap - baseline[0]} bytes")
    t.check(allocations - baseline[1] <= 2, f"12 kills left {allocations - baseline[1]} more heap allocations")
    t.check(frames - baseline[2] < 8, f"12 kills kept {frames - baseline[2]} more frames in use")


def test_kill_during_file_io_leaks_nothing(t):
    """user/tests/native/readloop.c writes and reads a file for ever; killing
    it at whatever point of a read or write it is (its kernel buffers and
    held files included) leaves the kernel heap and frames as they were."""
    _kill_repeatedly_leaks_nothing(t, "readloop")


test_kill_during_file_io_leaks_nothing.timeout = 300.0


def test_kill_during_kolibri_file_io_leaks_nothing(t):
    """The same with user/tests/kolibri/k_loop.asm, which loops on function
    70.3 and 70.0: each call opens the file for itself, and a kill in the
    middle must not keep it open (nor the call's buffers)."""
    _kill_repeatedly_leaks_nothing(t, "k_loop")


test_kill_during_kolibri_file_io_leaks_nothing.timeout = 300.0


# `./colibri run --app FILE`: the user's way to try a program in one command.

def test_run_app_option(t):
    import shutil
    import subprocess
    import sys
    from pathlib import Path

    user_bin = t.build_dir / "cross" / "user" / "bin"
    kolibri_app = t.work_dir / "MyBoard"
    native_app = t.work_dir / "greeter"
    shutil.copy(user_bin / "k_debug", kolibri_app)
    shutil.copy(user_bin / "hello", native_app)
    run_py = Path(__file__).resolve().parents[2] / "tools" / "run.py"
    result = subprocess.run(
        [sys.executable, str(run_py), "--headless", "--build-dir", str(t.build_dir), "--timeout", "20",
         "--app", str(kolibri_app), "--app", str(native_app)],
        stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=120)
    output = result.stdout.replace("\r", "")
    tail = "\n".join(output.splitlines()[-25:])
    t.check(re.search(r"process \d+ \(myboard\) exited with status 0", output) is not None,
            f"the KolibriOS app did not run and exit:\n{tail}")
    t.check("k_debug: the quick brown fox" in output, f"its debug-board output is not on the console:\n{tail}")
    t.check(re.search(r"process \d+ \(greeter\) exited with status 0", output) is not None,
            f"the native app did not run and exit:\n{tail}")
    t.check('argv[0] = "/sys/greeter"' in output, f"the native app's output is missing:\n{tail}")
    # The build's ramdisk must stay untouched: --app works on a copy.
    listing = subprocess.run(["mdir", "-b", "-i", str(t.build_dir / "ramdisk.img"), "::"], capture_output=True,
                             text=True).stdout.lower()
    t.check("myboard" not in listing and "greeter" not in listing, "--app modified build/ramdisk.img")


test_run_app_option.timeout = 180.0


def test_native_address_space_stress(t):
    run_test_program(t, "run /sys/mmstress", timeout=240.0)


test_native_address_space_stress.timeout = 300.0


def test_kolibri_header_menuet02(t):
    run_test_program(t, "run /sys/k_hdr02 alpha beta")


def test_native_exec(t):
    machine = boot_to_prompt(t)
    pid, name = start(t, machine, "run /sys/exec")
    # After exec the same pid carries the new image's name.
    status = wait_exit(machine, pid, "hello")
    text = machine.transcript.replace("\r", "")
    for check, reason in re.findall(r"(?m)^(?:colibri> )*FAIL (\S+?):? (.*)$", text):
        t.check(False, f"{check}: {reason}")
    t.check(re.search(r"(?m)^(?:colibri> )*PASS exec\s*$", text) is not None, f"no verdict line:\n{machine.transcript_tail()}")
    t.check('argv[1] = "from-exec"' in text, f"the new image did not get its arguments:\n{machine.transcript_tail()}")
    t.check(status == 0, f"the exec'd program exited with status {status}")
    resync(machine)
    reply = run_command(machine, "ps")
    t.check(re.search(rf"(?m)^\s*{pid}\s", reply) is None, f"process {pid} (or its spinning thread) lives on: {reply!r}")


def test_native_ipc_channel(t):
    """user/tests/native/ipc_channel.c: a million messages between two
    processes, priorities, timeouts, lifetime, access control."""
    run_test_program(t, "run /sys/ipcchan", timeout=240)


def test_native_events(t):
    """user/tests/native/events.c: event queues with word, timer and process
    watches; level, edge and one-shot; 1000 watched words; a channel loop."""
    run_test_program(t, "run /sys/events")


def test_native_pipes(t):
    """user/tests/native/pipes.c: pipes between processes (order, checksums,
    end of stream, broken pipe, non-blocking, atomic writes), dup and fcntl
    (F_DUPFD, F_GETFL, F_SETFL), close-on-exec (set, cleared, kept by fork,
    applied by exec), dup2 of standard output across exec, and
    pipe ends and files watched by event queues in an event loop with a
    timer."""
    run_test_program(t, "run /sys/pipes", timeout=120)
