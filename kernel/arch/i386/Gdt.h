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

// Makes user_graphics_selector a writable ring-3 data segment of `size`
// bytes (rounded up to whole pages) at linear address `base`.
void set_user_graphics_segment(u32 base, u32 size);

} // namespace arch
