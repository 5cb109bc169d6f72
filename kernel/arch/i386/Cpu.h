// Thin C++ wrappers around the x86 instructions the rest of the kernel needs.
// This header (and the rest of kernel/arch/i386/) is the only place that
// contains inline assembly.
#pragma once

#include "lib/Types.h"

namespace arch {

inline void out8(u16 port, u8 value) { asm volatile("outb %0, %1" ::"a"(value), "Nd"(port)); }
inline void out16(u16 port, u16 value) { asm volatile("outw %0, %1" ::"a"(value), "Nd"(port)); }
inline void out32(u16 port, u32 value) { asm volatile("outl %0, %1" ::"a"(value), "Nd"(port)); }

inline u8 in8(u16 port)
{
    u8 value;
    asm volatile("inb %1, %0" : "=a"(value) : "Nd"(port));
    return value;
}

inline u16 in16(u16 port)
{
    u16 value;
    asm volatile("inw %1, %0" : "=a"(value) : "Nd"(port));
    return value;
}

inline u32 in32(u16 port)
{
    u32 value;
    asm volatile("inl %1, %0" : "=a"(value) : "Nd"(port));
    return value;
}

// A write to an unused port takes about a microsecond: the classic delay
// between programming steps of slow ISA devices such as the 8259 PIC.
inline void io_wait() { out8(0x80, 0); }

inline void disable_interrupts() { asm volatile("cli" ::: "memory"); }
inline void enable_interrupts() { asm volatile("sti" ::: "memory"); }
inline void halt() { asm volatile("hlt" ::: "memory"); }
// Enables interrupts and halts atomically (sti takes effect after the next
// instruction), so an interrupt cannot slip in between and be missed.
inline void enable_interrupts_and_halt() { asm volatile("sti; hlt" ::: "memory"); }

[[noreturn]] inline void halt_forever()
{
    for (;;)
        asm volatile("cli; hlt" ::: "memory");
}

inline u32 read_eflags()
{
    u32 flags;
    asm volatile("pushfl; popl %0" : "=r"(flags)::"memory");
    return flags;
}

inline bool interrupts_enabled() { return read_eflags() & (1u << 9); }

inline u32 read_cr0() { u32 v; asm volatile("mov %%cr0, %0" : "=r"(v)); return v; }
inline u32 read_cr2() { u32 v; asm volatile("mov %%cr2, %0" : "=r"(v)); return v; }
inline u32 read_cr3() { u32 v; asm volatile("mov %%cr3, %0" : "=r"(v)); return v; }
inline u32 read_cr4() { u32 v; asm volatile("mov %%cr4, %0" : "=r"(v)); return v; }
inline void write_cr3(u32 v) { asm volatile("mov %0, %%cr3" ::"r"(v) : "memory"); }

inline void invalidate_page(uintptr_t virtual_address)
{
    asm volatile("invlpg (%0)" ::"r"(virtual_address) : "memory");
}

inline u32 current_frame_pointer()
{
    u32 ebp;
    asm volatile("mov %%ebp, %0" : "=r"(ebp));
    return ebp;
}

inline u64 read_timestamp_counter()
{
    u32 low, high;
    asm volatile("rdtsc" : "=a"(low), "=d"(high));
    return (u64(high) << 32) | low;
}

// Scoped "interrupts off" section that restores the previous state, so
// nested guards compose.
class InterruptDisabler {
public:
    InterruptDisabler()
        : m_were_enabled(interrupts_enabled())
    {
        disable_interrupts();
    }
    ~InterruptDisabler()
    {
        if (m_were_enabled)
            enable_interrupts();
    }
    InterruptDisabler(const InterruptDisabler&) = delete;
    InterruptDisabler& operator=(const InterruptDisabler&) = delete;

private:
    bool m_were_enabled;
};

} // namespace arch
