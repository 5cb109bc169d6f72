// The desktop picture of KolibriOS function 15 (sysfuncs.txt, "Function
// 15"): an image of width x height pixels, stored as KolibriOS stores it
// and programs see it (15.2/15.5 offsets, the 15.6 mapping): three bytes
// per pixel, blue, green, red, row after row with no padding, so pixel
// (x, y) starts at byte (x + y * width) * 3. It covers the screen tiled
// from the top-left corner or stretched to the screen size (15.4).
//
// Portable: the storage belongs to the caller (the kernel glue gives it
// physically contiguous pages that a program can map; host tests give a
// vector), and every operation stays inside it whatever its arguments.
#pragma once

#include "kernel/gui/Surface.h"
#include "lib/Types.h"

namespace gui {

enum class BackgroundMode : u8 {
    Tile = 1,    // 15.4, ECX = 1
    Stretch = 2, // 15.4, ECX = 2
};

class BackgroundImage {
public:
    // The largest image 15.1 accepts: both sides at most max_side pixels
    // and at most max_bytes of pixel data (more than a 2560 x 1600 screen).
    static constexpr u32 max_side = 8192;
    static constexpr u64 max_bytes = 16 * 1024 * 1024;

    // Bytes of pixel data for a width x height image; 0 when either side
    // is 0 or the image exceeds the limits above (no arithmetic overflow
    // for any 32-bit arguments).
    static u64 bytes_for(u32 width, u32 height);

    BackgroundImage() = default;

    // Uses `pixels` (at least bytes_for(width, height) bytes, which the
    // caller checked) as the image; its contents are kept as they are.
    void attach(u8* pixels, i32 width, i32 height);
    // No image any more (the caller frees the storage).
    void detach();

    bool is_set() const { return m_pixels != nullptr; }
    i32 width() const { return m_width; }
    i32 height() const { return m_height; }
    size_t byte_size() const { return size_t(m_width) * size_t(m_height) * 3; }
    u8* data() { return m_pixels; }
    const u8* data() const { return m_pixels; }

    BackgroundMode mode() const { return m_mode; }
    void set_mode(BackgroundMode mode) { m_mode = mode; }

    // 15.2: the three bytes of `color` (blue, green, red) at byte `offset`.
    // False, and nothing changes, unless all three bytes lie in the image.
    bool put_pixel(u64 offset, Color color);
    // 15.5: `length` bytes to byte `offset`; the part outside the image is
    // dropped. Returns the bytes written.
    size_t write(u64 offset, const u8* bytes, size_t length);
    // The part of [offset, offset + length) inside the image, as a count of
    // bytes from `offset` (0 when `offset` is past the end).
    size_t bytes_inside(u64 offset, u64 length) const;

    // The image pixel (x, y) as 0x00RRGGBB; 0 outside the image.
    Color pixel(i32 x, i32 y) const;
    // The image pixel shown at screen point (x, y) of a `screen` sized
    // desktop: (x mod width, y mod height) tiled, (x * width / screen
    // width, y * height / screen height) stretched (nearest neighbour).
    Color pixel_on_screen(i32 x, i32 y, const Rect& screen) const;

    // Paints the desktop of `surface` (its bounds are the screen) inside
    // `clip`. Nothing without an image.
    void paint(Surface&, const Rect& clip) const;

private:
    i32 column_on_screen(i32 x, i32 screen_width) const;
    i32 row_on_screen(i32 y, i32 screen_height) const;

    u8* m_pixels { nullptr };
    i32 m_width { 0 };
    i32 m_height { 0 };
    BackgroundMode m_mode { BackgroundMode::Stretch };
};

} // namespace gui
