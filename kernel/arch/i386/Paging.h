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
constexpr uintptr_t device_window_end = 0xFE000000; // exclusive; the screen window follows

// The screen window: KolibriOS programs find the screen at 0xFE000000
// (LFB_BASE in kernel/trunk/const.inc), in every process, user-writable,
// 16 MiB of it (init_video in video/framebuffer.inc fills four 4 MiB
// directory entries and set_framebuffer copies them into every address
// space). Here it shows the window system's back buffer (see
// kernel/gui/DirectScreen.h for why). Its page tables are shared like the
// device window's; its page-directory entries carry the user bit only in
// the directories that PageDirectory::set_screen_access opens, so only
// KolibriOS programs reach it. Pages past what map_screen_window mapped
// stay absent: a program touching them takes a page fault at a kernel
// address and is ended, as for any other kernel address.
constexpr uintptr_t screen_window_start = 0xFE000000;
constexpr uintptr_t screen_window_size = 16 * 1024 * 1024;

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

// Maps physical [physical, physical + length) at screen_window_start,
// user-accessible and writable (write-back: it is ordinary memory). At
// most screen_window_size bytes are mapped (the rest of a larger range is
// left out); returns how many, a whole number of pages. Once, at boot,
// before the first process (like map_device_memory's first call).
// Errors: InvalidArgument for an empty, unaligned or out-of-range
// physical range, or a second call; NoMemory for the page tables.
ErrorOr<size_t> map_screen_window(PhysicalAddress physical, size_t length);
// Bytes mapped at screen_window_start (0 before map_screen_window).
size_t screen_window_length();

// Reports the parts of the screen window written since the last call, as
// byte ranges [offset, offset + length) from screen_window_start, each a
// run of whole pages, in ascending order, and forgets them. Uses the
// pages' dirty bits (Intel SDM vol. 3A, 4.8): each is cleared and its
// TLB entry dropped before the range is reported, so a write that comes
// while the caller copies the range marks the page again and is reported
// by the next call. One CPU: entries of other address spaces are dropped
// by the CR3 switch to them (the window's pages are not global).
void take_screen_window_writes(void (*report)(size_t offset, size_t length, void* context), void* context);

} // namespace arch::paging
