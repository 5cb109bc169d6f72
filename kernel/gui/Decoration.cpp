#include "kernel/gui/Decoration.h"

#include "kernel/gui/Font.h"
#include "kernel/gui/Skin.h"
#include "kernel/gui/SkinFile.h"
#include "kernel/gui/WindowManager.h"

namespace gui {

namespace {

DesktopPainter s_desktop_painter;
void* s_desktop_context;
const SkinFile* s_loaded_skin;

u32 channel(Color color, int shift) { return (color >> shift) & 0xFF; }

} // namespace

Color mix(Color a, Color b, i32 numerator, i32 denominator)
{
    if (denominator <= 0)
        return a;
    if (numerator < 0)
        numerator = 0;
    if (numerator > denominator)
        numerator = denominator;
    Color result = 0;
    for (int shift = 0; shift <= 16; shift += 8) {
        i32 from = i32(channel(a, shift));
        i32 to = i32(channel(b, shift));
        i32 value = from + (to - from) * numerator / denominator;
        result |= u32(value & 0xFF) << shift;
    }
    return result;
}

Color shaded(Color color) { return (color >> 1) & 0x7F7F7F; }

void fill_vertical_gradient(Surface& surface, const Rect& rect, Color top, Color bottom, const Rect& clip)
{
    Rect area = rect.intersected(clip).intersected(surface.bounds());
    if (area.is_empty())
        return;
    i32 span = rect.height > 1 ? rect.height - 1 : 1;
    for (i32 y = area.y; y < area.y + area.height; ++y) {
        Color color = mix(top, bottom, y - rect.y, span);
        surface.fill_rect({ area.x, y, area.width, 1 }, color, clip);
    }
}

void fill_gradient_rect(Surface& surface, const Rect& rect, Color color, const Rect& clip)
{
    Rect area = rect.intersected(clip).intersected(surface.bounds());
    for (i32 y = area.y; y < area.y + area.height; ++y) {
        i32 step = y - rect.y;
        i32 blue = i32(color & 0xFF) - step;
        Color row = (color & 0xFFFF00) | u32(blue < 0 ? 0 : blue);
        surface.fill_rect({ area.x, y, area.width, 1 }, row, clip);
    }
}

namespace {

u32 s_standard_colors[standard_color_bytes / 4] = {
    skin::standard_colors[0], skin::standard_colors[1], skin::standard_colors[2], skin::standard_colors[3],
    skin::standard_colors[4], skin::standard_colors[5], skin::standard_colors[6], skin::standard_colors[7],
    skin::standard_colors[8], skin::standard_colors[9],
};

} // namespace

const u32* standard_colors() { return s_standard_colors; }

void set_standard_colors(const u8* bytes, size_t size)
{
    size = lib::min(size, standard_color_bytes);
    auto* target = reinterpret_cast<u8*>(s_standard_colors);
    for (size_t i = 0; i < size; ++i)
        target[i] = bytes[i];
}

void draw_outline(Surface& surface, const Rect& rect, Color color, const Rect& clip)
{
    if (rect.is_empty())
        return;
    surface.fill_rect({ rect.x, rect.y, rect.width, 1 }, color, clip);
    surface.fill_rect({ rect.x, i32(rect.bottom() - 1), rect.width, 1 }, color, clip);
    surface.fill_rect({ rect.x, rect.y, 1, rect.height }, color, clip);
    surface.fill_rect({ i32(rect.right() - 1), rect.y, 1, rect.height }, color, clip);
}

void invert_outline(Surface& surface, const Rect& rect, const Rect& clip)
{
    if (rect.is_empty())
        return;
    Rect area = clip.intersected(surface.bounds());
    auto invert = [&](i32 x, i32 y) { surface.invert_pixel(x, y, 0xFFFFFF, area); };
    i32 right = i32(rect.right() - 1);
    i32 bottom = i32(rect.bottom() - 1);
    for (i32 x = lib::max(rect.x, area.x); x <= lib::min(right, i32(area.right() - 1)); ++x) {
        invert(x, rect.y);
        if (bottom != rect.y)
            invert(x, bottom);
    }
    for (i32 y = lib::max(rect.y + 1, area.y); y <= lib::min(bottom - 1, i32(area.bottom() - 1)); ++y) {
        invert(rect.x, y);
        if (right != rect.x)
            invert(right, y);
    }
}

void draw_button_face(Surface& surface, const Rect& rect, Color color, const Rect& clip)
{
    fill_vertical_gradient(surface, rect, mix(color, 0xFFFFFF, 1, 7), mix(color, 0x000000, 1, 9), clip);
    if (rect.width > 2 && rect.height > 2)
        draw_outline(surface, rect, mix(color, 0x000000, 3, 8), clip);
}

void set_loaded_skin(const SkinFile* skin) { s_loaded_skin = skin; }

const SkinFile* loaded_skin() { return s_loaded_skin; }

i32 skin_header_height() { return s_loaded_skin ? s_loaded_skin->height : skin::height; }

CaptionMargins skin_caption_margins()
{
    if (!s_loaded_skin)
        return { skin::caption_left, skin::caption_right, skin::caption_top, skin::caption_bottom };
    return { s_loaded_skin->margin_left, s_loaded_skin->margin_right, s_loaded_skin->margin_top,
        s_loaded_skin->margin_bottom };
}

void paint_desktop(Surface& surface, const Rect& clip)
{
    if (s_desktop_painter) {
        s_desktop_painter(surface, clip, s_desktop_context);
        return;
    }
    paint_default_desktop(surface, clip);
}

void paint_default_desktop(Surface& surface, const Rect& clip)
{
    fill_vertical_gradient(surface, surface.bounds(), skin::desktop_top, skin::desktop_bottom, clip);
}

void set_desktop_painter(DesktopPainter painter, void* context)
{
    s_desktop_painter = painter;
    s_desktop_context = context;
}

// --- Window decorations (sysfuncs.txt, function 0) ----------------------------

namespace {

// The header of types I (drawwindow_I_caption) and II
// (drawwindow_III_caption) in gui/window.inc: one line per row, and for
// each line ESI as a whole first goes up by 0x040404 when its bit 30 is
// set (type II only) and down by 0x040404 when its bit 31 is set, so a
// borrow that clears bit 31 ends the gradient there.
void fill_header_lines(Surface& surface, const Rect& rect, u32 esi, bool type_two, const Rect& clip)
{
    for (i32 row = 0; row < rect.height; ++row) {
        if (type_two && (esi & 0x40000000))
            esi += 0x040404;
        if (esi & 0x80000000)
            esi -= 0x040404;
        surface.fill_rect({ rect.x, rect.y + row, rect.width, 1 }, esi & 0xFFFFFF, clip);
    }
}

void fill_work_area(Surface& surface, const Rect& rect, const WindowDefinition& definition, const Rect& clip)
{
    if (definition.gradient_fill)
        fill_gradient_rect(surface, rect, definition.work_color, clip);
    else
        surface.fill_rect(rect, definition.work_color, clip);
}

// The caption as window._.draw_window_caption (gui/window.inc) draws it:
// the 8x16 font in the caption's encoding (cp866 too), transparent, in
// the colour table's grab_text, whole characters only, as many as
// `characters`; clipped to the window, not to the header.
void draw_caption(Surface& surface, const Window& window, i32 x, i32 y, u32 characters, const Rect& clip)
{
    if (!window.caption_length() || characters == 0)
        return;
    TextStyle style;
    style.font = FontId::System8x16;
    style.encoding = window.caption_encoding();
    style.color = standard_colors()[4];
    style.max_characters = characters;
    gui::draw_text(surface, clip, x, y, window.caption(), window.caption_length(), style);
}

void draw_system_button(Surface& surface, const Rect& rect, u32 id, bool active, const Rect& clip)
{
    Color face = id == skin::close_button_id ? (active ? skin::close_button : skin::close_button_inactive)
                                             : (active ? skin::minimize_button : skin::minimize_button_inactive);
    fill_vertical_gradient(surface, rect, mix(face, 0xFFFFFF, 1, 6), mix(face, 0x000000, 1, 8), clip);
    draw_outline(surface, rect, mix(face, 0x000000, 2, 5), clip);
    i32 cx = rect.x + rect.width / 2;
    i32 cy = rect.y + rect.height / 2;
    Color glyph = skin::system_button_glyph;
    if (id == skin::close_button_id) {
        // A 2-pixel-wide cross, 8 pixels across.
        for (i32 offset = 0; offset <= 1; ++offset) {
            surface.draw_line(cx - 4 + offset, cy - 4, cx + 3 + offset, cy + 3, glyph, clip);
            surface.draw_line(cx + 3 + offset, cy - 4, cx - 4 + offset, cy + 3, glyph, clip);
        }
    } else {
        surface.fill_rect({ cx - 4, cy + 2, 8, 2 }, glyph, clip);
    }
}

// A skin bitmap with its top left at (x, y), `rows` rows of it at most
// (drawwindow_IV_caption puts the skin's height of rows; a bitmap lower
// than that has only its own), converted a piece at a time for blit.
void draw_skin_bitmap(Surface& surface, i32 x, i32 y, const SkinBitmap& bitmap, i32 rows, const Rect& clip)
{
    if (!bitmap.present())
        return;
    rows = lib::min(rows, bitmap.height);
    Rect area = Rect { x, y, bitmap.width, rows }.intersected(clip).intersected(surface.bounds());
    constexpr i32 piece = 64;
    u32 converted[piece];
    for (i32 row = area.y; row < area.y + area.height; ++row) {
        for (i32 column = area.x; column < area.x + area.width; column += piece) {
            i32 count = lib::min(piece, area.x + area.width - column);
            for (i32 i = 0; i < count; ++i)
                converted[i] = bitmap.pixel(column + i - x, row - y);
            surface.blit(column, row, converted, count, 1, piece, clip);
        }
    }
}

// drawwindow_IV (gui/skincode.inc) with a skin file: the outer line, the
// 3-pixel frame and the inner line as rectangles without a top line from
// the header's last row down; then drawwindow_IV_caption's header: the
// left bitmap at x = 0, the base bitmap tiled from x = left's width when
// the room between left and oper exceeds left's width, the oper bitmap
// with its right edge at the window's. The close and minimize buttons are
// part of the oper picture and are not drawn.
// (KolibriOS leaves the inner line out of a rolled-up window; Colibri has
// no rolled-up windows.)
void draw_skinned_frame(Surface& surface, const SkinFile& skin, const Rect& frame, bool active, const Rect& clip)
{
    const SkinFace& face = active ? skin.active : skin.inactive;
    i32 x = frame.x, y = frame.y;
    i32 box_width = frame.width - 1, box_height = frame.height - 1;
    i32 top = y + skin.height - 1;
    auto rectangle = [&](i32 inset, Color color) {
        i32 left = x + inset, right = x + box_width - inset, bottom = y + box_height - inset;
        if (right < left || bottom < top)
            return false;
        surface.fill_rect({ left, top, 1, bottom - top + 1 }, color, clip);
        surface.fill_rect({ right, top, 1, bottom - top + 1 }, color, clip);
        surface.fill_rect({ left, bottom, right - left + 1, 1 }, color, clip);
        return true;
    };
    bool drawn = rectangle(0, face.outer);
    for (i32 i = 1; drawn && i <= 3; ++i)
        drawn = rectangle(i, face.frame);
    if (drawn)
        rectangle(4, face.inner);

    draw_skin_bitmap(surface, x, y, face.left, skin.height, clip);
    i32 room = box_width - face.left.width - face.oper.width;
    if (face.base.present() && room > face.left.width) {
        i32 tiles = room / face.base.width + 1;
        for (i32 i = 0; i < tiles; ++i)
            draw_skin_bitmap(surface, x + face.left.width + i * face.base.width, y, face.base, skin.height, clip);
    }
    draw_skin_bitmap(surface, x + box_width - face.oper.width + 1, y, face.oper, skin.height, clip);
}

} // namespace

void WindowManager::paint_decoration(Window& window, const Region& region, bool work_area)
{
    if (window.m_layer == WindowLayer::Top) {
        for (const Rect& rect : region) {
            m_listener.paint_kernel_window(window, rect);
            damage(rect);
        }
        return;
    }
    const WindowDefinition& definition = window.m_definition;
    Rect frame = window.m_frame;
    i32 x = frame.x, y = frame.y, width = frame.width, height = frame.height;
    // In the reference's terms xsize = width - 1, ysize = height - 1.
    i32 ysize = height - 1;
    bool active = m_active == &window;
    bool caption = definition.has_caption;
    for (const Rect& clip : region) {
        switch (definition.style) {
        case StyleFixed: {
            // drawwindow_I: the frame, header rows 1-20 (fewer in a low
            // window), the work area from (1, 21) when the window is more
            // than 21 rows high (box height > 21).
            draw_outline(m_screen, frame, definition.frame_color, clip);
            Rect header { x + 1, y + 1, width - 2, lib::min(21, ysize) - 1 };
            fill_header_lines(m_screen, header, definition.header_register, false, clip);
            if (work_area && ysize > 21)
                fill_work_area(m_screen, { x + 1, y + 21, width - 2, height - 22 }, definition, clip);
            break;
        }
        case StyleSizable: {
            // drawwindow_III: frames, header rows 4-19, work area from
            // (5, 20) when the box height is at least 26.
            Color dark = shaded(definition.frame_color);
            draw_outline(m_screen, frame, dark, clip);
            for (i32 i = 1; i <= 3; ++i)
                draw_outline(m_screen, { x + i, y + i, width - 2 * i, height - 2 * i }, definition.frame_color, clip);
            draw_outline(m_screen, { x + 4, y + 4, width - 8, height - 8 }, dark, clip);
            Rect header { x + 4, y + 4, width - 8, lib::min(20, ysize) - 4 };
            fill_header_lines(m_screen, header, definition.header_register, true, clip);
            if (work_area && ysize >= 26)
                fill_work_area(m_screen, { x + 5, y + 20, width - 10, height - 25 }, definition, clip);
            break;
        }
        case StyleSkinned:
        case StyleSkinnedFixed: {
            if (const SkinFile* skin = loaded_skin()) {
                draw_skinned_frame(m_screen, *skin, frame, active, clip);
                if (work_area && ysize >= 26)
                    fill_work_area(m_screen, window.client_rect().translated(x, y), definition, clip);
                break;
            }
            const skin::HeaderColors& colors = active ? skin::active : skin::inactive;
            Rect header { x, y, width, skin::height };
            fill_vertical_gradient(m_screen, header, colors.top, colors.bottom, clip);
            // A lighter first line gives the header a little depth.
            m_screen.fill_rect({ x + 1, y + 1, width - 2, 1 }, mix(colors.top, 0xFFFFFF, 1, 4), clip);
            // The frame around the work area: 3 pixels, with inner lines.
            Rect body = Rect::from_edges(x, i64(y) + skin::height, frame.right(), frame.bottom());
            for (i32 i = 1; i <= 3; ++i) {
                m_screen.fill_rect({ x + i, body.y, 1, body.height }, colors.frame, clip);
                m_screen.fill_rect({ i32(frame.right() - 1 - i), body.y, 1, body.height }, colors.frame, clip);
                m_screen.fill_rect({ x, i32(frame.bottom() - 1 - i), width, 1 }, colors.frame, clip);
            }
            Rect inner = Rect::from_edges(i64(x) + 4, i64(y) + skin::height - 1, frame.right() - 4, frame.bottom() - 4);
            draw_outline(m_screen, inner, colors.inner, clip);
            draw_outline(m_screen, frame, colors.outer, clip);
            if (work_area && ysize >= 26)
                fill_work_area(m_screen, window.client_rect().translated(x, y), definition, clip);
            for (const Button& button : window.m_buttons) {
                if (button.system)
                    draw_system_button(m_screen, button.rect.translated(x, y), button.id, active, clip);
            }
            break;
        }
        default:
            break; // style 1: the program draws everything
        }
        // The caption (window._.draw_window_caption): types I and II at
        // (8, 2) with (box width - 16) / 8 characters; skinned windows at
        // the skin's left margin, centred between its top and bottom
        // margins, (box width - left - right) / 8 characters.
        if (caption && definition.style != StyleBare) {
            i32 box_width = width - 1;
            Rect text_clip = frame.intersected(clip);
            if (window.is_skinned()) {
                CaptionMargins margins = skin_caption_margins();
                i32 room = box_width - margins.left - margins.right;
                i32 text_y = (skin_header_height() - margins.bottom - margins.top) / 2 + margins.top - 8;
                if (room >= 0)
                    draw_caption(m_screen, window, x + margins.left, y + text_y, u32(room / 8), text_clip);
            } else if (box_width >= 16) {
                draw_caption(m_screen, window, x + 8, y + 2, u32((box_width - 16) / 8), text_clip);
            }
        }
        if (definition.style == StyleBare) {
            continue; // nothing was painted
        } else if (work_area) {
            damage(clip);
        } else {
            // Only the frame changed: the work area need not be copied.
            Region changed(clip);
            changed.subtract(window.client_rect().translated(x, y));
            damage(changed);
        }
    }
}

} // namespace gui
