#include "kernel/debug/Panic.h"

#include <stdarg.h>

#include "kernel/arch/i386/Cpu.h"
#include "kernel/arch/i386/Interrupts.h"
#include "kernel/arch/i386/Power.h"
#include "kernel/debug/Log.h"
#include "kernel/debug/Symbols.h"

namespace kernel {

namespace {

bool s_powers_off;
bool s_in_panic;

// isa-debug-exit value for "the kernel panicked": QEMU exits with 255.
constexpr u8 panic_exit_value = 0x7F;

[[noreturn]] void stop()
{
    if (s_powers_off)
        arch::power_off(panic_exit_value);
    console_print("System halted.\n");
    arch::halt_forever();
}

void print_header(const char* format, va_list args)
{
    console_print("\nPANIC: ");
    console_vprint(format, args);
    console_print("\n");
}

bool enter_panic()
{
    arch::disable_interrupts();
    if (s_in_panic) {
        // A fault while reporting a panic: say so and stop, no recursion.
        console_print("\nPANIC: nested panic\n");
        return false;
    }
    s_in_panic = true;
    return true;
}

} // namespace

void set_panic_powers_off(bool value) { s_powers_off = value; }

void panic(const char* format, ...)
{
    if (!enter_panic())
        stop();
    va_list args;
    va_start(args, format);
    print_header(format, args);
    va_end(args);
    u32 ebp = arch::current_frame_pointer();
    auto frame = reinterpret_cast<const u32*>(ebp);
    // Start the backtrace at our caller: this function's own frame adds nothing.
    print_backtrace(frame[1] - 1, frame[0]);
    stop();
}

void panic_with_frame(const arch::TrapFrame& frame, const char* format, ...)
{
    if (!enter_panic())
        stop();
    va_list args;
    va_start(args, format);
    print_header(format, args);
    va_end(args);
    console_print("exception %u (%s) in %s mode\n", frame.vector, arch::exception_name(frame.vector),
        frame.from_user() ? "user" : "kernel");
    arch::dump_registers(frame);
    print_backtrace(frame.eip, frame.ebp);
    stop();
}

} // namespace kernel
