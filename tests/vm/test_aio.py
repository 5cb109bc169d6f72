# SPDX-License-Identifier: BSD-2-Clause
"""Asynchronous I/O rings (docs/aio.md): user/tests/native/aio.c checks 256
requests in flight, readv/writev, fsync, bad descriptors and pointers,
cancellation, timeouts, direct I/O, CQ overflow, statistics, and children
that exit or are killed with requests in flight without leaking frames or
kernel heap (the program compares vm_stats(-1) before and after; the shell
must still answer afterwards)."""

import re

from test_programs import run_test_program


def test_native_aio(t):
    text = run_test_program(t, "run /sys/aio", timeout=240.0)
    t.check(re.search(r"aio: cancelled ([1-9]\d*) of 16 queued reads", text) is not None,
            f"no queued read was cancelled:\n{text[-1500:]}")


test_native_aio.timeout = 300.0
