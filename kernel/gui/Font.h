// The two system fonts of KolibriOS-style text (function 4 and friends):
// 6x9 (cp866) and 8x16 (cp866, UTF-16LE, UTF-8), with integer scaling.
// Portable: draws into any Surface; host-tested.
#pragma once

#include "kernel/gui/Surface.h"
#include "lib/Types.h"

namespace gui {

enum class FontId : u8 { System6x9, System8x16 };
enum class TextEncoding : u8 { Cp866, Utf16Le, Utf8 };

struct TextStyle {
    FontId font { FontId::System6x9 };
    TextEncoding encoding { TextEncoding::Cp866 };
    Color color { 0 };
    u32 scale { 1 };                 // 1..8: each font pixel becomes scale x scale
    bool fill_background { false };
    Color background { 0 };
};

// Cell size of one character (scale included).
i32 char_width(const TextStyle&);
i32 char_height(const TextStyle&);

// Draws `length` bytes of `text` (for UTF-16LE, length counts bytes too;
// when `length` is the special value `nul_terminated`, the text ends at the
// first 0 character, at most max_nul_terminated bytes). Characters outside
// the font draw as a box. Returns the x just after the last character.
constexpr size_t nul_terminated = ~size_t(0);
constexpr size_t max_nul_terminated = 4096;
i32 draw_text(Surface&, const Rect& clip, i32 x, i32 y, const u8* text, size_t length, const TextStyle&);

// Decodes KolibriOS function 4's ECX (and EDI, the background colour) into
// a style; `length` is ESI as the program gave it; the resulting byte
// length (or nul_terminated) is returned in `byte_length`.
TextStyle kolibri_text_style(u32 ecx, u32 edi, u32 esi, size_t& byte_length);

// Function 47: formats a number as KolibriOS does (decimal, hexadecimal
// or binary, a digit count, leading zeros shown or not). Writes at most
// `capacity` characters to `out` (no terminating 0); returns the count.
size_t format_kolibri_number(u64 value, u32 base, u32 digits, bool show_leading_zeros, char* out, size_t capacity);

} // namespace gui
