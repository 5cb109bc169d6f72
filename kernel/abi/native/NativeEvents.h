// Event queues and timers for native programs (SYS_EQ_*, SYS_TIMER_*,
// SYS_HANDLE_CLOSE): system-call wrappers over kernel/event/KernelEvents.h.
#pragma once

#include "kernel/arch/i386/Interrupts.h"
#include "lib/Types.h"

namespace native {

i32 sys_eq_create(arch::TrapFrame&);
i32 sys_eq_ctl(arch::TrapFrame&);
i32 sys_eq_wait(arch::TrapFrame&);
i32 sys_eq_stats(arch::TrapFrame&);
i32 sys_timer_create(arch::TrapFrame&);
i32 sys_timer_set(arch::TrapFrame&);
i32 sys_timer_read(arch::TrapFrame&);
i32 sys_handle_close(arch::TrapFrame&);

} // namespace native
