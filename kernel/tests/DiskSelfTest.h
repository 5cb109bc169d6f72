// The disk self-test, run when the command line contains `disktest` (or
// `disktest=MiB` to choose how much the throughput measurement reads; 16 by
// default). It expects disks prepared by tests/vm/test_disks.py:
//
//   sectors 1-300 and the last sector hold host_pattern (below);
//   sectors 1000-1299 and 1400-1699 are not used by the host.
//
// For every disk it reads those sectors back (singly and in one call larger
// than one ATA command), checks that a read past the end is refused, writes
// guest_pattern to sector 2 and to sectors 1000-1299, reads them back and
// flushes; then it does the same for sectors 1400-1699 with a buffer mapped
// outside the kernel's direct map. The host then checks the image file. Last it reads the disk
// sequentially from sector 0 and logs the throughput. Each case prints
// "disktest: PASS hdN case" or "disktest: FAIL hdN case: reason".
#pragma once

#include "lib/String.h"
#include "lib/Types.h"

namespace kernel {

constexpr u8 disktest_host_pattern(u64 sector, u32 index) { return static_cast<u8>(sector * 31 + index * 13 + 0x5A); }
constexpr u8 disktest_guest_pattern(u64 sector, u32 index) { return static_cast<u8>(sector * 17 + index * 5 + 0xA5); }

// `argument` is the value of disktest= (empty for the default). Returns
// the number of failed cases.
unsigned run_disk_self_test(StringView argument);

} // namespace kernel
