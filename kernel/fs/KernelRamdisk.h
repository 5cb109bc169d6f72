// The boot ramdisk and the other RAM volumes: the FAT12 image the loader
// passed as a Multiboot module is mounted in place as /rd/1 (also /sys, the
// KolibriOS name of the system folder), and a fresh RAM disk as /tmp0/1.
// New files get their timestamps from the RTC.
#pragma once

#include "lib/Error.h"
#include "lib/String.h"

namespace boot {
struct BootInfo;
}

namespace kernel {

// Mounts the first boot module and the RAM disk; logs why when it cannot.
void initialize_ramdisk(const boot::BootInfo&);
bool ramdisk_available();

// A program or file name as users type it: "NAME" without any slash means
// /sys/NAME; anything else is kept. The result lives in `buffer`.
ErrorOr<StringView> absolute_path(StringView path, char* buffer, size_t capacity);

} // namespace kernel
