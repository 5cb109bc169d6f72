// VGA text mode console (80x25 at physical 0xB8000): the fallback screen
// when no framebuffer is set up. Scrolls; no cursor hardware updates.
#pragma once

#include "lib/Types.h"

namespace drivers::vga_text {

void initialize();
// Disables output (the display is in a graphics mode).
void disable();
bool is_enabled();
void write(const char* text, size_t length);
// Colour attribute for subsequent output: light grey on black is 0x07.
void set_attribute(u8 attribute);

} // namespace drivers::vga_text
