// KolibriOS functions that work on the screen as a whole rather than on
// a window (sysfuncs.txt): the desktop background (15 and its pair 39),
// images on the background layer (25), reading the screen back (35, 36),
// window shapes (50), the parameters of direct screen access (61) and
// images with a palette (65). KolibriScreen.cpp; the dispatch table is in
// KolibriSyscalls.cpp.
#pragma once

#include "kernel/arch/i386/Interrupts.h"

namespace kolibri {

void sys_background(arch::TrapFrame&);        // 15
void sys_background_layer(arch::TrapFrame&);  // 25
void sys_read_pixel(arch::TrapFrame&);        // 35
void sys_read_area(arch::TrapFrame&);         // 36
void sys_background_get(arch::TrapFrame&);    // 39
void sys_window_shape(arch::TrapFrame&);      // 50
void sys_screen_access(arch::TrapFrame&);     // 61
void sys_draw_palette_image(arch::TrapFrame&); // 65

} // namespace kolibri
