// The bitmaps of the two system fonts. The tables are generated when the
// build is configured, by tools/mkfont.py from fonts of Debian packages:
//   6x9   Misc-Fixed 6x9 (package xfonts-base; public domain), the 256
//         characters of code page 866;
//   8x16  the VGA console font (package console-setup-linux, from
//         u_vga16.bdf, (c) 2000, 2001 Dmitry Bolkhovityanov, MIT-style
//         licence), every Unicode character it maps (about a thousand:
//         Latin, Greek, Cyrillic, Hebrew, Arabic, box drawing, symbols).
// One byte per row, bit 7 = leftmost column: 1 bit per pixel.
#pragma once

#include "lib/Types.h"

namespace gui::font_data {

constexpr i32 small_width = 6;
constexpr i32 small_height = 9;
constexpr i32 large_width = 8;
constexpr i32 large_height = 16;

struct Glyph6x9 {
    u8 rows[small_height];
};

struct Glyph8x16 {
    u8 rows[large_height];
};

struct CodePointGlyph {
    u16 code_point;
    u16 glyph; // index into large_glyphs
};

// 6x9 glyphs in cp866 order (0x00 blank, 0x01-0x1F and 0x7F the DOS pictures).
extern const Glyph6x9 small_glyphs[256];
// The Unicode code point each cp866 byte shows (0x00 -> 0).
extern const u16 cp866_code_points[256];

// 8x16 glyphs; glyph 0 is the box drawn for characters the font lacks.
extern const Glyph8x16 large_glyphs[];
extern const size_t large_glyph_count;
// Sorted by code point, BMP only; U+0000 is not listed (it draws blank).
extern const CodePointGlyph large_code_points[];
extern const size_t large_code_point_count;
// The 8x16 glyph of each cp866 byte.
extern const u16 large_cp866_glyphs[256];

// A 6x9 box for characters outside cp866.
inline constexpr Glyph6x9 small_missing_glyph { { 0x00, 0xF8, 0x88, 0x88, 0x88, 0x88, 0x88, 0xF8, 0x00 } };

} // namespace gui::font_data
