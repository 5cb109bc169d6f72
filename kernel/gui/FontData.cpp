// The font tables declared in FontData.h. FontGlyphs.inc is written into
// the build tree by tools/mkfont.py (see tools/fonts.cmake) from the font
// files of the Debian packages xfonts-base and console-setup-linux.
#include "kernel/gui/FontData.h"

namespace gui::font_data {

#include "FontGlyphs.inc"

} // namespace gui::font_data
