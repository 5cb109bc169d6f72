# SPDX-License-Identifier: BSD-2-Clause
"""The serial shell: commands, line endings, editing, power control."""

import re
import time

from vmlib import BANNER, BOOT_TIMEOUT, PROMPT, REPLY_TIMEOUT, boot_to_prompt, output_lines, run_command


def check_mem_reply(t, reply: str, what: str) -> None:
    t.check(re.search(r"frames\D*\d", reply) is not None, f"{what}: no 'frames' line with a number in {reply!r}")
    t.check(re.search(r"heap\D*\d", reply) is not None, f"{what}: no 'heap' line with a number in {reply!r}")
    t.check("unknown command" not in reply, f"{what}: shell did not recognise the command: {reply!r}")


def test_mem(t):
    machine = boot_to_prompt(t)
    check_mem_reply(t, run_command(machine, "mem"), "mem")


def parse_uptime_ms(t, reply: str) -> float:
    match = re.search(r"(\d+(?:\.\d+)?)\s*(ms|s)\b", reply)
    t.check(match is not None, f"no time (N s / N ms) in the uptime reply {reply!r}")
    value = float(match.group(1))
    return value if match.group(2) == "ms" else value * 1000.0


def test_uptime(t):
    machine = boot_to_prompt(t)
    first = parse_uptime_ms(t, run_command(machine, "uptime"))
    time.sleep(1.0)
    second = parse_uptime_ms(t, run_command(machine, "uptime"))
    t.check(second > first, f"uptime did not grow: {first:g} ms then {second:g} ms")


def test_unknown_command(t):
    machine = boot_to_prompt(t)
    reply = run_command(machine, "foo")
    t.check("unknown command: foo" in reply, f"expected 'unknown command: foo', got {reply!r}")
    # The shell must still work afterwards.
    check_mem_reply(t, run_command(machine, "mem"), "mem after an unknown command")


def check_line_ending(t, ending: str) -> None:
    """Two commands ended by `ending` must run exactly once each: no lost
    command, no extra empty command (one prompt per command) and no line
    ending taken as part of the next command."""
    machine = boot_to_prompt(t)
    start = machine.cursor
    machine.send("mem" + ending)
    machine.expect(r"heap\D*\d", REPLY_TIMEOUT)
    machine.expect(re.escape(PROMPT), REPLY_TIMEOUT)
    machine.send("uptime" + ending)
    machine.expect(r"\d+(?:\.\d+)?\s*m?s\b", REPLY_TIMEOUT)
    machine.expect(re.escape(PROMPT), REPLY_TIMEOUT)
    # A sentinel ended by CR: everything before it has been processed by the
    # time its answer arrives, so an extra prompt could not hide.
    machine.send("sentinel\r")
    machine.expect(r"unknown command: sentinel", REPLY_TIMEOUT)
    machine.expect(re.escape(PROMPT), REPLY_TIMEOUT)
    segment = machine.transcript[start:machine.cursor]
    prompts = segment.count(PROMPT)
    t.check(prompts == 3, f"expected 3 prompts for 3 commands, saw {prompts}: {segment!r}")
    unknown = re.findall(r"unknown command: ?(.*)", segment.replace("\r", ""))
    t.check(unknown == ["sentinel"], f"unexpected 'unknown command' replies {unknown}: {segment!r}")


def test_line_ending_cr(t):
    check_line_ending(t, "\r")


def test_line_ending_lf(t):
    check_line_ending(t, "\n")


def test_line_ending_crlf(t):
    check_line_ending(t, "\r\n")


def test_backspace(t):
    machine = boot_to_prompt(t)
    check_mem_reply(t, run_command(machine, "mex\x7fm"), "'mex DEL m'")
    check_mem_reply(t, run_command(machine, "mez\x08m"), "'mez BS m'")
    # Backspace on an empty line must not break anything either.
    check_mem_reply(t, run_command(machine, "\x7f\x08mem"), "'DEL BS mem'")


def test_log(t):
    machine = boot_to_prompt(t)
    boot_text = machine.transcript[:machine.cursor].replace("\r", "")
    boot_lines = [line.strip() for line in boot_text.split("\n") if len(line.strip()) >= 8]
    log_lines = [line.strip() for line in output_lines(run_command(machine, "log"))]
    t.check(log_lines, "log printed nothing")
    # The log must hold messages the kernel printed while booting (it may
    # decorate them, e.g. with a time stamp or a level).
    earlier = [line for line in log_lines if any(boot in line or (len(line) >= 8 and line in boot)
                                                 for boot in boot_lines)]
    t.check(earlier, f"none of the {len(log_lines)} log lines was printed during boot; log: {log_lines[:10]}")


def test_halt(t):
    machine = boot_to_prompt(t)
    machine.send("halt\r")
    status = machine.wait_exit(REPLY_TIMEOUT)
    t.check(status == 1, f"QEMU exit status {status}, expected 1 (isa-debug-exit value 0)")


def test_reboot(t):
    machine = boot_to_prompt(t, no_reboot=False)
    machine.send("reboot\r")
    machine.expect(BANNER, BOOT_TIMEOUT)
    machine.expect(r"(?m)^memory:", BOOT_TIMEOUT)
    machine.expect(re.escape(PROMPT), BOOT_TIMEOUT)
    banners = len(re.findall(BANNER, machine.transcript))
    t.check(banners == 2, f"banner seen {banners} times, expected 2")
    t.check(machine.is_running(), "QEMU exited after the reboot")
