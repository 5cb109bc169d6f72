// A 32-bit pixel buffer (0x00RRGGBB per pixel) and the drawing primitives
// every layer above uses. A Surface does not own its pixels: it is a view
// of the screen's back buffer, of a test's array, or of part of either.
// Every primitive takes a clip rectangle (in surface coordinates) and
// touches no pixel outside clip ∩ bounds, whatever its arguments.
#pragma once

#include "kernel/gui/Geometry.h"
#include "lib/Types.h"

namespace gui {

using Color = u32; // 0x00RRGGBB

class Surface {
public:
    Surface() = default;
    // `stride` is in pixels (>= width).
    Surface(u32* pixels, i32 width, i32 height, i32 stride)
        : m_pixels(pixels), m_width(width), m_height(height), m_stride(stride) { }

    u32* pixels() { return m_pixels; }
    const u32* pixels() const { return m_pixels; }
    i32 width() const { return m_width; }
    i32 height() const { return m_height; }
    i32 stride() const { return m_stride; }
    Rect bounds() const { return { 0, 0, m_width, m_height }; }
    bool is_valid() const { return m_pixels && m_width > 0 && m_height > 0; }

    // Unchecked access for callers that clipped already.
    u32* row(i32 y) { return m_pixels + static_cast<size_t>(y) * m_stride; }
    const u32* row(i32 y) const { return m_pixels + static_cast<size_t>(y) * m_stride; }

    // 0 for points outside the surface.
    Color pixel(i32 x, i32 y) const;
    void set_pixel(i32 x, i32 y, Color, const Rect& clip);
    // XORs the pixel with `color` (KolibriOS's "inverse" drawing mode).
    void invert_pixel(i32 x, i32 y, Color, const Rect& clip);

    void fill_rect(const Rect&, Color, const Rect& clip);
    // Both ends included, as KolibriOS draws lines (function 38).
    void draw_line(i32 x0, i32 y0, i32 x1, i32 y1, Color, const Rect& clip, bool invert = false);
    // Copies a width x height block of 32-bit pixels (source stride in
    // pixels) to (x, y).
    void blit(i32 x, i32 y, const u32* source, i32 width, i32 height, i32 source_stride, const Rect& clip);
    // Copies a rectangle of another surface (which may be this one: the
    // copy behaves as if through a temporary) to (x, y).
    void copy_from(const Surface& source, const Rect& source_rect, i32 x, i32 y, const Rect& clip);

private:
    Rect visible(const Rect& clip) const { return clip.intersected(bounds()); }

    u32* m_pixels { nullptr };
    i32 m_width { 0 };
    i32 m_height { 0 };
    i32 m_stride { 0 };
};

} // namespace gui
