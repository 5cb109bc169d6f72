// Colibri's own window skin ("flat slate"): the metrics and colours of
// skinned windows (KolibriOS function 0 styles 3 and 4), the standard
// colour table programs read with function 48.3, the desktop and the panel.
//
// KolibriOS loads its skin from default.skn; without a skin file (48.8,
// or /sys/DEFAULT.SKN at boot: SkinFile.h, KernelSkin.h) we draw ours in
// code with these values. What programs can observe is what function 48 reports: the header height
// (48.4), the caption margins (48.7) and the colour table (48.3). The
// geometry around it follows sysfuncs.txt, function 0: a 1-pixel outer
// frame, a 3-pixel frame, a 1-pixel inner frame, the header across the top
// (0,0)-(xsize, height-1), and the work area from (5, height) to
// (xsize-5, ysize-5).
#pragma once

#include "kernel/gui/Surface.h"
#include "lib/Types.h"

namespace gui::skin {

// Header height of skinned windows (function 48.4). Fits the 8x16 caption
// font with three pixels above and below.
constexpr i32 height = 22;
// Width of the frame on the left, right and bottom of skinned windows.
constexpr i32 border = 5;

// Caption text area inside the header (function 48.7): left and right
// margins from the window edges, top and bottom from the header edges.
constexpr i32 caption_left = 8;
constexpr i32 caption_right = 52;
constexpr i32 caption_top = 3;
constexpr i32 caption_bottom = 3;

// The close (id 1) and minimize (id 0xFFFF) buttons that function 0
// defines for skinned windows, in window coordinates from the right edge.
constexpr i32 system_button_width = 20;
constexpr i32 system_button_height = 16;
constexpr i32 system_button_top = 3;
constexpr i32 close_button_right = 5;   // gap between its right side and the window edge
constexpr i32 system_button_gap = 2;
constexpr u32 close_button_id = 1;
constexpr u32 minimize_button_id = 0xFFFF;

struct HeaderColors {
    Color top;          // gradient from top ...
    Color bottom;       // ... to bottom
    Color frame;        // the 3-pixel frame
    Color outer;        // 1-pixel outer line
    Color inner;        // 1-pixel inner line
    Color text;
    Color text_shadow;
};

constexpr HeaderColors active {
    0x4A86D0, 0x2A5CA8, 0x2F62AE, 0x172B48, 0x1E3F73, 0xFFFFFF, 0x12284A,
};
constexpr HeaderColors inactive {
    0xAEB7C3, 0x8E98A6, 0x959FAC, 0x4B5563, 0x7D8794, 0xF4F6F8, 0x5B6472,
};

constexpr Color close_button = 0xD9534F;
constexpr Color close_button_inactive = 0xB3797A;
constexpr Color minimize_button = 0x6B9DDB;
constexpr Color minimize_button_inactive = 0xA9B2BE;
constexpr Color system_button_glyph = 0xFFFFFF;

// Function 48.3: the standard colours, in the documented order
// (frames, grab, grab_button, grab_button_text, grab_text, work,
// work_button, work_button_text, work_text, work_graph).
constexpr u32 standard_colors[10] = {
    0x2F62AE, 0x4A86D0, 0x6B9DDB, 0xFFFFFF, 0xFFFFFF,
    0xE9EDF2, 0x4A86D0, 0xFFFFFF, 0x1B2633, 0x8A98AA,
};

// The desktop: a quiet vertical gradient, the same the display paints at
// boot (KernelDisplay.cpp), so the desktop does not change when the window
// manager takes over.
constexpr Color desktop_top = 0x234E86;
constexpr Color desktop_bottom = 0x0B1D3A;

// The panel at the bottom of the screen.
constexpr i32 panel_height = 30;
constexpr Color panel_background = 0x1B2330;
constexpr Color panel_top_line = 0x3A4A60;
constexpr Color panel_text = 0xE2E8EF;
constexpr Color panel_dim_text = 0x8D99A8;
constexpr Color panel_accent = 0x4A86D0;
constexpr Color panel_button = 0x2A3546;
constexpr Color panel_button_hover = 0x34435A;
constexpr Color menu_background = 0x243042;
constexpr Color menu_border = 0x4A86D0;

} // namespace gui::skin
