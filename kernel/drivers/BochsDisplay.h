// The Bochs/QEMU display adapter ("dispi" interface, the VBE extension of
// Bochs' VGA that QEMU's standard VGA `-vga std` emulates too): a register
// index is written to port 0x1CE and the register's value read or written
// at 0x1CF. Programming it needs no BIOS call, so the kernel can set a mode
// whatever the boot loader did. The linear framebuffer is the memory BAR 0
// of PCI device 1234:1111.
//
// Pixel layouts in the framebuffer (as QEMU and Bochs store them,
// little-endian): 32 bpp xRGB 8:8:8:8, 24 bpp B,G,R bytes, 16 bpp RGB 5:6:5,
// 15 bpp xRGB 1:5:5:5.
#pragma once

#include "lib/Error.h"
#include "lib/Types.h"

namespace drivers::bochs_display {

struct Mode {
    u32 width;
    u32 height;
    u32 bits_per_pixel; // 15, 16, 24 or 32
};

struct Framebuffer {
    PhysicalAddress address;
    u64 memory_size; // bytes of video memory behind `address`
    u32 width;
    u32 height;
    u32 bits_per_pixel;
    u32 pitch; // bytes per line
};

// Looks for the adapter: the PCI device 1234:1111 and a dispi version the
// registers answer with (0xB0C0-0xB0C5). NotFound when either is missing.
ErrorOr<void> detect();

// The largest width, height and depth the adapter offers (its "GETCAPS"
// values); detect() must have succeeded.
Mode capabilities();

// Switches to `mode` with the linear framebuffer enabled. Unsupported when
// the depth is not one of 15/16/24/32, the size exceeds the capabilities or
// the video memory; IoError when the adapter did not take the mode.
ErrorOr<Framebuffer> set_mode(const Mode&);

} // namespace drivers::bochs_display
