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

void WindowManager::draw_line(Window& window, i32 x0, i32 y0, i32 x1, i32 y1, Color color, bool invert)
{
    Point origin = window.origin();
    i64 sx0 = i64(x0) + origin.x, sy0 = i64(y0) + origin.y;
    i64 sx1 = i64(x1) + origin.x, sy1 = i64(y1) + origin.y;
    Rect bounds = Rect::from_edges(lib::min(sx0, sx1), lib::min(sy0, sy1), lib::max(sx0, sx1) + 1, lib::max(sy0, sy1) + 1);
    // Coordinates come from 16-bit fields, so the sums fit in 32 bits.
    for_each_clip(window, bounds, [&](const Rect& clip) {
        m_screen.draw_line(i32(sx0), i32(sy0), i32(sx1), i32(sy1), invert ? 0xFFFFFF : color, clip, invert);
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
