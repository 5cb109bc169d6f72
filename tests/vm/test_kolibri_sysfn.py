# SPDX-License-Identifier: BSD-2-Clause
"""KolibriOS system functions that the desktop's startup programs call
(API-NOTES.md §6/§7): each program (user/tests/kolibri/k_*.asm) checks one
family against what the KolibriOS routine answers, wild pointers included,
and prints PASS/FAIL lines. One boot runs them one after another."""

from __future__ import annotations

import re

from test_programs import EXIT_TIMEOUT, resync, run_test_program, start, wait_exit
from vmlib import boot_to_prompt, run_command


def run_programs(t, programs: list[str]) -> str:
    """Runs each program in one boot; every FAIL line fails the test, every
    program must print its verdict and exit with 0. Returns the transcript."""
    machine = boot_to_prompt(t)
    for program in programs:
        resync(machine)
        begin = machine.cursor
        pid, name = start(t, machine, f"run /sys/{program}")
        status = wait_exit(machine, pid, name, EXIT_TIMEOUT)
        text = machine.transcript[begin:].replace("\r", "")
        for check, reason in re.findall(r"(?m)^FAIL (\S+?):? (.*)$", text):
            t.check(False, f"{check}: {reason}")
        t.check(re.search(rf"(?m)^PASS {re.escape(program)}\s*$", text) is not None,
                f"{program} printed no verdict line:\n{machine.transcript_tail()}")
        t.check(status == 0, f"{program} exited with status {status}")
    t.check("panic" not in machine.transcript.lower(), f"kernel panic:\n{machine.transcript_tail()}")
    resync(machine)
    t.check("PID" in run_command(machine, "ps"), "the shell does not answer after the programs")
    return machine.transcript.replace("\r", "")


def test_kolibri_drivers(t):
    """68.16/68.17/68.21/68.30/68.31: no KolibriOS driver services; probes
    get 0, IOCTLs -1, the list is empty; a line in the log says why."""
    text = run_programs(t, ["k_drv"])
    t.check("68.16 by k_drv: no driver service 'SOUND' (answer 0)" in text,
            "no log line for the 68.16 probe of SOUND")


def test_kolibri_settings_and_board(t):
    """21.x/26.x settings (sys_setup/sys_getsetup), the debug board
    63.1/63.2 (sys_msg_board) and the values 66 keeps (sys_process_def)."""
    run_programs(t, ["k_setup", "k_board", "k_keys"])


test_kolibri_settings_and_board.timeout = 300.0


def test_kolibri_mount(t):
    """30.3 (the additional system folder, as SEARCHAP mounts /kolibrios)
    and 30.2's buffer check; the mount is logged."""
    text = run_programs(t, ["k_mount"])
    t.check("30.3 by k_mount: /kolibrios is /rd/1" in text, "no log line for the mount")
    t.check("30.3 by k_mount: the additional folder is mounted already; ignored" in text,
            "no log line for the ignored second mount")


def test_kolibri_z_order(t):
    """18.25 (sysfn_zmodif) answers, 18.19.6's start value, 18.10 on the
    topmost window. Program windows have no z-order levels yet: setting
    one other than normal is refused (known gap)."""
    run_test_program(t, "run /sys/g_zorder", known_gaps={
        "g_zorder/set_always_on_top": "no z-order levels for program windows (18.25.2 answers 0)",
    })


def test_kolibri_posix(t):
    """77: futexes (with a second thread) and pipes in the handle table of
    the process, errors and a full table."""
    run_programs(t, ["k_posix"])


def test_kolibri_pci_and_bios(t):
    """62 (PCI configuration), 57 (PCI BIOS), 49 (APM), 24 (CD tray) on
    QEMU's PCI bus; writes to the devices Colibri drives are refused and
    logged."""
    text = run_programs(t, ["k_pci"])
    t.check("PCI write by k_pci to 00:00.0 register 0x04 refused (a device Colibri drives)" in text,
            "no log line for the refused write")


def test_kolibri_ports(t):
    """46: reservations as r_f_port_area answers them; the ports are open
    to the reserving process alone (k_portf, started meanwhile, is killed
    by a general-protection fault on them); Colibri's own ports refused."""
    text = run_programs(t, ["k_ports"])
    t.check("k_portf: reading port 0x379" in text, "k_portf did not run")
    t.check(re.search(r"process \d+ \(k_portf\) killed: general.protection", text, re.I) is not None,
            f"no log line saying k_portf was killed by a general-protection fault:\n{text[-3000:]}")
    t.check("46 by k_ports: ports 0x3f8-0x3ff refused: the serial console uses them" in text,
            "no log line for the refused serial-console ports")


def test_kolibri_keyboard_layout(t):
    """21.2 layouts change what function 2 answers for typed keys (QEMU's
    PS/2 keyboard: a, then Shift+A)."""
    machine = boot_to_prompt(t)
    begin = machine.cursor
    pid, name = start(t, machine, "run /sys/g_layout")
    machine.expect(r"INFO g_layout: ready key-a", 60.0)
    machine.monitor("sendkey a")
    machine.expect(r"INFO g_layout: ready shift-a", 60.0)
    machine.monitor("sendkey shift-a")
    status = wait_exit(machine, pid, name, 90.0)
    text = machine.transcript[begin:].replace("\r", "")
    for check, reason in re.findall(r"(?m)^FAIL (\S+?):? (.*)$", text):
        t.check(False, f"{check}: {reason}")
    t.check(re.search(r"(?m)^PASS g_layout\s*$", text) is not None, f"no verdict line:\n{machine.transcript_tail()}")
    t.check(status == 0, f"g_layout exited with status {status}")


test_kolibri_keyboard_layout.timeout = 240.0


def test_kolibri_hotkeys(t):
    """66.4 hotkeys reach the hotkey's thread and the active window; with
    66.6 the hotkey's thread only (QEMU's PS/2 keyboard types a twice)."""
    machine = boot_to_prompt(t)
    begin = machine.cursor
    pid, name = start(t, machine, "run /sys/g_hotkey")
    machine.expect(r"INFO g_hotkey: ready key-a\r?\n", 60.0)
    machine.monitor("sendkey a")
    machine.expect(r"INFO g_hotkey: ready key-a-locked", 60.0)
    machine.monitor("sendkey a")
    status = wait_exit(machine, pid, name, 90.0)
    text = machine.transcript[begin:].replace("\r", "")
    for check, reason in re.findall(r"(?m)^FAIL (\S+?):? (.*)$", text):
        t.check(False, f"{check}: {reason}")
    t.check(re.search(r"(?m)^PASS g_hotkey\s*$", text) is not None, f"no verdict line:\n{machine.transcript_tail()}")
    t.check(status == 0, f"g_hotkey exited with status {status}")


test_kolibri_hotkeys.timeout = 240.0


def test_kolibri_cursor_files(t):
    """37.4 LOAD_FROM_FILE and 37.8: cursors from .cur files."""
    run_test_program(t, "run /sys/g_curfile")
