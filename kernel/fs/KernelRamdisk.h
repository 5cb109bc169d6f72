// The ramdisk: the FAT12 image the loader passed as a Multiboot module,
// mounted read-only and reachable as /sys/... and /rd/1/... (KolibriOS
// names for the system disk). A later issue replaces this with the VFS.
#pragma once

#include "kernel/fs/FatVolume.h"
#include "lib/Error.h"
#include "lib/String.h"

namespace boot {
struct BootInfo;
}

namespace kernel {

// Mounts the first boot module as the ramdisk; logs why when it cannot.
void initialize_ramdisk(const boot::BootInfo&);
bool ramdisk_available();
fs::FatVolume* ramdisk_volume();

// Maps "/sys/NAME", "/rd/1/NAME" (case-insensitive prefixes) and bare
// "NAME" to a path inside the ramdisk.
ErrorOr<StringView> ramdisk_relative_path(StringView path);
ErrorOr<fs::FatFile> open_path(StringView path);

} // namespace kernel
