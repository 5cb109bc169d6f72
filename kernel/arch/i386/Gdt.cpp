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

// The TSS with its I/O permission bitmap right after it, and the byte of
// all ones the processor needs after the bitmap (SDM vol. 1, 19.5.2).
struct [[gnu::packed]] TaskStateWithIoMap {
    TaskStateSegment tss;
    u8 io_map[IoPermissionMap::ports / 8];
    u8 io_map_end;
};

u64 s_gdt[7];
TaskStateWithIoMap s_task_state;
TaskStateSegment& s_tss = s_task_state.tss;

// What the bitmap holds: the map loaded last (only compared, never read:
// it may have been freed since) and its version; `s_io_map_open` while
// some port is allowed.
const IoPermissionMap* s_loaded_map;
u32 s_loaded_version;
bool s_io_map_open;
u32 s_io_map_versions;

void fill_io_map(const u8* source)
{
    auto* target = reinterpret_cast<u32*>(s_task_state.io_map);
    for (u32 i = 0; i < sizeof(s_task_state.io_map) / 4; ++i) {
        u32 word = 0xFFFFFFFF;
        if (source)
            word = u32(source[4 * i]) | u32(source[4 * i + 1]) << 8 | u32(source[4 * i + 2]) << 16
                | u32(source[4 * i + 3]) << 24;
        target[i] = word;
    }
}

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
    // The bitmap follows the TSS and denies every port until a process
    // is given some (function 46 of the KolibriOS personality).
    s_tss.io_map_base = sizeof(TaskStateSegment);
    fill_io_map(nullptr);
    s_task_state.io_map_end = 0xFF;

    s_gdt[0] = 0;
    s_gdt[1] = descriptor(0, 0xFFFFF, access_kernel_code, flags_flat);
    s_gdt[2] = descriptor(0, 0xFFFFF, access_kernel_data, flags_flat);
    s_gdt[3] = descriptor(0, 0xFFFFF, access_user_code, flags_flat);
    s_gdt[4] = descriptor(0, 0xFFFFF, access_user_data, flags_flat);
    s_gdt[5] = descriptor(reinterpret_cast<u32>(&s_task_state), sizeof(s_task_state) - 1, access_tss, 0);
    s_gdt[6] = 0; // user_graphics_selector, set_user_graphics_segment

    GdtPointer pointer { sizeof(s_gdt) - 1, reinterpret_cast<u32>(&s_gdt) };
    gdt_load(&pointer, kernel_code_selector, kernel_data_selector);
    asm volatile("ltr %0" ::"r"(tss_selector));
}

void set_kernel_stack(u32 stack_top)
{
    s_tss.esp0 = stack_top;
}

void load_io_permissions(const IoPermissionMap* map)
{
    if (map == s_loaded_map && (!map || map->version == s_loaded_version))
        return;
    if (map) {
        fill_io_map(map->denied);
        s_io_map_open = true;
    } else if (s_io_map_open) {
        fill_io_map(nullptr);
        s_io_map_open = false;
    }
    s_loaded_map = map;
    s_loaded_version = map ? map->version : 0;
}

void io_permissions_changed(IoPermissionMap& map)
{
    map.version = ++s_io_map_versions;
    if (s_loaded_map == &map) {
        s_loaded_map = nullptr; // force the copy
        load_io_permissions(&map);
    }
}

void forget_io_permissions(const IoPermissionMap* map)
{
    if (map && s_loaded_map == map)
        load_io_permissions(nullptr);
}

void set_user_graphics_segment(u32 base, u32 size)
{
    u32 pages = size / 4096 + (size % 4096 != 0);
    // Loaded into a segment register only after this; the descriptor is
    // read again at every load, so no reload of the GDT is needed.
    s_gdt[6] = pages ? descriptor(base, pages - 1, access_user_data, flags_flat) : 0;
}

} // namespace arch
