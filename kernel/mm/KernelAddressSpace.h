// The kernel's process address spaces: an mm::AddressSpace over its own
// i386 page tables (arch::PageDirectory), and the CPU switching between
// them. The rest of the kernel creates, activates and destroys address
// spaces through these calls and never sees a page table (DESIGN.md,
// "Layout": only mm/ and arch/ know what one looks like).
#pragma once

#include "kernel/mm/AddressSpace.h"
#include "lib/Error.h"

namespace mm {

// An empty user address space whose kernel half is shared with every other.
// NoMemory when no frame is left for the page directory or no heap for the
// object.
ErrorOr<AddressSpace*> create_user_address_space();

// Releases every page and frame, then the page tables. The CPU must not be
// running on it (see deactivate()).
void destroy_user_address_space(AddressSpace*);

// Makes the CPU translate through `space` (loads CR3 unless it already
// does). `space` must come from create_user_address_space().
void activate(const AddressSpace& space);

// If the CPU runs on `space`, switches it to the kernel-only page tables, so
// that `space` can be emptied and destroyed under a thread still running.
void deactivate(const AddressSpace& space);

// Opens (or closes) the screen window at 0xFE000000 in `space`: KolibriOS
// programs write pixels there (kernel/gui/DirectScreen.h), native programs
// must fault.
void set_screen_access(AddressSpace& space, bool allowed);

} // namespace mm
