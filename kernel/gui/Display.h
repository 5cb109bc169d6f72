// The screen (kernel-only; implemented in KernelDisplay.cpp). Everything is
// drawn into a 32-bit back buffer the size of the screen; `flush` copies the
// dirty parts to the real framebuffer, converting to its pixel format
// (32, 24 or 16 bits per pixel), so the screen never shows a half-drawn
// frame and a redraw costs in proportion to what changed.
//
// The framebuffer comes from, in this order: the boot loader (Multiboot
// framebuffer information from GRUB or Colibri's own VBE loader), the
// Bochs/QEMU display adapter programmed directly (PCI device 1234:1111,
// "dispi" registers) at 1024x768x32 or the size asked for on the command
// line (`video=WIDTHxHEIGHTxBPP`), else nothing: then display_available()
// is false and the system runs with the serial console (and the VGA text
// screen) only. An explicit `video=` mode goes to the Bochs adapter even when
// the loader set a mode; `video=off` keeps the text screen.
#pragma once

#include "kernel/boot/MultibootInfo.h"
#include "kernel/gui/Geometry.h"
#include "kernel/gui/Surface.h"
#include "lib/String.h"

namespace gui {

struct DisplayInfo {
    i32 width { 0 };
    i32 height { 0 };
    u32 bits_per_pixel { 0 };  // of the real framebuffer: 15, 16, 24 or 32
    u32 pitch { 0 };           // bytes per framebuffer line
    u64 physical_address { 0 };
    const char* source { "none" }; // "multiboot", "bochs-dispi", "none"
};

// Called once at boot after memory and paging are up; maps the framebuffer
// (at 0xF0000000 upwards, kernel only) and allocates the back buffer.
// `command_line` may ask for a mode (`video=800x600x16`).
void initialize_display(const boot::BootInfo&, StringView command_line);

bool display_available();
const DisplayInfo& display_info();

// The whole screen, 32 bits per pixel (0x00RRGGBB).
Surface& back_buffer();
// Records that a rectangle of the back buffer changed.
void mark_dirty(const Rect&);
// Copies every dirty rectangle to the framebuffer and forgets them.
void flush();

// Statistics for benchmarks and `gui` shell output.
struct DisplayStatistics {
    u64 flushes;
    u64 pixels_copied;
};
DisplayStatistics display_statistics();

} // namespace gui
