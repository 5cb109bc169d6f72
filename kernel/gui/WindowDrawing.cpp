// The drawing primitives of program windows: every one is clipped to the
// visible part of the window (WindowManager.h).
#include "kernel/gui/Decoration.h"
#include "kernel/gui/WindowManager.h"

namespace gui {

template<typename Draw>
void WindowManager::for_each_clip(Window& window, const Rect& bounds, Draw draw)
{
    Rect limit = bounds.intersected(window.m_frame);
    if (limit.is_empty())
        return;
    for (const Rect& visible : window.m_visible) {
        Rect clip = visible.intersected(limit);
        if (clip.is_empty())
            continue;
        draw(clip);
        damage(clip);
    }
}

Region WindowManager::visible_part(const Window& window, const Rect& rect) const
{
    Point origin = window.origin();
    Region part = window.m_visible.clone();
    part.intersect(rect.translated(origin.x, origin.y).intersected(window.m_frame));
    return part;
}

void WindowManager::fill_rect(Window& window, const Rect& rect, Color color, bool gradient)
{
    Point origin = window.origin();
    Rect target = rect.translated(origin.x, origin.y);
    for_each_clip(window, target, [&](const Rect& clip) {
        if (gradient)
            fill_gradient_rect(m_screen, target, color, clip);
        else
            m_screen.fill_rect(target, color, clip);
    });
}

void WindowManager::put_pixel(Window& window, i32 x, i32 y, Color color, bool invert)
{
    Point origin = window.origin();
    Rect target = Rect { x, y, 1, 1 }.translated(origin.x, origin.y);
    for_each_clip(window, target, [&](const Rect& clip) {
        if (invert)
            m_screen.invert_pixel(target.x, target.y, 0xFFFFFF, clip);
        else
            m_screen.set_pixel(target.x, target.y, color, clip);
    });
}

namespace {

// The pixels of a function 38 line from (x1, y1) to (x2, y2), both ends
// included, in the order and at the places __sys_draw_line
// (video/vesa20.inc) puts them: a vertical or horizontal line pixel by
// pixel; otherwise 16.16 fixed-point steps along the longer axis from the
// end with the smaller coordinate there, each point rounded half up, and
// at last (x2, y2) itself. The slope is the quotient of the division
// truncated, plus one unless twice the remainder, taken as unsigned,
// exceeds the divisor: that is what the kernel does, so its lines are
// reproduced pixel for pixel.
template<typename Plot>
void kolibri_line(i64 x1, i64 y1, i64 x2, i64 y2, Plot plot)
{
    if (x1 == x2) {
        for (i64 y = lib::min(y1, y2); y <= lib::max(y1, y2); ++y)
            plot(x1, y);
        return;
    }
    if (y1 == y2) {
        for (i64 x = lib::min(x1, x2); x <= lib::max(x1, x2); ++x)
            plot(x, y1);
        return;
    }
    i64 dx = x2 - x1, dy = y2 - y1;
    i64 length_x = dx < 0 ? -dx : dx, length_y = dy < 0 ? -dy : dy;
    auto slope = [](i64 numerator, i64 divisor) {
        i64 quotient = numerator * 65536 / divisor;
        i64 remainder = numerator * 65536 % divisor;
        if (!(u32(divisor) < u32(remainder * 2)))
            ++quotient;
        return quotient;
    };
    i64 step_x, step_y, count;
    if (length_y > length_x) {
        if (y2 < y1) {
            lib::swap(x1, x2);
            lib::swap(y1, y2);
            dx = -dx;
        }
        step_x = slope(dx, length_y);
        step_y = 65536;
        count = length_y;
    } else {
        if (x2 < x1) {
            lib::swap(x1, x2);
            lib::swap(y1, y2);
            dy = -dy;
        }
        step_y = slope(dy, length_x);
        step_x = 65536;
        count = length_x;
    }
    i64 x = x1 * 65536, y = y1 * 65536;
    for (i64 i = 0; i < count; ++i) {
        plot((x + 0x8000) >> 16, (y + 0x8000) >> 16);
        x += step_x;
        y += step_y;
    }
    plot(x2, y2);
}

} // namespace

void WindowManager::draw_line(Window& window, i32 x0, i32 y0, i32 x1, i32 y1, Color color, bool invert)
{
    Point origin = window.origin();
    i64 sx0 = i64(x0) + origin.x, sy0 = i64(y0) + origin.y;
    i64 sx1 = i64(x1) + origin.x, sy1 = i64(y1) + origin.y;
    Rect bounds = Rect::from_edges(lib::min(sx0, sx1), lib::min(sy0, sy1), lib::max(sx0, sx1) + 1, lib::max(sy0, sy1) + 1);
    // Coordinates come from 16-bit fields, so the walk is at most 65536
    // steps and every point fits in 32 bits.
    for_each_clip(window, bounds, [&](const Rect& clip) {
        kolibri_line(sx0, sy0, sx1, sy1, [&](i64 x, i64 y) {
            if (invert)
                m_screen.invert_pixel(i32(x), i32(y), 0xFFFFFF, clip);
            else
                m_screen.set_pixel(i32(x), i32(y), color, clip);
        });
    });
}

void WindowManager::draw_text(Window& window, i32 x, i32 y, const u8* text, size_t length, const TextStyle& style)
{
    Point origin = window.origin();
    i64 sx = i64(x) + origin.x, sy = i64(y) + origin.y;
    Rect band = Rect::from_edges(sx, sy, window.m_frame.right(), sy + char_height(style));
    for_each_clip(window, band, [&](const Rect& clip) {
        gui::draw_text(m_screen, clip, i32(sx), i32(sy), text, length, style);
    });
}

void WindowManager::blit(Window& window, i32 x, i32 y, const u32* pixels, i32 width, i32 height, i32 stride)
{
    Point origin = window.origin();
    Rect target = Rect { x, y, width, height }.translated(origin.x, origin.y);
    for_each_clip(window, target, [&](const Rect& clip) {
        m_screen.blit(target.x, target.y, pixels, width, height, stride, clip);
    });
}

void WindowManager::paint_button(Window& window, const Button& button)
{
    if (!button.drawn || button.system)
        return;
    Rect target = button.rect.translated(window.m_frame.x, window.m_frame.y);
    for_each_clip(window, target, [&](const Rect& clip) { draw_button_face(m_screen, target, button.color, clip); });
}

void WindowManager::invert_button_frame(Window& window, const Button& button)
{
    Rect target = button.rect.translated(window.m_frame.x, window.m_frame.y);
    for_each_clip(window, target, [&](const Rect& clip) { invert_outline(m_screen, target, clip); });
}

} // namespace gui
