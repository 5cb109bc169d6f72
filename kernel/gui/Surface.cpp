#include "kernel/gui/Surface.h"

namespace gui {

Color Surface::pixel(i32 x, i32 y) const
{
    if (!bounds().contains(x, y))
        return 0;
    return row(y)[x];
}

void Surface::set_pixel(i32 x, i32 y, Color color, const Rect& clip)
{
    if (visible(clip).contains(x, y))
        row(y)[x] = color & 0xFFFFFF;
}

void Surface::invert_pixel(i32 x, i32 y, Color color, const Rect& clip)
{
    if (visible(clip).contains(x, y))
        row(y)[x] = (row(y)[x] ^ color) & 0xFFFFFF;
}

void Surface::fill_rect(const Rect& rect, Color color, const Rect& clip)
{
    Rect area = rect.intersected(visible(clip));
    color &= 0xFFFFFF;
    for (i32 y = area.y; y < area.y + area.height; ++y) {
        u32* line = row(y) + area.x;
        for (i32 i = 0; i < area.width; ++i)
            line[i] = color;
    }
}

void Surface::draw_line(i32 x0, i32 y0, i32 x1, i32 y1, Color color, const Rect& clip, bool invert)
{
    Rect area = visible(clip);
    if (area.is_empty())
        return;
    // Bresenham in 64-bit arithmetic (coordinates come from programs).
    i64 dx = x1 > x0 ? i64(x1) - x0 : i64(x0) - x1;
    i64 dy = y1 > y0 ? i64(y1) - y0 : i64(y0) - y1;
    int step_x = x0 < x1 ? 1 : -1;
    int step_y = y0 < y1 ? 1 : -1;
    // A line reaching far off screen: walk only while it can still come
    // back into view; the walk is bounded by the longer axis anyway, and
    // absurd lengths are cut to what a screen can show.
    constexpr i64 max_steps = 1 << 16;
    if (dx > max_steps || dy > max_steps)
        return;
    i64 error = dx - dy;
    i64 x = x0, y = y0;
    for (;;) {
        if (x >= area.left() && x < area.right() && y >= area.top() && y < area.bottom()) {
            u32& pixel = row(static_cast<i32>(y))[x];
            pixel = (invert ? pixel ^ color : color) & 0xFFFFFF;
        }
        if (x == x1 && y == y1)
            break;
        i64 doubled = 2 * error;
        if (doubled > -dy) {
            error -= dy;
            x += step_x;
        }
        if (doubled < dx) {
            error += dx;
            y += step_y;
        }
    }
}

void Surface::blit(i32 x, i32 y, const u32* source, i32 width, i32 height, i32 source_stride, const Rect& clip)
{
    Rect target = Rect { x, y, width, height }.intersected(visible(clip));
    for (i32 row_y = target.y; row_y < target.y + target.height; ++row_y) {
        const u32* from = source + static_cast<size_t>(row_y - y) * source_stride + (target.x - x);
        u32* to = row(row_y) + target.x;
        for (i32 i = 0; i < target.width; ++i)
            to[i] = from[i] & 0xFFFFFF;
    }
}

void Surface::copy_from(const Surface& source, const Rect& source_rect, i32 x, i32 y, const Rect& clip)
{
    Rect from = source_rect.intersected(source.bounds());
    // Where the readable part of the source lands, clipped here.
    Rect target = Rect { i32(x + (from.x - source_rect.x)), i32(y + (from.y - source_rect.y)), from.width, from.height }
                      .intersected(visible(clip));
    if (target.is_empty())
        return;
    i32 offset_x = from.x - (x + (from.x - source_rect.x));
    i32 offset_y = from.y - (y + (from.y - source_rect.y));
    // Overlapping copies inside one buffer: choose the direction.
    bool backwards = source.m_pixels == m_pixels && offset_y < 0;
    for (i32 i = 0; i < target.height; ++i) {
        i32 row_y = backwards ? target.y + target.height - 1 - i : target.y + i;
        const u32* from_row = source.row(row_y + offset_y) + target.x + offset_x;
        u32* to_row = row(row_y) + target.x;
        if (source.m_pixels == m_pixels && offset_y == 0 && offset_x < 0) {
            for (i32 j = target.width - 1; j >= 0; --j)
                to_row[j] = from_row[j];
        } else {
            for (i32 j = 0; j < target.width; ++j)
                to_row[j] = from_row[j];
        }
    }
}

} // namespace gui
