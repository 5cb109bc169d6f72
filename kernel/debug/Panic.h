// Kernel panics: only for broken kernel invariants, never for anything a
// user program or a disk image did.
#pragma once

#include "lib/Types.h"

namespace arch {
struct TrapFrame;
}

namespace kernel {

// What a panic does after printing its report: halt the CPU (the default,
// so the report stays readable) or power the machine off (panic=poweroff,
// used by tests so a crash ends the VM at once).
void set_panic_powers_off(bool);

// Prints "PANIC: <message>", the registers and a symbolized backtrace on
// every console, then stops the machine.
[[noreturn, gnu::format(printf, 1, 2)]] void panic(const char* format, ...);
[[noreturn, gnu::format(printf, 2, 3)]] void panic_with_frame(const arch::TrapFrame&, const char* format, ...);

} // namespace kernel

// Checks a kernel invariant; a failure panics naming the file and line.
#define VERIFY(condition)                                                          \
    do {                                                                           \
        if (!(condition))                                                          \
            ::kernel::panic("assertion failed: %s at %s:%d", #condition, __FILE__, __LINE__); \
    } while (0)
