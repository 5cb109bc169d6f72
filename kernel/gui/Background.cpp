#include "kernel/gui/Background.h"

namespace gui {

u64 BackgroundImage::bytes_for(u32 width, u32 height)
{
    if (width == 0 || height == 0 || width > max_side || height > max_side)
        return 0;
    u64 bytes = u64(width) * height * 3;
    return bytes <= max_bytes ? bytes : 0;
}

void BackgroundImage::attach(u8* pixels, i32 width, i32 height)
{
    if (!pixels || width <= 0 || height <= 0) {
        detach();
        return;
    }
    m_pixels = pixels;
    m_width = width;
    m_height = height;
}

void BackgroundImage::detach()
{
    m_pixels = nullptr;
    m_width = 0;
    m_height = 0;
}

size_t BackgroundImage::bytes_inside(u64 offset, u64 length) const
{
    u64 size = byte_size();
    if (offset >= size)
        return 0;
    return size_t(lib::min(length, size - offset));
}

bool BackgroundImage::put_pixel(u64 offset, Color color)
{
    if (!is_set() || bytes_inside(offset, 3) != 3)
        return false;
    u8* at = m_pixels + offset;
    at[0] = u8(color);
    at[1] = u8(color >> 8);
    at[2] = u8(color >> 16);
    return true;
}

size_t BackgroundImage::write(u64 offset, const u8* bytes, size_t length)
{
    if (!is_set() || !bytes)
        return 0;
    size_t count = bytes_inside(offset, length);
    u8* to = m_pixels + offset;
    for (size_t i = 0; i < count; ++i)
        to[i] = bytes[i];
    return count;
}

Color BackgroundImage::pixel(i32 x, i32 y) const
{
    if (!is_set() || x < 0 || y < 0 || x >= m_width || y >= m_height)
        return 0;
    const u8* at = m_pixels + (size_t(y) * size_t(m_width) + size_t(x)) * 3;
    return Color(at[2]) << 16 | Color(at[1]) << 8 | at[0];
}

i32 BackgroundImage::column_on_screen(i32 x, i32 screen_width) const
{
    if (m_mode == BackgroundMode::Tile || screen_width <= 0) {
        i32 column = x % m_width;
        return column < 0 ? column + m_width : column;
    }
    i64 column = i64(x) * m_width / screen_width;
    return i32(lib::max<i64>(0, lib::min<i64>(column, m_width - 1)));
}

i32 BackgroundImage::row_on_screen(i32 y, i32 screen_height) const
{
    if (m_mode == BackgroundMode::Tile || screen_height <= 0) {
        i32 row = y % m_height;
        return row < 0 ? row + m_height : row;
    }
    i64 row = i64(y) * m_height / screen_height;
    return i32(lib::max<i64>(0, lib::min<i64>(row, m_height - 1)));
}

Color BackgroundImage::pixel_on_screen(i32 x, i32 y, const Rect& screen) const
{
    if (!is_set())
        return 0;
    return pixel(column_on_screen(x - screen.x, screen.width), row_on_screen(y - screen.y, screen.height));
}

void BackgroundImage::paint(Surface& surface, const Rect& clip) const
{
    if (!is_set())
        return;
    Rect screen = surface.bounds();
    Rect area = clip.intersected(screen);
    if (area.is_empty())
        return;
    // The columns repeat on every row: compute them once per call, in
    // chunks, so a large area costs no division per pixel.
    constexpr i32 chunk = 256;
    i32 columns[chunk];
    for (i32 x0 = area.x; x0 < area.right(); x0 += chunk) {
        i32 count = i32(lib::min<i64>(chunk, area.right() - x0));
        for (i32 i = 0; i < count; ++i)
            columns[i] = column_on_screen(x0 + i, screen.width);
        for (i32 y = area.y; y < area.bottom(); ++y) {
            const u8* source = m_pixels + size_t(row_on_screen(y, screen.height)) * size_t(m_width) * 3;
            u32* target = surface.row(y) + x0;
            for (i32 i = 0; i < count; ++i) {
                const u8* at = source + size_t(columns[i]) * 3;
                target[i] = Color(at[2]) << 16 | Color(at[1]) << 8 | at[0];
            }
        }
    }
}

} // namespace gui
