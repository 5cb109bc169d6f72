#include "kernel/arch/i386/Interrupts.h"

#include "kernel/arch/i386/Cpu.h"
#include "kernel/arch/i386/Fpu.h"
#include "kernel/arch/i386/Gdt.h"
#include "kernel/arch/i386/Pic.h"
#include "kernel/debug/Log.h"
#include "kernel/debug/Panic.h"

extern "C" const u32 interrupt_stub_table[48];
extern "C" const u32 interrupt_stub_kolibri;
extern "C" const u32 interrupt_stub_native;
extern "C" char user_copy_start[];
extern "C" char user_copy_end[];
extern "C" char user_copy_fault[];

namespace arch {

namespace {

struct [[gnu::packed]] IdtEntry {
    u16 offset_low;
    u16 selector;
    u8 zero;
    u8 type_attributes;
    u16 offset_high;
};

struct [[gnu::packed]] IdtPointer {
    u16 limit;
    u32 base;
};

IdtEntry s_idt[256];
IrqHandler s_irq_handlers[16];
u32 s_spurious_irqs;
PageFaultHook s_page_fault_hook;
UserFaultHook s_user_fault_hook;
SyscallHandler s_kolibri_handler;
SyscallHandler s_native_handler;
InterruptExitHook s_exit_hook;

// Present, DPL 0, 32-bit interrupt gate (interrupts off on entry).
constexpr u8 interrupt_gate = 0x8E;
// The same with DPL 3, so user code may use `int` on it.
constexpr u8 user_interrupt_gate = 0xEE;

void set_gate(u8 vector, u32 handler, u8 attributes)
{
    s_idt[vector] = { static_cast<u16>(handler & 0xFFFF), kernel_code_selector, 0, attributes,
        static_cast<u16>(handler >> 16) };
}

// Intel SDM vol. 3A, table 6-1.
constexpr const char* s_exception_names[32] = {
    "divide error", "debug", "non-maskable interrupt", "breakpoint", "overflow",
    "bound range exceeded", "invalid opcode", "device not available", "double fault",
    "coprocessor segment overrun", "invalid TSS", "segment not present", "stack-segment fault",
    "general protection fault", "page fault", "reserved", "x87 floating-point error",
    "alignment check", "machine check", "SIMD floating-point exception", "virtualization exception",
    "control protection exception", "reserved", "reserved", "reserved", "reserved", "reserved",
    "reserved", "reserved", "reserved", "reserved", "reserved",
};

void handle_exception(TrapFrame& frame)
{
    u32 address = frame.vector == 14 ? read_cr2() : 0;
    if (frame.vector == 14 && s_page_fault_hook && s_page_fault_hook(frame, address))
        return;
    // #NM: a user thread's first x87/SSE instruction since CR0.TS was set
    // (lazy FPU switching, Fpu.h). The kernel never uses the unit, so an
    // #NM from kernel mode falls through to the panic below.
    if (frame.vector == 7 && frame.from_user() && fpu::handle_device_not_available())
        return;
    // A fault inside copy_user_bytes that paging could not resolve: the user
    // passed a bad pointer. Resume at the copy's error exit.
    auto eip = reinterpret_cast<char*>(frame.eip);
    if (!frame.from_user() && eip >= user_copy_start && eip < user_copy_end) {
        frame.eip = reinterpret_cast<u32>(user_copy_fault);
        return;
    }
    if (frame.from_user() && s_user_fault_hook) {
        s_user_fault_hook(frame, exception_name(frame.vector), address);
        return;
    }
    if (frame.vector == 14) {
        const char* access = (frame.error_code & 2) ? "write to" : "read from";
        const char* cause = (frame.error_code & 1) ? "protected" : "unmapped";
        kernel::panic_with_frame(frame, "page fault: %s %s address 0x%x", access, cause, address);
    }
    kernel::panic_with_frame(frame, "%s (error code 0x%x)", exception_name(frame.vector), frame.error_code);
}

} // namespace

const char* exception_name(u32 vector)
{
    return vector < 32 ? s_exception_names[vector] : "interrupt";
}

void initialize_interrupts()
{
    pic::initialize(irq_base_vector);
    for (u8 vector = 0; vector < 48; ++vector)
        set_gate(vector, interrupt_stub_table[vector], interrupt_gate);
    set_gate(kolibri_syscall_vector, interrupt_stub_kolibri, user_interrupt_gate);
    set_gate(native_syscall_vector, interrupt_stub_native, user_interrupt_gate);
    IdtPointer pointer { sizeof(s_idt) - 1, reinterpret_cast<u32>(&s_idt) };
    asm volatile("lidt %0" ::"m"(pointer));
}

void register_irq_handler(u8 irq, IrqHandler handler)
{
    InterruptDisabler disabler;
    s_irq_handlers[irq & 15] = handler;
    pic::unmask(irq & 15);
}

void set_page_fault_hook(PageFaultHook hook) { s_page_fault_hook = hook; }
void set_user_fault_hook(UserFaultHook hook) { s_user_fault_hook = hook; }
void set_interrupt_exit_hook(InterruptExitHook hook) { s_exit_hook = hook; }

void set_syscall_handler(u8 vector, SyscallHandler handler)
{
    if (vector == kolibri_syscall_vector)
        s_kolibri_handler = handler;
    else if (vector == native_syscall_vector)
        s_native_handler = handler;
}

void dump_registers(const TrapFrame& frame)
{
    kernel::console_print("  eax=%08x ebx=%08x ecx=%08x edx=%08x\n", frame.eax, frame.ebx, frame.ecx, frame.edx);
    kernel::console_print("  esi=%08x edi=%08x ebp=%08x esp=%08x\n", frame.esi, frame.edi, frame.ebp,
        frame.from_user() ? frame.user_esp : frame.esp_at_pusha + 20);
    kernel::console_print("  eip=%08x cs=%04x eflags=%08x ds=%04x ss=%04x\n", frame.eip, frame.cs, frame.eflags,
        frame.ds, frame.from_user() ? frame.user_ss : kernel_data_selector);
    kernel::console_print("  cr0=%08x cr2=%08x cr3=%08x cr4=%08x\n", read_cr0(), read_cr2(), read_cr3(), read_cr4());
}

} // namespace arch

extern "C" void interrupt_dispatch(arch::TrapFrame* frame)
{
    using namespace arch;
    if (frame->vector == kolibri_syscall_vector || frame->vector == native_syscall_vector) {
        SyscallHandler handler = frame->vector == kolibri_syscall_vector ? s_kolibri_handler : s_native_handler;
        enable_interrupts();
        if (handler)
            handler(*frame);
        disable_interrupts();
    } else if (frame->vector < 32) {
        handle_exception(*frame);
    } else {
        u8 irq = static_cast<u8>(frame->vector - irq_base_vector);
        if (irq < 16) {
            if (pic::is_spurious(irq)) {
                ++s_spurious_irqs;
                return;
            }
            // Acknowledge first: the handler or the exit hook may switch
            // threads and not come back here for a while.
            pic::end_of_interrupt(irq);
            if (s_irq_handlers[irq])
                s_irq_handlers[irq](*frame);
        }
    }
    if (s_exit_hook)
        s_exit_hook(*frame);
}
