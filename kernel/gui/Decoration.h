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
// areas with the gradient flag): the colour darkens by one step per
// channel and row, down from `color` at the top.
void fill_gradient_rect(Surface&, const Rect&, Color, const Rect& clip);
// A 1-pixel rectangle outline.
void draw_outline(Surface&, const Rect&, Color, const Rect& clip);
// Inverts a 1-pixel outline (each pixel once, so doing it twice restores).
void invert_outline(Surface&, const Rect&, const Rect& clip);
// A function 8 button: `color` with a soft vertical shine and a darker edge.
void draw_button_face(Surface&, const Rect&, Color, const Rect& clip);
// The default desktop background over the whole surface, clipped.
void paint_desktop(Surface&, const Rect& clip);

// The desktop painter can be replaced (function 15 sets a picture).
using DesktopPainter = void (*)(Surface&, const Rect& clip, void* context);
void set_desktop_painter(DesktopPainter, void* context);
// The built-in desktop (what paint_desktop draws without a painter).
void paint_default_desktop(Surface&, const Rect& clip);

} // namespace gui
