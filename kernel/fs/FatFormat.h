// Makes an empty FAT12 or FAT16 file system (the RAM disk /tmp0/1, tests).
// The layout follows Microsoft's FAT specification: the type is chosen by
// the cluster count (below 4085 clusters FAT12, below 65525 FAT16), two FATs,
// a 512-entry root directory (224 on volumes under 2 MiB).
#pragma once

#include "kernel/fs/BlockDevice.h"

namespace fs {

// Formats `store` (whole size, 512-byte sectors). InvalidArgument when the
// store is smaller than 64 KiB or too large for FAT16 (> 2 GiB);
// ReadOnly when it cannot be written.
ErrorOr<void> format_fat(ByteStore& store, StringView label);

} // namespace fs
