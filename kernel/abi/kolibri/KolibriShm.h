// KolibriOS function 68.22/68.23: named memory areas, on the kernel's shared
// memory objects (kernel/ipc/KernelIpc.h) with counted names: an area lives
// while some process has it open.
#pragma once

#include "kernel/arch/i386/Interrupts.h"

namespace task {
struct KolibriState;
}

namespace kolibri {

// 68.22 (open) and 68.23 (close); EBX selects.
void shared_area_function(task::KolibriState&, arch::TrapFrame&);
// The program ends: every area it opened is closed.
void close_shared_areas(task::KolibriState&);

} // namespace kolibri
