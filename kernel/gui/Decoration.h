// Painting helpers of the window manager: colour arithmetic, gradients,
// button faces, the desktop. Every function draws only inside `clip`
// (surface coordinates). Portable.
#pragma once

#include "kernel/gui/Surface.h"

namespace gui {

// a + (b - a) * numerator / denominator, per channel (denominator > 0).
Color mix(Color a, Color b, i32 numerator, i32 denominator);
// Every channel halved: the "shaded" frame colour of type II windows.
Color shaded(Color);

// Vertical gradient from `top` to `bottom` over the height of `rect`.
void fill_vertical_gradient(Surface&, const Rect& rect, Color top, Color bottom, const Rect& clip);
// KolibriOS's gradient fill (function 13 with EDX bit 31, window work
// areas with the gradient flag): as vesa20_drawbar (video/vesa20.inc)
// does, only the blue byte changes: one less per row from the top, and
// it stays at 0 once there.
void fill_gradient_rect(Surface&, const Rect&, Color, const Rect& clip);

// The standard colour table (function 48.2 sets, 48.3 reads it): 48
// dwords, as KolibriOS's common_colours (gui/window.inc); the first ten
// are the documented ones and start as skin::standard_colors, the rest 0.
// Types I and II draw their caption in entry 4 (grab_text).
constexpr size_t standard_color_bytes = 192;
const u32* standard_colors();
// Copies `size` bytes (at most standard_color_bytes) over the table's start.
void set_standard_colors(const u8* bytes, size_t size);
// A 1-pixel rectangle outline.
void draw_outline(Surface&, const Rect&, Color, const Rect& clip);
// Inverts a 1-pixel outline (each pixel once, so doing it twice restores).
void invert_outline(Surface&, const Rect&, const Rect& clip);
// A function 8 button: `color` with a soft vertical shine and a darker edge.
void draw_button_face(Surface&, const Rect&, Color, const Rect& clip);
// The default desktop background over the whole surface, clipped.
void paint_desktop(Surface&, const Rect& clip);

// The skin of skinned windows (function 0 styles 3 and 4): a skin file
// loaded by function 48.8 or at boot (gui/KernelSkin.cpp owns its bytes),
// or, without one, Colibri's own skin drawn in code (Skin.h).
struct SkinFile;
void set_loaded_skin(const SkinFile*); // nullptr: back to the built-in one
const SkinFile* loaded_skin();
// Function 48.4: the header height of skinned windows.
i32 skin_header_height();
// Function 48.7: the caption margins, from the window's left and right
// edges and the header's top and bottom.
struct CaptionMargins {
    i32 left, right, top, bottom;
};
CaptionMargins skin_caption_margins();

// The desktop painter can be replaced (function 15 sets a picture).
using DesktopPainter = void (*)(Surface&, const Rect& clip, void* context);
void set_desktop_painter(DesktopPainter, void* context);
// The built-in desktop (what paint_desktop draws without a painter).
void paint_default_desktop(Surface&, const Rect& clip);

} // namespace gui
