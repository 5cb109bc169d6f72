// Text in the two system fonts (KolibriOS functions 4 and 47): decoding of
// cp866, UTF-16LE and UTF-8, glyph lookup, clipped and scaled drawing.
#include "kernel/gui/Font.h"

#include "kernel/gui/FontData.h"
#include "lib/Utility.h"

namespace gui {

namespace {

using namespace font_data;

constexpr u32 min_scale = 1;
constexpr u32 max_scale = 8;

u32 effective_scale(const TextStyle& style)
{
    return lib::min(lib::max(style.scale, min_scale), max_scale);
}

// One decoded character. `cp866` is the byte itself for cp866 text (so the
// glyph tables are indexed directly), -1 otherwise; `malformed` marks a
// broken sequence, drawn as the box.
struct Character {
    u32 code_point { 0 };
    i32 cp866 { -1 };
    bool malformed { false };
};

// Reads characters one at a time from a byte range, never touching a byte
// past its end (for NUL-terminated text: past the terminator or
// max_nul_terminated bytes).
class TextReader {
public:
    TextReader(const u8* text, size_t length, const TextStyle& style)
        : m_text(text)
        , m_encoding(style.encoding)
        , m_nul_terminated(length == nul_terminated)
        , m_remaining_characters(style.max_characters)
    {
        m_end = m_nul_terminated ? max_nul_terminated : length;
        if (!text)
            m_end = 0;
    }

    bool next(Character& out)
    {
        if (m_remaining_characters == 0 || m_position >= m_end)
            return false;
        bool more = false;
        switch (m_encoding) {
        case TextEncoding::Cp866:
            more = next_cp866(out);
            break;
        case TextEncoding::Utf16Le:
            more = next_utf16(out);
            break;
        case TextEncoding::Utf8:
            more = next_utf8(out);
            break;
        }
        if (more && m_remaining_characters != TextStyle::no_character_limit)
            --m_remaining_characters;
        return more;
    }

private:
    bool next_cp866(Character& out)
    {
        u8 byte = m_text[m_position];
        if (byte == 0 && m_nul_terminated)
            return false;
        ++m_position;
        out = { cp866_code_points[byte], byte, false };
        return true;
    }

    size_t available() const { return m_end - m_position; }

    u32 unit_at(size_t position) const { return m_text[position] | (u32(m_text[position + 1]) << 8); }

    bool next_utf16(Character& out)
    {
        if (available() < 2) {
            // A lone trailing byte: half a code unit. (A NUL-terminated text
            // never gets here: its end is even and a 0 unit stops it first.)
            m_position = m_end;
            out = { 0, -1, true };
            return true;
        }
        u32 unit = unit_at(m_position);
        if (unit == 0 && m_nul_terminated)
            return false;
        m_position += 2;
        if (unit >= 0xD800 && unit <= 0xDBFF && available() >= 2) {
            u32 low = unit_at(m_position);
            if (low >= 0xDC00 && low <= 0xDFFF) {
                m_position += 2;
                out = { 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00), -1, false };
                return true;
            }
        }
        if (unit >= 0xD800 && unit <= 0xDFFF) {
            out = { 0, -1, true }; // a surrogate without its partner
            return true;
        }
        out = { unit, -1, false };
        return true;
    }

    // UTF-8 as the Unicode standard defines it (Table 3-7): a malformed
    // sequence is replaced by one box per maximal subpart, and decoding
    // resumes at the first byte that did not fit.
    bool next_utf8(Character& out)
    {
        u8 lead = m_text[m_position];
        if (lead == 0 && m_nul_terminated)
            return false;
        ++m_position;
        if (lead < 0x80) {
            out = { lead, -1, false };
            return true;
        }
        size_t continuation_count = 0;
        u32 code_point = 0;
        u8 second_low = 0x80, second_high = 0xBF;
        if (lead >= 0xC2 && lead <= 0xDF) {
            continuation_count = 1;
            code_point = lead & 0x1F;
        } else if (lead >= 0xE0 && lead <= 0xEF) {
            continuation_count = 2;
            code_point = lead & 0x0F;
            if (lead == 0xE0)
                second_low = 0xA0; // no overlong forms
            if (lead == 0xED)
                second_high = 0x9F; // no surrogates
        } else if (lead >= 0xF0 && lead <= 0xF4) {
            continuation_count = 3;
            code_point = lead & 0x07;
            if (lead == 0xF0)
                second_low = 0x90;
            if (lead == 0xF4)
                second_high = 0x8F; // nothing above U+10FFFF
        } else {
            out = { 0, -1, true }; // a continuation byte or C0, C1, F5-FF
            return true;
        }
        for (size_t i = 0; i < continuation_count; ++i) {
            u8 low = i == 0 ? second_low : 0x80;
            u8 high = i == 0 ? second_high : 0xBF;
            // A 0 byte is never a continuation, so the terminator of a
            // NUL-terminated text stops here and ends the text next time.
            if (m_position >= m_end || m_text[m_position] < low || m_text[m_position] > high) {
                out = { 0, -1, true };
                return true;
            }
            code_point = (code_point << 6) | (m_text[m_position] & 0x3F);
            ++m_position;
        }
        out = { code_point, -1, false };
        return true;
    }

    const u8* m_text;
    TextEncoding m_encoding;
    bool m_nul_terminated;
    u32 m_remaining_characters;
    size_t m_position { 0 };
    size_t m_end { 0 };
};

// The rows of one glyph, one byte each, bit 7 leftmost.
struct GlyphRows {
    const u8* rows;
    i32 columns;
    i32 count;
};

const u8* large_glyph_for(u32 code_point)
{
    if (code_point == 0)
        return large_glyphs[large_cp866_glyphs[0]].rows; // blank
    size_t low = 0, high = large_code_point_count;
    while (low < high) {
        size_t middle = low + (high - low) / 2;
        if (large_code_points[middle].code_point < code_point)
            low = middle + 1;
        else
            high = middle;
    }
    if (low < large_code_point_count && large_code_points[low].code_point == code_point)
        return large_glyphs[large_code_points[low].glyph].rows;
    return large_glyphs[0].rows; // the box
}

const u8* small_glyph_for(u32 code_point)
{
    // The 6x9 font holds cp866 only; Unicode text finds its characters there.
    if (code_point >= 0x20 && code_point < 0x7F)
        return small_glyphs[code_point].rows;
    for (u32 byte = 0; byte < 256; ++byte) {
        if (cp866_code_points[byte] == code_point)
            return small_glyphs[byte].rows;
    }
    return small_missing_glyph.rows;
}

// The character the 8x16 font shows for a cp866 byte. KolibriOS has no
// cp866 8x16 font: dtext (gui/font.inc) converts each byte with
// ansi2uni_char (fs/parse_fn.inc) and draws the Unicode glyph. That
// conversion knows ASCII, the Cyrillic letters and 0xF0-0xF7 only: the
// pseudo-graphics 0xB0-0xDF and 0xF8-0xFF become '_', and byte 20 (0x14)
// becomes U+00B6.
u32 kolibri_large_cp866_code_point(u8 byte)
{
    if (byte == 20)
        return 0xB6;
    if (byte < 0x80)
        return byte; // the control bytes too: no DOS pictures
    if (byte < 0xB0 || (byte >= 0xE0 && byte < 0xF8))
        return cp866_code_points[byte];
    return '_';
}

// KolibriOS's Unicode font (gui/charUni.mt) has a box at U+0000 and
// U+007F, and holds nothing for U+0001-U+000F; U+0010-U+001F are line pieces and
// signs there that this font lacks, drawn blank here.
const u8* kolibri_large_glyph_for(u32 code_point)
{
    if (code_point == 0 || code_point == 0x7F)
        return large_glyphs[0].rows; // the box
    if (code_point < 0x20)
        return large_glyphs[large_cp866_glyphs[0x20]].rows;
    return large_glyph_for(code_point);
}

GlyphRows glyph_for(const Character& character, FontId font)
{
    if (font == FontId::System6x9) {
        const u8* rows = character.malformed ? small_missing_glyph.rows
            : character.cp866 >= 0          ? small_glyphs[character.cp866].rows
                                            : small_glyph_for(character.code_point);
        return { rows, small_width, small_height };
    }
    const u8* rows = character.malformed ? large_glyphs[0].rows
        : character.cp866 >= 0          ? kolibri_large_glyph_for(kolibri_large_cp866_code_point(u8(character.cp866)))
                                        : kolibri_large_glyph_for(character.code_point);
    return { rows, large_width, large_height };
}

// Draws one glyph cell with its top-left corner at (left, top), each font
// pixel a scale x scale square, touching only pixels inside `visible`
// (already clipped to the surface).
void draw_cell(Surface& surface, const Rect& visible, i64 left, i64 top, const GlyphRows& glyph, i32 scale,
    const TextStyle& style)
{
    i64 cell_right = left + i64(glyph.columns) * scale;
    i64 cell_bottom = top + i64(glyph.count) * scale;
    i64 x_begin = lib::max(left, visible.left());
    i64 x_end = lib::min(cell_right, visible.right());
    i64 y_begin = lib::max(top, visible.top());
    i64 y_end = lib::min(cell_bottom, visible.bottom());
    if (x_begin >= x_end || y_begin >= y_end)
        return;
    Color color = (style.color & 0xFFFFFF) | (u32(style.top_byte) << 24);
    Color background = style.background & 0xFFFFFF;
    // Past the clipping everything is small and inside the surface: work
    // in 32 bits and step through the glyph's columns without dividing per
    // pixel (64-bit division is a library call on i386).
    i32 first_x = static_cast<i32>(x_begin);
    i32 width = static_cast<i32>(x_end - x_begin);
    i32 first_offset = static_cast<i32>(x_begin - left);
    i32 first_column = first_offset / scale;
    i32 first_sub = first_offset % scale;
    for (i32 y = static_cast<i32>(y_begin); y < static_cast<i32>(y_end); ++y) {
        u8 bits = glyph.rows[static_cast<i32>(y - top) / scale];
        if (bits == 0 && !style.fill_background)
            continue;
        u32* line = surface.row(y) + first_x;
        u32 mask = 0x80u >> first_column;
        i32 sub = first_sub;
        for (i32 i = 0; i < width; ++i) {
            if (bits & mask)
                line[i] = color;
            else if (style.fill_background)
                line[i] = background;
            if (++sub == scale) {
                sub = 0;
                mask >>= 1;
            }
        }
    }
}

i32 clamp_to_i32(i64 value)
{
    constexpr i64 low = -0x7FFFFFFFll - 1;
    constexpr i64 high = 0x7FFFFFFFll;
    return static_cast<i32>(value < low ? low : value > high ? high : value);
}

} // namespace

i32 char_width(const TextStyle& style)
{
    i32 columns = style.font == FontId::System6x9 ? small_width : large_width;
    return columns * static_cast<i32>(effective_scale(style));
}

i32 char_height(const TextStyle& style)
{
    i32 rows = style.font == FontId::System6x9 ? small_height : large_height;
    return rows * static_cast<i32>(effective_scale(style));
}

i32 draw_text(Surface& surface, const Rect& clip, i32 x, i32 y, const u8* text, size_t length, const TextStyle& style)
{
    Rect visible = surface.is_valid() ? clip.intersected(surface.bounds()) : Rect {};
    i32 scale = static_cast<i32>(effective_scale(style));
    i64 advance = char_width(style);
    i64 cursor = x;
    i64 top = y;
    bool rows_visible = !visible.is_empty() && top < visible.bottom() && top + char_height(style) > visible.top();
    TextReader reader(text, length, style);
    Character character;
    while (reader.next(character)) {
        // Characters off to the side are still read: the returned x counts them.
        if (rows_visible && cursor < visible.right() && cursor + advance > visible.left())
            draw_cell(surface, visible, cursor, top, glyph_for(character, style.font), scale, style);
        cursor += advance;
    }
    return clamp_to_i32(cursor);
}

i32 text_width(const u8* text, size_t length, const TextStyle& style)
{
    TextReader reader(text, length, style);
    Character character;
    i64 count = 0;
    while (reader.next(character))
        ++count;
    return clamp_to_i32(count * char_width(style));
}

TextStyle kolibri_text_style(u32 ecx, u32 edi, u32 esi, size_t& byte_length)
{
    TextStyle style;
    style.color = ecx & 0xFFFFFF;
    u32 bytes_per_character = 1;
    switch ((ecx >> 28) & 3) {
    case 0:
        style.font = FontId::System6x9;
        style.encoding = TextEncoding::Cp866;
        break;
    case 1:
        style.font = FontId::System8x16;
        style.encoding = TextEncoding::Cp866;
        break;
    case 2:
        style.font = FontId::System8x16;
        style.encoding = TextEncoding::Utf16Le;
        bytes_per_character = 2;
        break;
    case 3:
        style.font = FontId::System8x16;
        style.encoding = TextEncoding::Utf8;
        bytes_per_character = 4;
        break;
    }
    style.scale = ((ecx >> 24) & 7) + 1;
    style.to_user_buffer = ecx & (1u << 27);
    // EDI is either the background colour or the user buffer, never both.
    style.fill_background = (ecx & (1u << 30)) && !style.to_user_buffer;
    style.background = style.fill_background ? (edi & 0xFFFFFF) : 0;
    if (ecx & (1u << 31)) {
        // KolibriOS ignores ESI here and stops after 256 characters.
        style.max_characters = 256;
        byte_length = nul_terminated;
    } else {
        style.max_characters = esi;
        byte_length = lib::min(u64(esi) * bytes_per_character, u64(max_nul_terminated));
    }
    return style;
}

TextStyle kolibri_number_style(u32 esi, u32 edi)
{
    TextStyle style;
    style.color = esi & 0xFFFFFF;
    style.font = (esi & (1u << 28)) ? FontId::System8x16 : FontId::System6x9;
    style.encoding = TextEncoding::Cp866;
    style.scale = ((esi >> 24) & 7) + 1;
    style.to_user_buffer = esi & (1u << 27);
    style.fill_background = (esi & (1u << 30)) && !style.to_user_buffer;
    style.background = style.fill_background ? (edi & 0xFFFFFF) : 0;
    return style;
}

KolibriNumberFormat kolibri_number_format(u32 ebx)
{
    constexpr u32 max_digits = 60;
    KolibriNumberFormat format;
    format.value_is_pointer = (ebx & 0xFF) == 1;
    format.pointer_checked = (ebx & 0xFF) != 0;
    format.is_64bit = ebx & (1u << 30);
    format.show_leading_zeros = !(ebx & (1u << 31));
    format.digits = (ebx >> 16) & 0x3F;
    switch ((ebx >> 8) & 0xFF) {
    case 0:
        format.base = 10;
        break;
    case 1:
        format.base = 16;
        break;
    case 2:
        format.base = 2;
        break;
    default:
        return format; // draws nothing
    }
    bool reserved_bits_clear = (ebx & 0x3FC00000) == 0;
    format.draws = format.digits != 0 && format.digits <= max_digits && reserved_bits_clear;
    return format;
}

size_t format_kolibri_number(u64 value, u32 base, u32 digits, bool show_leading_zeros, char* out, size_t capacity)
{
    constexpr u32 max_digits = 64; // a 64-bit number in binary
    if ((base != 2 && base != 10 && base != 16) || digits == 0 || !out)
        return 0;
    digits = lib::min(digits, max_digits);
    // The low-order `digits` digits, filled from the right.
    char buffer[max_digits];
    for (u32 i = digits; i > 0; --i) {
        buffer[i - 1] = "0123456789ABCDEF"[value % base];
        value /= base;
    }
    u32 first = 0;
    if (!show_leading_zeros) {
        while (first + 1 < digits && buffer[first] == '0')
            ++first;
    }
    size_t count = lib::min(size_t(digits - first), capacity);
    for (size_t i = 0; i < count; ++i)
        out[i] = buffer[first + i];
    return count;
}

} // namespace gui
