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

constexpr u8 kolibri_syscall_vector = 0x40;
constexpr u8 native_syscall_vector = 0x80;

void initialize_interrupts();

// Hooks the task layer installs (the arch layer knows nothing of processes).
//
// The page-fault hook gets every #PF with the faulting address; it returns
// true when it resolved the fault (demand paging, copy-on-write) and the
// instruction can be retried.
using PageFaultHook = bool (*)(TrapFrame&, u32 address);
// Called for an exception in user mode that nothing resolved; it terminates
// the offending thread and does not return.
using UserFaultHook = void (*)(TrapFrame&, const char* description, u32 address);
// System-call handlers run with interrupts enabled and edit the frame's
// registers to return results.
using SyscallHandler = void (*)(TrapFrame&);
// Runs on the way out of every interrupt; the scheduler uses it to preempt.
using InterruptExitHook = void (*)(TrapFrame&);

void set_page_fault_hook(PageFaultHook);
void set_user_fault_hook(UserFaultHook);
void set_syscall_handler(u8 vector, SyscallHandler);
void set_interrupt_exit_hook(InterruptExitHook);
// Installs the handler for a hardware interrupt line (0-15) and unmasks it.
void register_irq_handler(u8 irq, IrqHandler handler);

// Name of a CPU exception vector ("page fault", ...), or "interrupt".
const char* exception_name(u32 vector);

// Prints the registers of a trap frame on the kernel console.
void dump_registers(const TrapFrame&);

} // namespace arch
