// The kernel's page directory as set up by boot.S: 4 MiB pages mapping
// physical 0-768 MiB at 0xC0000000, plus a temporary identity map; and the
// device window at 0xF0000000 and up, where memory-mapped hardware
// (framebuffers, device registers) is mapped with 4 KiB pages.
#pragma once

#include "lib/Error.h"
#include "lib/Types.h"

namespace arch::paging {

// Drops the identity mapping of low memory that boot.S needed to switch on
// paging, so user space (0 - 3 GiB) starts out empty and a null pointer
// dereference in the kernel faults.
void remove_identity_map();

// True when `address` is mapped in the current page directory.
bool is_mapped(uintptr_t address);

constexpr uintptr_t device_window_start = 0xF0000000;
constexpr uintptr_t device_window_end = 0xFFFFF000; // exclusive; the last page stays unmapped

enum class DeviceCaching : u8 {
    // The memory-type range registers decide (right for framebuffers,
    // which firmware often marks write-combining there).
    Default,
    // Page-level cache disable and write-through (Intel SDM vol. 3A,
    // 11.12.3): for device registers that must see every access.
    Uncached,
};

// Maps the physical range [physical, physical + length), rounded out to
// whole pages, into the device window: kernel-only, writable. Returns the
// virtual address of `physical` itself (page offset kept). Virtual space is
// handed out upwards and never reused (devices are mapped once at boot).
//
// The first call creates the page tables of the whole device window in the
// boot page directory (64 frames); it must come before the first process
// exists (initialize_display does it at boot). Every process page directory
// copies the kernel half of the boot directory when it is created, and from
// then on only these shared page tables change, so every later mapping is
// visible in every address space.
//
// Errors: InvalidArgument for length 0 or a range that wraps around the
// physical address space or lies above 4 GiB (no PAE), NoMemory when the
// window is full or no frame is left for the page tables.
ErrorOr<uintptr_t> map_device_memory(PhysicalAddress physical, size_t length,
    DeviceCaching caching = DeviceCaching::Default);

} // namespace arch::paging
