#include "kernel/arch/i386/Power.h"

#include "kernel/arch/i386/Cpu.h"

namespace arch {

void power_off(u8 exit_value)
{
    disable_interrupts();
    out8(0xF4, exit_value);       // QEMU isa-debug-exit (when configured)
    out16(0x604, 0x2000);         // QEMU's PIIX4 ACPI PM1a control: sleep type 5
    out16(0xB004, 0x2000);        // older QEMU and Bochs
    halt_forever();
}

void reboot()
{
    disable_interrupts();
    // The keyboard controller's "pulse reset line" command (0xFE), once its
    // input buffer is empty (bounded wait).
    for (u32 spins = 0; spins < 100000 && (in8(0x64) & 0x02); ++spins) { }
    out8(0x64, 0xFE);
    // Fallback: a triple fault with an empty IDT resets the CPU.
    struct [[gnu::packed]] {
        u16 limit;
        u32 base;
    } empty_idt { 0, 0 };
    asm volatile("lidt %0; int3" ::"m"(empty_idt));
    halt_forever();
}

} // namespace arch
