// The memory summary printed right after the banner: what the loader told
// us about memory, modules, the command line and the display.
#pragma once

#include "lib/Format.h"

namespace boot {

struct BootInfo;

void write_boot_report(lib::FormatSink&, const BootInfo&);

} // namespace boot
