// The back buffer in KolibriOS programs at 0xFE000000 (kernel-only glue:
// it drives the page tables); see DirectScreen.h.
#include "kernel/gui/DirectScreen.h"

#include "kernel/arch/i386/Gdt.h"
#include "kernel/arch/i386/Layout.h"
#include "kernel/arch/i386/Paging.h"
#include "kernel/debug/Log.h"
#include "kernel/gui/Display.h"

namespace gui {

namespace {

DirectScreen s_screen;
bool s_available;

struct WriteScan {
    i32 width;
    i32 height;
    bool any;
};

// A byte range of the back buffer, written by a program, becomes the
// rectangle of rows it touches (one row: just the pixels of it).
void note_written(size_t offset, size_t length, void* context)
{
    auto& scan = *static_cast<WriteScan*>(context);
    u64 const pixels = u64(scan.width) * u64(scan.height);
    u64 const first = offset / 4;
    u64 const end = lib::min<u64>((u64(offset) + length + 3) / 4, pixels);
    if (first >= end)
        return; // the rest of the last page, past the screen
    i32 const top = i32(first / u64(scan.width));
    i32 const bottom = i32((end - 1) / u64(scan.width));
    if (top == bottom) {
        i32 const left = i32(first % u64(scan.width));
        mark_dirty({ left, top, i32(end - first), 1 });
    } else {
        mark_dirty({ 0, top, scan.width, bottom - top + 1 });
    }
    scan.any = true;
}

} // namespace

void initialize_direct_screen()
{
    if (!display_available())
        return;
    Surface& surface = back_buffer();
    // The back buffer is one run of frames in the direct map, a line of
    // pixels after another (KernelDisplay.cpp, activate).
    if (surface.stride() != surface.width())
        return;
    size_t const bytes = size_t(surface.width()) * size_t(surface.height()) * 4;
    auto mapped = arch::paging::map_screen_window(arch::virtual_to_physical(surface.pixels()), bytes);
    if (mapped.is_error()) {
        kernel::log_warning("display: no direct screen access for KolibriOS programs: %s", mapped.error().context());
        return;
    }
    s_screen = { u32(arch::paging::screen_window_start), u32(mapped.value()), surface.width(), surface.height(), 32,
        u32(surface.width()) * 4 };
    if (mapped.value() < bytes)
        kernel::log_warning("display: only the first %u KiB of the screen are at 0x%08x for KolibriOS programs",
            unsigned(mapped.value() / 1024), s_screen.address);
    // gs:0 is the first pixel (function 61), as KolibriOS' graph_data.
    arch::set_user_graphics_segment(s_screen.address, s_screen.length);
    s_available = true;
}

bool direct_screen_available() { return s_available; }

const DirectScreen& direct_screen() { return s_screen; }

bool take_direct_screen_writes()
{
    if (!s_available)
        return false;
    WriteScan scan { s_screen.width, s_screen.height, false };
    arch::paging::take_screen_window_writes(note_written, &scan);
    return scan.any;
}

} // namespace gui
