// Skin files in the kernel (KernelSkin.cpp): function 48.8 and the boot
// skin. Kernel-only; the parsing is SkinFile.h, the drawing Decoration.cpp.
#pragma once

#include "lib/Types.h"

namespace gui {

// read_skin_file (gui/skincode.inc): loads the skin file at `path` (a
// full VFS path), unpacking a KPCK-packed one, and makes it the skin of
// skinned windows and its colour table 48.3's. Returns 48.8's answer:
// 0 loaded, 1 the file cannot be read, 2 it is not a (sound) skin; on
// 1 and 2 the skin in use stays. Takes the GuiLock; does not redraw.
u32 load_skin_file(const char* path);

// load_default_skin: /sys/DEFAULT.SKN when the ramdisk has one, else
// Colibri's built-in skin stays. Called once at boot before the desktop
// is painted.
void load_default_skin();

} // namespace gui
