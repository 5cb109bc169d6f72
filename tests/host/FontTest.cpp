#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <utility>
#include <vector>

#include "kernel/gui/Font.h"
#include "kernel/gui/FontData.h"

using gui::Color;
using gui::FontId;
using gui::Rect;
using gui::Surface;
using gui::TextEncoding;
using gui::TextStyle;

namespace {

constexpr Color paper = 0x123456;
constexpr Color ink = 0xFFFFFF;
constexpr Color fill = 0x00FF00;

// A test canvas, every pixel `paper` to start with, with a guard band of
// pixels outside the Surface's view that must never change.
class Canvas {
public:
    Canvas(i32 width, i32 height)
        : m_width(width)
        , m_height(height)
        , m_stride(width + 2 * guard)
        , m_pixels(static_cast<size_t>(m_stride) * (height + 2 * guard), paper)
    {
    }

    Surface surface() { return Surface(&m_pixels[guard * m_stride + guard], m_width, m_height, m_stride); }
    Rect bounds() const { return { 0, 0, m_width, m_height }; }
    Color at(i32 x, i32 y) const { return m_pixels[(y + guard) * m_stride + x + guard]; }

    i64 count(Color color, const Rect& area) const
    {
        i64 n = 0;
        for (i32 y = area.y; y < area.y + area.height; ++y)
            for (i32 x = area.x; x < area.x + area.width; ++x)
                n += at(x, y) == color;
        return n;
    }
    i64 count(Color color) const { return count(color, bounds()); }
    // Pixels not `paper` outside `area` (guard band included).
    i64 changed_outside(const Rect& area) const
    {
        i64 n = 0;
        for (i32 y = -guard; y < m_height + guard; ++y)
            for (i32 x = -guard; x < m_width + guard; ++x)
                n += !area.contains(x, y) && at(x, y) != paper;
        return n;
    }
    // The rectangle holding every pixel of `color`.
    Rect extent(Color color) const
    {
        Rect result;
        for (i32 y = 0; y < m_height; ++y)
            for (i32 x = 0; x < m_width; ++x)
                if (at(x, y) == color)
                    result = result.united({ x, y, 1, 1 });
        return result;
    }
    // Rows as text, '#' for `color`: for failure messages and the dump.
    std::string picture(Color color) const
    {
        std::string text;
        for (i32 y = 0; y < m_height; ++y) {
            for (i32 x = 0; x < m_width; ++x)
                text += at(x, y) == color ? '#' : '.';
            text += '\n';
        }
        return text;
    }
    void write_pgm(const char* path) const
    {
        FILE* file = std::fopen(path, "wb");
        ASSERT_NE(file, nullptr);
        std::fprintf(file, "P5\n%d %d\n255\n", m_width, m_height);
        for (i32 y = 0; y < m_height; ++y)
            for (i32 x = 0; x < m_width; ++x)
                std::fputc(at(x, y) == ink ? 0 : at(x, y) == paper ? 255 : 160, file);
        std::fclose(file);
    }

private:
    static constexpr i32 guard = 16;
    i32 m_width;
    i32 m_height;
    i32 m_stride;
    std::vector<Color> m_pixels;
};

TextStyle style(FontId font, TextEncoding encoding = TextEncoding::Cp866, u32 scale = 1)
{
    TextStyle result;
    result.font = font;
    result.encoding = encoding;
    result.color = ink;
    result.scale = scale;
    return result;
}

const u8* bytes(const char* text) { return reinterpret_cast<const u8*>(text); }

i32 draw(Canvas& canvas, i32 x, i32 y, const char* text, const TextStyle& s, size_t length = gui::nul_terminated)
{
    Surface surface = canvas.surface();
    return gui::draw_text(surface, canvas.bounds(), x, y, bytes(text), length, s);
}

// Pixels of `text` drawn alone at scale 1 (reference for other checks).
i64 ink_of(const char* text, FontId font, TextEncoding encoding = TextEncoding::Cp866)
{
    Canvas canvas(300, 40);
    draw(canvas, 0, 0, text, style(font, encoding));
    return canvas.count(ink);
}

std::string number(u64 value, u32 base, u32 digits, bool zeros)
{
    char buffer[80];
    size_t n = gui::format_kolibri_number(value, base, digits, zeros, buffer, sizeof(buffer));
    return std::string(buffer, n);
}

} // namespace

TEST(Font, CellSizes)
{
    EXPECT_EQ(gui::char_width(style(FontId::System6x9)), 6);
    EXPECT_EQ(gui::char_height(style(FontId::System6x9)), 9);
    EXPECT_EQ(gui::char_width(style(FontId::System8x16)), 8);
    EXPECT_EQ(gui::char_height(style(FontId::System8x16)), 16);
    EXPECT_EQ(gui::char_width(style(FontId::System8x16, TextEncoding::Utf8, 3)), 24);
    EXPECT_EQ(gui::char_height(style(FontId::System6x9, TextEncoding::Cp866, 8)), 72);
    // Out-of-range scales are clamped, never zero or huge.
    EXPECT_EQ(gui::char_width(style(FontId::System6x9, TextEncoding::Cp866, 0)), 6);
    EXPECT_EQ(gui::char_width(style(FontId::System6x9, TextEncoding::Cp866, 1000)), 48);
}

TEST(Font, CapitalIIsAVerticalBarInBothFonts)
{
    for (FontId font : { FontId::System6x9, FontId::System8x16 }) {
        Canvas canvas(20, 20);
        EXPECT_EQ(draw(canvas, 2, 1, "I", style(font)), 2 + gui::char_width(style(font)));
        Rect extent = canvas.extent(ink);
        ASSERT_FALSE(extent.is_empty());
        // All ink inside the cell at (2, 1).
        EXPECT_TRUE(Rect({ 2, 1, gui::char_width(style(font)), gui::char_height(style(font)) }).contains(extent));
        // The stem: one column in the middle of the glyph, inked from the
        // top bar to the bottom bar.
        i32 stem = -1;
        for (i32 x = extent.x; x < extent.x + extent.width; ++x)
            if (canvas.count(ink, { x, extent.y, 1, extent.height }) == extent.height)
                stem = x;
        ASSERT_NE(stem, -1) << canvas.picture(ink);
        EXPECT_GT(stem, extent.x);
        EXPECT_LT(stem, extent.x + extent.width - 1);
        EXPECT_GE(extent.height, font == FontId::System6x9 ? 6 : 9) << canvas.picture(ink);
        // Top and bottom bars are wider than the stem.
        EXPECT_GE(canvas.count(ink, { extent.x, extent.y, extent.width, 1 }), 3);
        EXPECT_GE(canvas.count(ink, { extent.x, extent.y + extent.height - 1, extent.width, 1 }), 3);
    }
}

TEST(Font, SpaceAndSmallNulDrawNothingButAdvance)
{
    Canvas canvas(40, 20);
    const char text[] = { ' ', '\0', ' ' };
    Surface surface = canvas.surface();
    EXPECT_EQ(gui::draw_text(surface, canvas.bounds(), 0, 0, bytes(text), 3, style(FontId::System6x9)), 18);
    EXPECT_EQ(canvas.count(paper), 40 * 20);
    // The 8x16 font shows a counted 0 as the box, as KolibriOS's does.
    EXPECT_EQ(gui::draw_text(surface, canvas.bounds(), 0, 0, bytes(text), 3, style(FontId::System8x16)), 24);
    EXPECT_EQ(canvas.count(ink, { 0, 0, 8, 20 }), 0);
    EXPECT_GT(canvas.count(ink, { 8, 0, 8, 20 }), 0);
    EXPECT_EQ(canvas.count(ink, { 16, 0, 8, 20 }), 0);
}

TEST(Font, GlyphsDifferAndStayInTheirCells)
{
    // Every printable ASCII character has ink, inside its own cell, and no
    // two share a bitmap.
    for (FontId font : { FontId::System6x9, FontId::System8x16 }) {
        std::vector<std::string> seen;
        for (char c = '!'; c <= '~'; ++c) {
            Canvas canvas(30, 20);
            char text[2] = { c, 0 };
            draw(canvas, 4, 2, text, style(font));
            EXPECT_GT(canvas.count(ink), 0) << c;
            EXPECT_EQ(canvas.changed_outside({ 4, 2, gui::char_width(style(font)), gui::char_height(style(font)) }), 0)
                << c;
            std::string picture = canvas.picture(ink);
            for (const std::string& other : seen)
                EXPECT_NE(picture, other) << c;
            seen.push_back(picture);
        }
    }
}

TEST(Font, AdvanceAndReturnedX)
{
    Canvas canvas(200, 40);
    EXPECT_EQ(draw(canvas, 10, 0, "Hello", style(FontId::System6x9)), 10 + 5 * 6);
    EXPECT_EQ(draw(canvas, 10, 20, "Hello", style(FontId::System8x16, TextEncoding::Cp866, 2)), 10 + 5 * 16);
    EXPECT_EQ(gui::text_width(bytes("Hello"), gui::nul_terminated, style(FontId::System6x9)), 30);
    EXPECT_EQ(gui::text_width(bytes("Hello"), 3, style(FontId::System8x16)), 24);
    // Two characters drawn one after the other equal the pair drawn at once.
    Canvas a(40, 20), b(40, 20);
    draw(a, 0, 0, "AB", style(FontId::System8x16));
    i32 next = draw(b, 0, 0, "A", style(FontId::System8x16));
    draw(b, next, 0, "B", style(FontId::System8x16));
    EXPECT_EQ(a.picture(ink), b.picture(ink));
}

TEST(Font, LengthIsHonouredAndNulTerminationStops)
{
    Canvas canvas(100, 20);
    // Only the first 2 of these bytes may be read: the rest is poison that
    // the sanitizer would catch if read (a heap block of exactly 2 bytes).
    u8* two = static_cast<u8*>(std::malloc(2));
    two[0] = 'A';
    two[1] = 'B';
    Surface surface = canvas.surface();
    EXPECT_EQ(gui::draw_text(surface, canvas.bounds(), 0, 0, two, 2, style(FontId::System6x9)), 12);
    EXPECT_EQ(gui::draw_text(surface, canvas.bounds(), 0, 0, two, 2, style(FontId::System8x16, TextEncoding::Utf8)), 16);
    EXPECT_EQ(gui::draw_text(surface, canvas.bounds(), 0, 0, two, 2, style(FontId::System8x16, TextEncoding::Utf16Le)),
        8);
    std::free(two);

    EXPECT_EQ(draw(canvas, 0, 0, "AB\0CD", style(FontId::System6x9)), 12);
    EXPECT_EQ(draw(canvas, 0, 0, "AB\0CD", style(FontId::System6x9), 5), 30); // a counted 0 is a blank cell
    EXPECT_EQ(draw(canvas, 0, 0, "", style(FontId::System6x9)), 0);
    EXPECT_EQ(draw(canvas, 0, 0, "ABC", style(FontId::System6x9), 0), 0);

    // Without a terminator, a NUL-terminated text ends after
    // max_nul_terminated bytes (the buffer is exactly that long).
    std::vector<u8> unterminated(gui::max_nul_terminated, 'x');
    u8* block = static_cast<u8*>(std::malloc(unterminated.size()));
    std::memcpy(block, unterminated.data(), unterminated.size());
    EXPECT_EQ(gui::draw_text(surface, canvas.bounds(), 0, 0, block, gui::nul_terminated, style(FontId::System6x9)),
        static_cast<i32>(6 * gui::max_nul_terminated));
    std::free(block);

    // A NUL-terminated text in a block that ends right after its 0: nothing
    // past the terminator is read, in any encoding.
    u8* tight = static_cast<u8*>(std::malloc(4));
    std::memcpy(tight, "ab\0", 3);
    EXPECT_EQ(gui::draw_text(surface, canvas.bounds(), 0, 0, tight, gui::nul_terminated, style(FontId::System6x9)), 12);
    EXPECT_EQ(gui::draw_text(surface, canvas.bounds(), 0, 0, tight, gui::nul_terminated,
                  style(FontId::System8x16, TextEncoding::Utf8)),
        16);
    const u8 utf16[] = { 'A', 0, 0, 0 };
    std::memcpy(tight, utf16, 4);
    EXPECT_EQ(gui::draw_text(surface, canvas.bounds(), 0, 0, tight, gui::nul_terminated,
                  style(FontId::System8x16, TextEncoding::Utf16Le)),
        8);
    std::free(tight);

    EXPECT_EQ(gui::draw_text(surface, canvas.bounds(), 0, 0, nullptr, 10, style(FontId::System6x9)), 0);
}

TEST(Font, MaxCharactersLimitsTheText)
{
    Canvas canvas(100, 20);
    TextStyle s = style(FontId::System8x16, TextEncoding::Utf8);
    s.max_characters = 2;
    EXPECT_EQ(draw(canvas, 0, 0, "\xD0\x96\xD0\x96\xD0\x96", s, 6), 16);
    s.max_characters = 0;
    EXPECT_EQ(draw(canvas, 0, 0, "abc", s), 0);
    EXPECT_EQ(canvas.count(ink), ink_of("\xD0\x96\xD0\x96", FontId::System8x16, TextEncoding::Utf8));
}

TEST(Font, ScalingMultipliesEveryPixel)
{
    for (FontId font : { FontId::System6x9, FontId::System8x16 }) {
        i64 base = ink_of("Wg9@", font);
        ASSERT_GT(base, 0);
        for (u32 scale = 1; scale <= 8; ++scale) {
            Canvas canvas(4 * 8 * 8 + 10, 16 * 8 + 4);
            EXPECT_EQ(draw(canvas, 3, 2, "Wg9@", style(font, TextEncoding::Cp866, scale)),
                3 + 4 * gui::char_width(style(font)) * static_cast<i32>(scale));
            EXPECT_EQ(canvas.count(ink), base * scale * scale) << "scale " << scale;
        }
    }
    // Each font pixel becomes a solid square: scale 2 of "." has 2x2 blocks.
    Canvas one(20, 20), two(40, 40);
    draw(one, 0, 0, ".", style(FontId::System8x16));
    draw(two, 0, 0, ".", style(FontId::System8x16, TextEncoding::Cp866, 2));
    for (i32 y = 0; y < 16; ++y)
        for (i32 x = 0; x < 8; ++x)
            for (i32 dy = 0; dy < 2; ++dy)
                for (i32 dx = 0; dx < 2; ++dx)
                    EXPECT_EQ(two.at(2 * x + dx, 2 * y + dy), one.at(x, y));
}

TEST(Font, BackgroundFillsExactlyTheCells)
{
    for (FontId font : { FontId::System6x9, FontId::System8x16 }) {
        for (u32 scale : { 1u, 3u }) {
            Canvas canvas(200, 80);
            TextStyle s = style(font, TextEncoding::Cp866, scale);
            s.fill_background = true;
            s.background = fill | 0xFF000000; // high byte ignored
            i32 end = draw(canvas, 5, 7, "Fill", s);
            Rect cells { 5, 7, end - 5, gui::char_height(s) };
            EXPECT_EQ(cells.width, 4 * gui::char_width(s));
            EXPECT_EQ(canvas.changed_outside(cells), 0);
            EXPECT_EQ(canvas.count(fill) + canvas.count(ink), cells.area());
            EXPECT_EQ(canvas.count(ink), ink_of("Fill", font) * scale * scale);
        }
    }
}

TEST(Font, ClipsAtEveryEdge)
{
    const char* text = "Clip\xDB\xDB"; // two full blocks (cp866 0xDB)
    for (FontId font : { FontId::System6x9, FontId::System8x16 }) {
        TextStyle s = style(font, TextEncoding::Cp866, 2);
        s.fill_background = true;
        s.background = fill;
        i32 width = 6 * gui::char_width(s), height = gui::char_height(s);
        // Reference: the whole text drawn unclipped at (20, 20).
        Canvas whole(160, 100);
        draw(whole, 20, 20, text, s);
        Rect clips[] = {
            { 25, 0, 200, 200 },                       // left edge cuts the first cell
            { 0, 27, 200, 200 },                       // top edge
            { 0, 0, 20 + width - 5, 200 },             // right edge
            { 0, 0, 200, 20 + height - 3 },            // bottom edge
            { 30, 25, 11, 7 },                         // a small window inside
            { 0, 0, 20, 200 },                         // entirely left of the text
            { 20 + width, 0, 50, 200 },                // entirely right
        };
        for (const Rect& clip : clips) {
            Canvas canvas(160, 100);
            Surface surface = canvas.surface();
            gui::draw_text(surface, clip, 20, 20, bytes(text), gui::nul_terminated, s);
            Rect visible = clip.intersected(canvas.bounds());
            EXPECT_EQ(canvas.changed_outside(visible), 0);
            for (i32 y = visible.y; y < visible.y + visible.height; ++y)
                for (i32 x = visible.x; x < visible.x + visible.width; ++x)
                    ASSERT_EQ(canvas.at(x, y), whole.at(x, y)) << x << "," << y;
        }
        // The surface's own edges: text hanging off all four sides.
        std::vector<std::pair<i32, i32>> origins { { -7, 5 }, { 5, -9 }, { 160 - 20, 5 }, { 5, 100 - 10 },
            { -1000000, -5 }, { 2147483000, 2147483000 }, { -2147483647 - 1, 0 } };
        for (auto [x, y] : origins) {
            Canvas canvas(160, 100);
            Surface surface = canvas.surface();
            gui::draw_text(surface, { -100000, -100000, 400000, 400000 }, x, y, bytes(text), gui::nul_terminated, s);
            EXPECT_EQ(canvas.changed_outside(canvas.bounds()), 0);
        }
    }
    // Far off screen, the returned x still counts every character and
    // saturates instead of wrapping.
    Canvas canvas(10, 10);
    std::string hundred(100, 'a');
    EXPECT_EQ(draw(canvas, 2147483000, 0, hundred.c_str(), style(FontId::System8x16)), 2147483647);
    EXPECT_EQ(draw(canvas, -2147483647 - 1, 0, hundred.c_str(), style(FontId::System8x16)), -2147483647 - 1 + 800);
}

TEST(Font, EmptyOrInvalidSurfaceIsHarmless)
{
    Surface none;
    EXPECT_EQ(gui::draw_text(none, { 0, 0, 100, 100 }, 0, 0, bytes("abc"), 3, style(FontId::System6x9)), 18);
    Canvas canvas(20, 20);
    Surface surface = canvas.surface();
    gui::draw_text(surface, {}, 0, 0, bytes("abc"), 3, style(FontId::System6x9));
    EXPECT_EQ(canvas.changed_outside({}), 0);
}

TEST(Font, Cp866CyrillicMapsToUnicodeGlyphs)
{
    // cp866 0x80 is 'А' (U+0410), 0x86 'Ж', 0x96 'Ц', 0xE0 'р', 0xF0 'Ё',
    // 0xF7 'ў'; in the 6x9 font also 0xC9 '╔', 0xFC '№', 0x01 '☺'.
    struct Pair {
        const char* cp866;
        const char* utf8;
        bool in_8x16;
    };
    for (Pair pair : { Pair { "\x80", "\xD0\x90", true }, { "\x86", "\xD0\x96", true }, { "\x96", "\xD0\xA6", true },
             { "\xE0", "\xD1\x80", true }, { "\xF0", "\xD0\x81", true }, { "\xF7", "\xD1\x9E", true },
             { "\xC9", "\xE2\x95\x94", false }, { "\xFC", "\xE2\x84\x96", false }, { "\x01", "\xE2\x98\xBA", false } }) {
        if (pair.in_8x16) {
            Canvas a(20, 20), b(20, 20);
            draw(a, 0, 0, pair.cp866, style(FontId::System8x16));
            draw(b, 0, 0, pair.utf8, style(FontId::System8x16, TextEncoding::Utf8));
            EXPECT_GT(a.count(ink), 0);
            EXPECT_EQ(a.picture(ink), b.picture(ink)) << pair.utf8;
        }
        // The 6x9 font draws the same characters from UTF-8 too.
        Canvas c(20, 20), d(20, 20);
        draw(c, 0, 0, pair.cp866, style(FontId::System6x9));
        draw(d, 0, 0, pair.utf8, style(FontId::System6x9, TextEncoding::Utf8));
        EXPECT_GT(c.count(ink), 0);
        EXPECT_EQ(c.picture(ink), d.picture(ink)) << pair.utf8;
    }
    // Cyrillic 'А' looks like Latin 'A'; 'Ж' is not 'X'.
    EXPECT_EQ(ink_of("\x80", FontId::System8x16), ink_of("A", FontId::System8x16));
    Canvas zhe(20, 20), x(20, 20);
    draw(zhe, 0, 0, "\x86", style(FontId::System6x9));
    draw(x, 0, 0, "X", style(FontId::System6x9));
    EXPECT_NE(zhe.picture(ink), x.picture(ink));
    // A full block fills most of the 6x9 cell.
    EXPECT_GE(ink_of("\xDB", FontId::System6x9), 6 * 8);
}

TEST(Font, Large8x16Cp866IsKolibriAnsi2Uni)
{
    // KolibriOS draws 8x16 cp866 through ansi2uni_char: the pseudo-graphics
    // (0xB0-0xDF) and 0xF8-0xFF are '_', byte 20 is '¶', the control bytes
    // are no DOS pictures, and 0x7F is the box.
    Canvas underscore(8, 16);
    draw(underscore, 0, 0, "_", style(FontId::System8x16));
    for (const char* byte : { "\xB0", "\xC9", "\xCD", "\xDB", "\xDF", "\xF8", "\xFC", "\xFF" }) {
        Canvas c(8, 16);
        draw(c, 0, 0, byte, style(FontId::System8x16));
        EXPECT_EQ(c.picture(ink), underscore.picture(ink)) << int(u8(byte[0]));
    }
    Canvas pilcrow(8, 16), pilcrow_utf8(8, 16);
    draw(pilcrow, 0, 0, "\x14", style(FontId::System8x16));
    draw(pilcrow_utf8, 0, 0, "\xC2\xB6", style(FontId::System8x16, TextEncoding::Utf8));
    EXPECT_GT(pilcrow.count(ink), 0);
    EXPECT_EQ(pilcrow.picture(ink), pilcrow_utf8.picture(ink));
    EXPECT_EQ(ink_of("\x01", FontId::System8x16), 0);
    EXPECT_EQ(ink_of("\x1F", FontId::System8x16), 0);
    Canvas del(8, 16), box(8, 16);
    draw(del, 0, 0, "\x7F", style(FontId::System8x16));
    draw(box, 0, 0, "\xEF\xBF\xBF", style(FontId::System8x16, TextEncoding::Utf8));
    EXPECT_EQ(del.picture(ink), box.picture(ink));
}

TEST(Font, DoubleBoxLinesAreDouble)
{
    // '═' (U+2550): two horizontal lines across the whole 8x16 cell.
    Canvas canvas(8, 16);
    draw(canvas, 0, 0, "\xE2\x95\x90", style(FontId::System8x16, TextEncoding::Utf8));
    i32 full_rows = 0;
    for (i32 y = 0; y < 16; ++y)
        full_rows += canvas.count(ink, { 0, y, 8, 1 }) == 8;
    EXPECT_EQ(full_rows, 2) << canvas.picture(ink);
}

TEST(Font, MissingCharactersDrawABox)
{
    Canvas box(20, 20);
    draw(box, 0, 0, "\xE4\xB8\xAD", style(FontId::System8x16, TextEncoding::Utf8)); // U+4E2D, not in the font
    EXPECT_EQ(box.extent(ink), Rect({ 1, 2, 6, 11 })) << box.picture(ink);
    EXPECT_EQ(box.count(ink), 2 * 6 + 2 * 9);
    Canvas small(20, 20);
    draw(small, 0, 0, "\xE4\xB8\xAD", style(FontId::System6x9, TextEncoding::Utf8));
    EXPECT_EQ(small.extent(ink), Rect({ 0, 1, 5, 7 })) << small.picture(ink);
    // A code point beyond the BMP (U+1F600) is a box as well.
    Canvas emoji(20, 20);
    EXPECT_EQ(draw(emoji, 0, 0, "\xF0\x9F\x98\x80", style(FontId::System8x16, TextEncoding::Utf8)), 8);
    EXPECT_EQ(emoji.picture(ink), box.picture(ink));
}

TEST(Font, Utf8DecodesMultiByteSequences)
{
    // "Aé Ж ─ €" in UTF-8: 1-, 2-, 2- and 3-byte characters.
    const char* text = "A\xC3\xA9\xD0\x96\xE2\x94\x80\xE2\x82\xAC";
    Canvas canvas(100, 20);
    EXPECT_EQ(draw(canvas, 0, 0, text, style(FontId::System8x16, TextEncoding::Utf8)), 5 * 8);
    EXPECT_EQ(gui::text_width(bytes(text), strlen(text), style(FontId::System8x16, TextEncoding::Utf8)), 40);
    // Same pixels as the cp866 bytes of the characters cp866 has.
    Canvas cp(100, 20);
    draw(cp, 0, 0, "A", style(FontId::System8x16));
    draw(cp, 16, 0, "\x86\xC4", style(FontId::System8x16));
    for (i32 x : { 0, 16, 24 })
        EXPECT_EQ(canvas.count(ink, { x, 0, 8, 16 }), cp.count(ink, { x, 0, 8, 16 })) << x;
    // '─' is a full-width line on one row.
    EXPECT_EQ(canvas.count(ink, { 24, 0, 8, 16 }), 8);
}

TEST(Font, MalformedUtf8DrawsBoxesAndGoesOn)
{
    auto boxes_in = [](const char* text, size_t length) {
        Canvas canvas(400, 20);
        i32 end = draw(canvas, 0, 0, text, style(FontId::System8x16, TextEncoding::Utf8), length);
        Canvas box(8, 16);
        draw(box, 0, 0, "\xEF\xBF\xBF", style(FontId::System8x16, TextEncoding::Utf8)); // U+FFFF: a box
        std::string result;
        for (i32 x = 0; x < end; x += 8) {
            bool is_box = true;
            for (i32 y = 0; y < 16; ++y)
                for (i32 dx = 0; dx < 8; ++dx)
                    is_box = is_box && ((canvas.at(x + dx, y) == ink) == (box.at(dx, y) == ink));
            result += is_box ? '#' : canvas.count(ink, { x, 0, 8, 16 }) ? 'c' : '_';
        }
        return result;
    };
    EXPECT_EQ(boxes_in("a\x80z", 3), "c#c");                 // stray continuation byte
    EXPECT_EQ(boxes_in("a\xC3z", 3), "c#c");                 // truncated 2-byte sequence
    EXPECT_EQ(boxes_in("a\xE2\x94z", 4), "c#c");             // truncated 3-byte: one box for both bytes
    EXPECT_EQ(boxes_in("\xC0\xAF", 2), "##");                // overlong '/' : C0 invalid, AF stray
    EXPECT_EQ(boxes_in("\xE0\x80\xAF", 3), "###");           // overlong 3-byte form
    EXPECT_EQ(boxes_in("\xED\xA0\x80", 3), "###");           // an encoded surrogate
    EXPECT_EQ(boxes_in("\xF4\x90\x80\x80", 4), "####");      // above U+10FFFF
    EXPECT_EQ(boxes_in("\xF5\xFF\xFE", 3), "###");           // bytes that never occur
    EXPECT_EQ(boxes_in("\xF0\x9F\x98", 3), "#");             // truncated 4-byte at the end
    EXPECT_EQ(boxes_in("\xE2\x94\x80", 2), "#");             // length cuts a sequence
    EXPECT_EQ(boxes_in("\xD0", gui::nul_terminated), "#");   // the terminator cuts a sequence
    EXPECT_EQ(boxes_in("a\xD0\x96z", 4), "ccc");
}

TEST(Font, Utf16LittleEndian)
{
    TextStyle s = style(FontId::System8x16, TextEncoding::Utf16Le);
    // "AЖ" then a 0 unit, then more.
    const u8 text[] = { 'A', 0, 0x16, 0x04, 0, 0, 'B', 0 };
    Canvas a(100, 20), b(100, 20);
    Surface surface = a.surface();
    EXPECT_EQ(gui::draw_text(surface, a.bounds(), 0, 0, text, gui::nul_terminated, s), 16);
    draw(b, 0, 0, "A\xD0\x96", style(FontId::System8x16, TextEncoding::Utf8));
    EXPECT_EQ(a.picture(ink), b.picture(ink));
    // Counted: the 0 unit is a blank cell and the text goes on.
    EXPECT_EQ(gui::draw_text(surface, a.bounds(), 0, 0, text, sizeof(text), s), 32);
    // Odd length: the last byte is half a unit, drawn as a box.
    EXPECT_EQ(gui::draw_text(surface, a.bounds(), 0, 0, text, 3, s), 16);

    // Surrogates: a pair is one (missing) character; lone halves are boxes.
    const u8 pair[] = { 0x3D, 0xD8, 0x00, 0xDE };
    EXPECT_EQ(gui::text_width(pair, sizeof(pair), s), 8);
    const u8 lone[] = { 0x3D, 0xD8, 'A', 0, 0x00, 0xDE };
    EXPECT_EQ(gui::text_width(lone, sizeof(lone), s), 24);
    const u8 high_at_end[] = { 'A', 0, 0x3D, 0xD8 };
    EXPECT_EQ(gui::text_width(high_at_end, sizeof(high_at_end), s), 16);
}

TEST(Font, KolibriTextStyleDecodesEcx)
{
    size_t length = 0;
    TextStyle s = gui::kolibri_text_style(0x00FF8000, 0x11223344, 5, length);
    EXPECT_EQ(s.font, FontId::System6x9);
    EXPECT_EQ(s.encoding, TextEncoding::Cp866);
    EXPECT_EQ(s.color, 0xFF8000u);
    EXPECT_EQ(s.scale, 1u);
    EXPECT_FALSE(s.fill_background);
    EXPECT_FALSE(s.to_user_buffer);
    EXPECT_EQ(s.max_characters, 5u);
    EXPECT_EQ(length, 5u);

    s = gui::kolibri_text_style(0xD3ABCDEF, 0x11223344, 999, length); // A B FF=1 SSS=3
    EXPECT_EQ(s.font, FontId::System8x16);
    EXPECT_EQ(s.encoding, TextEncoding::Cp866);
    EXPECT_EQ(s.color, 0xABCDEFu);
    EXPECT_EQ(s.scale, 4u);
    EXPECT_TRUE(s.fill_background);
    EXPECT_EQ(s.background, 0x223344u);
    EXPECT_EQ(length, gui::nul_terminated);
    EXPECT_EQ(s.max_characters, 256u); // ESI ignored

    s = gui::kolibri_text_style(0x27000000, 0, 10, length); // FF=2, SSS=7
    EXPECT_EQ(s.encoding, TextEncoding::Utf16Le);
    EXPECT_EQ(s.scale, 8u);
    EXPECT_EQ(length, 20u);

    s = gui::kolibri_text_style(0x30000000, 0, 10, length); // UTF-8: ESI counts characters
    EXPECT_EQ(s.font, FontId::System8x16);
    EXPECT_EQ(s.encoding, TextEncoding::Utf8);
    EXPECT_EQ(s.max_characters, 10u);
    EXPECT_EQ(length, 40u);

    s = gui::kolibri_text_style(0x48000000, 0x00400000, 3, length); // B and C: EDI is the buffer
    EXPECT_TRUE(s.to_user_buffer);
    EXPECT_FALSE(s.fill_background);

    s = gui::kolibri_text_style(0x10000000, 0, 0xFFFFFFFF, length); // a huge count is capped
    EXPECT_EQ(length, gui::max_nul_terminated);
    s = gui::kolibri_text_style(0x30000000, 0, 0xFFFFFFFF, length);
    EXPECT_EQ(length, gui::max_nul_terminated);
}

TEST(Font, KolibriAsciizStopsAfter256Characters)
{
    std::string long_text(600, 'a');
    size_t length = 0;
    TextStyle s = gui::kolibri_text_style(0x80FFFFFF, 0, 0, length);
    EXPECT_EQ(gui::text_width(bytes(long_text.c_str()), length, s), 256 * 6);
    // A counted UTF-8 string of 3 characters in 7 bytes: exactly 3 drawn.
    s = gui::kolibri_text_style(0x30FFFFFF, 0, 3, length);
    EXPECT_EQ(gui::text_width(bytes("\xD0\x96\xE2\x82\xAC" "ab"), lib::min(length, size_t(7)), s), 24);
}

TEST(Font, KolibriNumberStyleAndFormat)
{
    TextStyle s = gui::kolibri_number_style(0x51FF0000, 0x00ABCDEF); // B, F=1, SSS=1
    EXPECT_EQ(s.font, FontId::System8x16);
    EXPECT_EQ(s.encoding, TextEncoding::Cp866);
    EXPECT_EQ(s.scale, 2u);
    EXPECT_TRUE(s.fill_background);
    EXPECT_EQ(s.background, 0xABCDEFu);
    EXPECT_EQ(s.color, 0xFF0000u);
    s = gui::kolibri_number_style(0x08000000, 0x1000);
    EXPECT_EQ(s.font, FontId::System6x9);
    EXPECT_TRUE(s.to_user_buffer);

    gui::KolibriNumberFormat f = gui::kolibri_number_format(0x00080100); // hex, 8 digits, value in ECX
    EXPECT_TRUE(f.draws);
    EXPECT_EQ(f.base, 16u);
    EXPECT_EQ(f.digits, 8u);
    EXPECT_TRUE(f.show_leading_zeros);
    EXPECT_FALSE(f.value_is_pointer);
    EXPECT_FALSE(f.is_64bit);

    f = gui::kolibri_number_format(0xC0140001); // pointer, decimal, 20 digits, 64-bit, no zeros
    EXPECT_TRUE(f.draws);
    EXPECT_TRUE(f.value_is_pointer);
    EXPECT_TRUE(f.is_64bit);
    EXPECT_EQ(f.base, 10u);
    EXPECT_EQ(f.digits, 20u);
    EXPECT_FALSE(f.show_leading_zeros);

    EXPECT_TRUE(gui::kolibri_number_format(0x00200200).draws);   // binary, 32 digits
    EXPECT_EQ(gui::kolibri_number_format(0x00200200).base, 2u);
    // 64-bit without a pointer: display_number takes the high dword from EBP.
    EXPECT_TRUE(gui::kolibri_number_format(0x40080000).is_64bit);
    EXPECT_FALSE(gui::kolibri_number_format(0x40080000).pointer_checked);
    EXPECT_TRUE(gui::kolibri_number_format(0x00080002).pointer_checked); // BL = 2: checked, not read
    EXPECT_FALSE(gui::kolibri_number_format(0x00080002).value_is_pointer);
    EXPECT_FALSE(gui::kolibri_number_format(0x00000000).draws);  // 0 digits
    EXPECT_TRUE(gui::kolibri_number_format(0x003C0000).draws);   // 60 digits
    EXPECT_FALSE(gui::kolibri_number_format(0x003D0000).draws);  // 61 digits
    EXPECT_FALSE(gui::kolibri_number_format(0x00480000).draws);  // reserved bit 22
    EXPECT_FALSE(gui::kolibri_number_format(0x00080300).draws);  // BH = 3
}

TEST(Font, FormatKolibriNumber)
{
    EXPECT_EQ(number(0x1A2B, 16, 8, true), "00001A2B");
    EXPECT_EQ(number(0x1A2B, 16, 8, false), "1A2B");
    EXPECT_EQ(number(0xDEADBEEF, 16, 4, true), "BEEF"); // too many digits: the high ones go
    EXPECT_EQ(number(1234, 10, 6, false), "1234");
    EXPECT_EQ(number(1234, 10, 6, true), "001234");
    EXPECT_EQ(number(1234, 10, 2, true), "34");
    EXPECT_EQ(number(1005, 10, 3, false), "5"); // low digits "005", zeros hidden
    EXPECT_EQ(number(0, 10, 5, false), "0");    // at least one digit
    EXPECT_EQ(number(0, 10, 5, true), "00000");
    EXPECT_EQ(number(5, 2, 8, true), "00000101");
    EXPECT_EQ(number(5, 2, 8, false), "101");
    EXPECT_EQ(number(0xFFFFFFFFFFFFFFFFull, 10, 20, true), "18446744073709551615");
    EXPECT_EQ(number(0xFFFFFFFFFFFFFFFFull, 10, 25, true), "0000018446744073709551615");
    EXPECT_EQ(number(0x123456789ABCDEF0ull, 16, 16, true), "123456789ABCDEF0");
    EXPECT_EQ(number(1ull << 63, 2, 64, false), "1" + std::string(63, '0'));
    EXPECT_EQ(number(4294967296ull, 10, 60, false), "4294967296");
    EXPECT_EQ(number(7, 10, 60, true), std::string(59, '0') + "7");
    EXPECT_EQ(number(7, 10, 0, true), "");
    EXPECT_EQ(number(7, 8, 3, true), ""); // octal is not a KolibriOS base
    char small[3];
    EXPECT_EQ(gui::format_kolibri_number(12345, 10, 5, true, small, sizeof(small)), 3u);
    EXPECT_EQ(std::string(small, 3), "123");
}

TEST(Font, DumpSampleAsPgm)
{
    // A sample of both fonts. Set COLIBRI_FONT_PGM to a file name to look at
    // it (PGM, black ink on white, filled cells grey).
    Canvas canvas(420, 120);
    draw(canvas, 2, 2, "6x9: Hello, KolibriOS! 0123456789 \x8F\xE0\xA8\xA2\xA5\xE2 \xAC\xA8\xE0 \x01\x02\x03", style(FontId::System6x9));
    draw(canvas, 2, 14, "\xC9\xCD\xCB\xCD\xBB \xDA\xC4\xC2\xC4\xBF \xB0\xB1\xB2\xDB \xF0\xF1 \xFC", style(FontId::System6x9));
    draw(canvas, 2, 26, "8x16: Hello \xD0\x9F\xD1\x80\xD0\xB8\xD0\xB2\xD0\xB5\xD1\x82 \xCE\xB1\xCE\xB2\xCE\xB3 \xE2\x82\xAC \xE4\xB8\xAD \xC3\xA9\xC3\xB1",
        style(FontId::System8x16, TextEncoding::Utf8));
    draw(canvas, 2, 44, "\xC9\xCD\xCD\xCB\xCD\xCD\xBB \xDA\xC4\xC2\xC4\xBF \xB0\xB1\xB2\xDB\xDC\xDD\xDE\xDF", style(FontId::System8x16));
    TextStyle big = style(FontId::System8x16, TextEncoding::Cp866, 3);
    big.fill_background = true;
    big.background = fill;
    draw(canvas, 2, 64, "Ag\x86", big);
    draw(canvas, 90, 64, "Scale 2", style(FontId::System6x9, TextEncoding::Cp866, 2));
    EXPECT_GT(canvas.count(ink), 1000);
    if (const char* path = std::getenv("COLIBRI_FONT_PGM"))
        canvas.write_pgm(path);
}
