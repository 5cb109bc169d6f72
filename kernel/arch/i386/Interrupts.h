// Interrupt descriptor table, CPU exceptions and hardware interrupt routing.
#pragma once

#include "lib/Types.h"

namespace arch {

// The stack layout built by interrupt_common in interrupts.S, lowest address
// first. user_esp/user_ss are only valid when the interrupt came from ring 3.
struct TrapFrame {
    u32 gs, fs, es, ds;
    u32 edi, esi, ebp, esp_at_pusha, ebx, edx, ecx, eax;
    u32 vector, error_code;
    u32 eip, cs, eflags;
    u32 user_esp, user_ss;

    bool from_user() const { return (cs & 3) == 3; }
};

constexpr u8 irq_base_vector = 32;

using IrqHandler = void (*)(TrapFrame&);

void initialize_interrupts();
// Installs the handler for a hardware interrupt line (0-15) and unmasks it.
void register_irq_handler(u8 irq, IrqHandler handler);

// Name of a CPU exception vector ("page fault", ...), or "interrupt".
const char* exception_name(u32 vector);

// Prints the registers of a trap frame on the kernel console.
void dump_registers(const TrapFrame&);

} // namespace arch
