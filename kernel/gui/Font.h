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
    // At most this many characters are drawn (KolibriOS counts characters,
    // not bytes: ESI of function 4, 256 for its NUL-terminated strings).
    u32 max_characters { no_character_limit };
    // Function 4/47 flag C (ECX/ESI bit 27): the program asked for the text
    // in its own buffer (EDI) instead of its window. draw_text ignores it;
    // the caller picks the Surface.
    bool to_user_buffer { false };
    // The top byte of every text pixel written (normally 0). Function 4/47
    // into a user buffer writes 0xFF there, as dtext (gui/font.inc) does.
    u8 top_byte { 0 };

    static constexpr u32 no_character_limit = ~u32(0);
};

// Cell size of one character (scale included).
i32 char_width(const TextStyle&);
i32 char_height(const TextStyle&);

// Draws `length` bytes of `text` (for UTF-16LE, length counts bytes too;
// when `length` is the special value `nul_terminated`, the text ends at the
// first 0 character, at most max_nul_terminated bytes). Characters outside
// the font draw as a box. Returns the x just after the last character.
//
// Malformed UTF-8 (each maximal ill-formed subsequence), lone UTF-16
// surrogates and a trailing odd UTF-16 byte draw one box each and the text
// goes on. In the 6x9 font, cp866 bytes 0x01-0x1F and 0x7F draw the DOS
// pictures (smileys, arrows, ...) and the character 0 draws blank when
// `length` is a count. The 8x16 font shows cp866 as KolibriOS does (see
// kolibri_large_cp866_code_point in Font.cpp): pseudo-graphics as '_',
// control bytes blank, 0 and 0x7F as the box. A NUL-terminated UTF-16LE text ends at the first 16-bit 0 unit.
// `scale` outside 1..8 is clamped. Only pixels inside clip ∩ surface are
// written, and no byte at or after text + length (text + max_nul_terminated,
// or after the terminating 0) is read.
constexpr size_t nul_terminated = ~size_t(0);
constexpr size_t max_nul_terminated = 4096;
i32 draw_text(Surface&, const Rect& clip, i32 x, i32 y, const u8* text, size_t length, const TextStyle&);

// The width in pixels that draw_text would advance over the same text.
i32 text_width(const u8* text, size_t length, const TextStyle&);

// Decodes KolibriOS function 4's ECX (and EDI, the background colour) into
// a style; `length` is ESI as the program gave it; the resulting byte
// length (or nul_terminated) is returned in `byte_length`.
//
// ECX = 0xXXRRGGBB, XX = bits ABFFCSSS: A (bit 31) NUL-terminated string,
// drawn up to 256 characters; B (bit 30) fill the background with EDI;
// FF (bits 28-29) font and encoding: 0 6x9 cp866, 1 8x16 cp866,
// 2 8x16 UTF-16LE, 3 8x16 UTF-8; C (bit 27) draw into the user buffer at
// EDI (reported in to_user_buffer; B is then ignored, since EDI is the
// buffer); SSS (bits 24-26) scale - 1. Without A, ESI counts characters:
// max_characters = ESI, and byte_length is the most bytes that many
// characters can take (ESI, 2*ESI or 4*ESI), capped at max_nul_terminated.
// For UTF-8 that is an upper bound: a caller copying the text from user
// memory copies what is readable up to byte_length and passes that count.
TextStyle kolibri_text_style(u32 ecx, u32 edi, u32 esi, size_t& byte_length);

// Function 47's ESI (0xXXRRGGBB, XX = bits 0B0FCSSS: B fill with EDI,
// F font 0 = 6x9, 1 = 8x16, C user buffer, SSS scale - 1) and EDI.
// The digits are ASCII, so the encoding is cp866.
TextStyle kolibri_number_style(u32 esi, u32 edi);

// Function 47's EBX: BL = 1 when ECX points to the number (else ECX is
// it), BH = 0 decimal, 1 hexadecimal, 2 binary, bits 16-21 the digit
// count, bits 22-29 reserved (must be 0), bit 30 a 64-bit number, bit 31
// hide leading zeros. KolibriOS draws nothing for a digit count of 0 or
// above 60, reserved bits set, or another BH. As display_number
// (kernel.asm) does: any BL other than 0 has ECX checked as a pointer to
// 4 bytes (8 with bit 30), though only BL = 1 reads the number there; a
// 64-bit number not read through a pointer takes its high dword from EBP.
struct KolibriNumberFormat {
    bool draws { false };
    bool value_is_pointer { false };
    bool pointer_checked { false };
    bool is_64bit { false };
    u32 base { 10 };
    u32 digits { 0 };
    bool show_leading_zeros { true };
};
KolibriNumberFormat kolibri_number_format(u32 ebx);

// Function 47: formats a number as KolibriOS does (decimal, hexadecimal
// or binary, a digit count, leading zeros shown or not). Writes at most
// `capacity` characters to `out` (no terminating 0); returns the count.
//
// `base` is 2, 10 or 16 (anything else formats nothing). Exactly `digits`
// digits (1..64) of the value are formed: the low-order ones, so a number
// too big loses its high digits, and a small one gets leading zeros. With
// show_leading_zeros false those zeros are dropped, keeping at least one
// digit. Hexadecimal digits are upper case.
size_t format_kolibri_number(u64 value, u32 base, u32 digits, bool show_leading_zeros, char* out, size_t capacity);

} // namespace gui
