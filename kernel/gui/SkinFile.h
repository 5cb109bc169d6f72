// A KolibriOS skin file (.skn) read into views of its bytes: what
// parse_skin_data (gui/skincode.inc) takes from it. The layout, as the
// skins' own build macros (skins/skin.inc) write it, little-endian:
//
//   header:  'SKIN', version, @params, @buttons, @bitmaps   (5 dwords)
//   params:  dd height; dw right, left, bottom, top margins;
//            dd inner, outer, frame (active); dd inner, outer, frame
//            (inactive); dd size of the colour table; the table
//   buttons: { dd type (1 close, 2 minimize); dw left, top, width,
//            height (signed: a negative left counts from the right) }...
//            dd 0
//   bitmaps: { dw kind (1 left, 2 oper, 3 base); dw type (0 inactive,
//            else active); dd @bitmap }... dd 0
//   bitmap:  dd width, height; then height rows of width 3-byte pixels
//            (blue, green, red), top row first, no padding.
//
// KolibriOS trusts every offset; we check each against the file and
// refuse a skin that points outside it or whose bitmaps are absurd, so a
// hostile skin gets an error, never a read out of bounds. Portable.
#pragma once

#include "lib/Error.h"
#include "lib/Types.h"

namespace gui {

// Limits on what a skin may ask for; real skins are far inside them.
constexpr i32 max_skin_height = 256;
constexpr i32 max_skin_bitmap_width = 4096;

struct SkinBitmap {
    const u8* pixels { nullptr }; // nullptr: the skin has none of this kind
    i32 width { 0 };
    i32 height { 0 };

    bool present() const { return pixels != nullptr; }
    // The pixel at (x, y), 0 <= x < width, 0 <= y < height, as 0xRRGGBB.
    u32 pixel(i32 x, i32 y) const;
};

// One look of the header and frame: active or inactive windows.
struct SkinFace {
    u32 inner { 0 };
    u32 outer { 0 };
    u32 frame { 0 };
    SkinBitmap left;  // drawn at the header's left edge
    SkinBitmap oper;  // at the right edge (the close/minimize pictures)
    SkinBitmap base;  // tiled between them
};

struct SkinButton {
    bool present { false };
    i32 left { 0 }; // from the window's left edge, or (< 0) from width + 1
    i32 top { 0 };
    i32 width { 0 };
    i32 height { 0 };
};

struct SkinFile {
    i32 height { 0 }; // of the header (function 48.4)
    // Function 48.7's margins, in the file's order.
    u16 margin_right { 0 };
    u16 margin_left { 0 };
    u16 margin_bottom { 0 };
    u16 margin_top { 0 };
    SkinFace active;
    SkinFace inactive;
    SkinButton close;
    SkinButton minimize;
    // The colour table parse_skin_data copies over 48.3's (the low byte
    // of its size only, as there).
    const u8* colors { nullptr };
    size_t colors_size { 0 };

    // Views into `bytes`, which must outlive the result. NotFound when
    // the file does not start with 'SKIN' (48.8's "not a skin"), Corrupt
    // with the reason when it does but is damaged.
    static ErrorOr<SkinFile> parse(const u8* bytes, size_t length);
};

bool is_skin_file(const u8* bytes, size_t length);

} // namespace gui
