// Global descriptor table and the task-state segment.
#pragma once

#include "lib/Types.h"

namespace arch {

// Segment selectors; user selectors carry RPL 3.
constexpr u16 kernel_code_selector = 0x08;
constexpr u16 kernel_data_selector = 0x10;
constexpr u16 user_code_selector = 0x18 | 3;
constexpr u16 user_data_selector = 0x20 | 3;
constexpr u16 tss_selector = 0x28;
// Ring-3 data segment for KolibriOS's direct screen access (function 61:
// programs reach the framebuffer through gs). Unusable until set.
constexpr u16 user_graphics_selector = 0x30 | 3;

// Loads flat 4 GiB code/data segments for ring 0 and ring 3 and a TSS.
void initialize_gdt();

// The stack the CPU switches to when an interrupt arrives in user mode
// (TSS.ESP0). The scheduler sets it to the running thread's kernel stack.
void set_kernel_stack(u32 stack_top);

// The ports a process may use from ring 3 (Intel SDM vol. 1, 19.5.2:
// the I/O permission bitmap of the TSS; IOPL stays 0, so every IN/OUT in
// user mode is checked against it). A set bit denies the port; a fresh map
// denies all. `version` changes with every change (io_permissions_changed).
struct IoPermissionMap {
    static constexpr u32 ports = 65536;
    u8 denied[ports / 8];
    u32 version { 0 };
    IoPermissionMap()
    {
        for (u8& byte : denied)
            byte = 0xFF;
    }
};

// Puts `map` (null: no port) into the TSS; the scheduler calls it on every
// switch. Cheap while the map loaded last is the same and unchanged (the
// common case: neither thread's process has any port). Interrupts off.
void load_io_permissions(const IoPermissionMap*);
// After `map` changed: gives it a new version and reloads the TSS when
// it holds `map`. Interrupts off.
void io_permissions_changed(IoPermissionMap&);
// `map` is about to be freed: the TSS forgets it. Interrupts off.
void forget_io_permissions(const IoPermissionMap*);

// Makes user_graphics_selector a writable ring-3 data segment of `size`
// bytes (rounded up to whole pages) at linear address `base`.
void set_user_graphics_segment(u32 base, u32 size);

} // namespace arch
