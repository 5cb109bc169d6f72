// Named shared memory and futexes for native programs (SYS_SHM_*,
// SYS_FUTEX_*): thin system-call wrappers over kernel/ipc/KernelIpc.h.
#pragma once

#include "kernel/arch/i386/Interrupts.h"
#include "lib/Types.h"

namespace native {

i32 sys_shm_open(arch::TrapFrame&);
i32 sys_shm_unlink(arch::TrapFrame&);
i32 sys_futex_wait(arch::TrapFrame&);
i32 sys_futex_wake(arch::TrapFrame&);
i32 sys_shm_list(arch::TrapFrame&);

} // namespace native
