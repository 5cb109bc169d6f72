// The KolibriOS personality: `int 0x40` with the function number in EAX and
// arguments in EBX, ECX, EDX, ESI, EDI as documented in KolibriOS's
// kernel/trunk/docs/sysfuncs.txt. Registers a function does not document as
// outputs are preserved.
#pragma once

#include "kernel/arch/i386/Interrupts.h"
#include "lib/Types.h"

namespace kolibri {

void initialize_kolibri_personality();

// Logs (within the limits of task::KolibriCallLog) that the calling
// program used function EAX (subfunction EBX where the function has
// subfunctions) which is not implemented; registers are left alone.
void log_unimplemented(const arch::TrapFrame&);

// The calling process's KolibriOS heap (function 68.11-68.13), for
// functions that hand a program memory of its own (54.1): a block of at
// least `size` bytes, or 0 when the heap is not initialised or memory is
// short; the block is freed by the program with 68.13 or here.
u32 allocate_heap_block(u32 size);
bool free_heap_block(u32 address);

} // namespace kolibri
