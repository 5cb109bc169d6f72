// The machine's disks, numbered the way KolibriOS programs see them: disk
// 0 is /hd0. ATA devices come first in port order (primary master, primary
// slave, secondary master, secondary slave; packet devices such as CD-ROM
// drives and empty positions are skipped), then virtio-blk devices in PCI
// order. The numbering is fixed at boot.
#pragma once

#include "kernel/fs/BlockDevice.h"
#include "lib/Types.h"

namespace drivers {

constexpr u32 max_disks = 16;

// Probes every controller once and logs one line per disk. Needs PCI, the
// calibrated clock and the heap; called at boot before anything mounts.
void initialize_disks();
u32 disk_count();
// Null for an index >= disk_count().
fs::BlockDevice* disk(u32 index);

} // namespace drivers
