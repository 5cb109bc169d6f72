// Powering the machine off and rebooting it.
#pragma once

#include "lib/Types.h"

namespace arch {

// Under QEMU with `-device isa-debug-exit,iobase=0xf4`, the value written
// becomes QEMU's exit status (value * 2 + 1); otherwise falls back to the
// ACPI power-off ports of QEMU and Bochs, and halts if nothing worked.
[[noreturn]] void power_off(u8 exit_value = 0);
[[noreturn]] void reboot();

} // namespace arch
