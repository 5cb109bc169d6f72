// The kernel's page directory as set up by boot.S: 4 MiB pages mapping
// physical 0-768 MiB at 0xC0000000, plus a temporary identity map.
#pragma once

#include "lib/Types.h"

namespace arch::paging {

// Drops the identity mapping of low memory that boot.S needed to switch on
// paging, so user space (0 - 3 GiB) starts out empty and a null pointer
// dereference in the kernel faults.
void remove_identity_map();

// True when `address` is mapped in the current page directory.
bool is_mapped(uintptr_t address);

} // namespace arch::paging
