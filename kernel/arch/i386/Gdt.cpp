#include "kernel/arch/i386/Gdt.h"

namespace arch {

namespace {

struct [[gnu::packed]] GdtPointer {
    u16 limit;
    u32 base;
};

// Intel SDM vol. 3A, 7.2.1: 32-bit task-state segment. Only SS0/ESP0 and the
// I/O map base matter to us: we switch tasks in software.
struct [[gnu::packed]] TaskStateSegment {
    u32 previous_task;
    u32 esp0;
    u32 ss0;
    u32 unused[22];
    u16 trap;
    u16 io_map_base;
};

u64 s_gdt[7];
TaskStateSegment s_tss;

// Intel SDM vol. 3A, 3.4.5: segment descriptor layout.
constexpr u64 descriptor(u32 base, u32 limit, u8 access, u8 flags)
{
    return (u64(limit & 0xFFFF)) | (u64(base & 0xFFFFFF) << 16) | (u64(access) << 40)
        | (u64((limit >> 16) & 0xF) << 48) | (u64(flags & 0xF) << 52) | (u64(base >> 24) << 56);
}

// Access bytes: present, DPL, code/data, type. Flags: 4 KiB granularity, 32-bit.
constexpr u8 access_kernel_code = 0x9A;
constexpr u8 access_kernel_data = 0x92;
constexpr u8 access_user_code = 0xFA;
constexpr u8 access_user_data = 0xF2;
constexpr u8 access_tss = 0x89;
constexpr u8 flags_flat = 0xC;

} // namespace

extern "C" void gdt_load(const GdtPointer*, u32 code_selector, u32 data_selector);

void initialize_gdt()
{
    s_tss.ss0 = kernel_data_selector;
    // An I/O map base beyond the segment limit means "no I/O bitmap":
    // user code gets no port access.
    s_tss.io_map_base = sizeof(TaskStateSegment);

    s_gdt[0] = 0;
    s_gdt[1] = descriptor(0, 0xFFFFF, access_kernel_code, flags_flat);
    s_gdt[2] = descriptor(0, 0xFFFFF, access_kernel_data, flags_flat);
    s_gdt[3] = descriptor(0, 0xFFFFF, access_user_code, flags_flat);
    s_gdt[4] = descriptor(0, 0xFFFFF, access_user_data, flags_flat);
    s_gdt[5] = descriptor(reinterpret_cast<u32>(&s_tss), sizeof(s_tss) - 1, access_tss, 0);
    s_gdt[6] = 0; // user_graphics_selector, set_user_graphics_segment

    GdtPointer pointer { sizeof(s_gdt) - 1, reinterpret_cast<u32>(&s_gdt) };
    gdt_load(&pointer, kernel_code_selector, kernel_data_selector);
    asm volatile("ltr %0" ::"r"(tss_selector));
}

void set_kernel_stack(u32 stack_top)
{
    s_tss.esp0 = stack_top;
}

void set_user_graphics_segment(u32 base, u32 size)
{
    u32 pages = size / 4096 + (size % 4096 != 0);
    // Loaded into a segment register only after this; the descriptor is
    // read again at every load, so no reload of the GDT is needed.
    s_gdt[6] = pages ? descriptor(base, pages - 1, access_user_data, flags_flat) : 0;
}

} // namespace arch
