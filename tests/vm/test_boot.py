# SPDX-License-Identifier: BSD-2-Clause
"""Every boot path reaches the banner, the memory summary and the shell prompt."""

import re

from vmlib import BANNER, BOOT_TIMEOUT, boot_to_prompt


def test_kernel(t):
    """QEMU -kernel with the ramdisk as Multiboot module."""
    machine = boot_to_prompt(t, boot="kernel")
    banner_count = len(re.findall(BANNER, machine.transcript))
    t.check(banner_count == 1, f"banner printed {banner_count} times")


def test_floppy(t):
    """Colibri's own boot sector and stage 2 from the 1.44 MB floppy."""
    machine = t.machine(boot="floppy")
    # The loader speaks first; only then may the kernel's banner come.
    machine.expect(r"Colibri stage2", BOOT_TIMEOUT)
    machine.expect(BANNER, BOOT_TIMEOUT)
    machine.expect(r"(?m)^memory:", BOOT_TIMEOUT)
    machine.expect(re.escape("colibri> "), BOOT_TIMEOUT)


def test_iso(t):
    """GRUB from the ISO, Multiboot."""
    boot_to_prompt(t, boot="iso")


test_iso.timeout = 180.0
test_floppy.timeout = 180.0
