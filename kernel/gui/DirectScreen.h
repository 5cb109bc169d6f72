// Direct screen access for KolibriOS programs (kernel-only; KernelDirectScreen.cpp).
//
// KolibriOS maps the linear framebuffer at 0xFE000000 in every process,
// user-writable (LFB_BASE, init_video and set_framebuffer in
// kernel/trunk/video/framebuffer.inc), and also reaches it through gs
// (the graph_data segment, based there). Function 61 gives its geometry
// and programs write pixels straight into it. KolibriOS has no back
// buffer, so such pixels stay on the screen until the system draws over
// that spot (a window redraw, the desktop).
//
// Colibri draws into a back buffer and copies what changed to the real
// framebuffer. Mapping the real framebuffer for programs would lose their
// pixels at the next copy over them (the cursor passing by, a flush of a
// neighbouring change) and hide them from functions 35/36 (which read the
// back buffer). So the back buffer itself is what programs see at
// 0xFE000000: a write lands where the window system draws, stays there
// until the window system draws over it (the KolibriOS behaviour), and is
// read back by 35/36 and carried along by window moves. The screen learns
// about it from the pages' dirty bits: the GUI thread looks at them every
// time it wakes (at least every 20 ms) and copies the written pages' rows
// to the framebuffer (arch::paging::take_screen_window_writes).
//
// Consequences a program can see:
//  * the geometry is the back buffer's: 32 bits per pixel (blue, green,
//    red, unused byte, as KolibriOS' 32-bit modes), width * 4 bytes per
//    line, whatever the real framebuffer's format (functions 61.2, 61.3);
//  * a write shows within one GUI wake-up, not at once;
//  * the window covers the back buffer rounded up to pages, at most 16 MiB
//    (KolibriOS maps 16 MiB of the card's memory whatever the mode); a
//    program touching the window past that ends with a page fault;
//  * only KolibriOS programs have the window (the loader opens it,
//    arch::PageDirectory::set_screen_access); native programs fault there.
#pragma once

#include "lib/Types.h"

namespace gui {

struct DirectScreen {
    u32 address { 0 };        // of the first pixel in every KolibriOS program
    u32 length { 0 };         // bytes mapped from there
    i32 width { 0 };
    i32 height { 0 };
    u32 bits_per_pixel { 0 };
    u32 pitch { 0 };          // bytes per line
};

// At boot, once the back buffer exists and before the first process:
// maps it into the screen window and bases the graphics segment there.
void initialize_direct_screen();
// False when there is no display or the window could not be made.
bool direct_screen_available();
const DirectScreen& direct_screen();

// From the GUI thread, under GuiLock: marks the rows that programs wrote
// since the last call dirty; true when there were any.
bool take_direct_screen_writes();

} // namespace gui
