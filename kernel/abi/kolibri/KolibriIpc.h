// KolibriOS function 60: inter-process communication through a receive
// buffer each thread registers in its own memory (sysfuncs.txt, "Function
// 60"). The kernel appends [sender id, length, data] records to the
// receiver's buffer and raises event 7 for it.
#pragma once

#include "kernel/arch/i386/Interrupts.h"

namespace kolibri {

void sys_ipc(arch::TrapFrame&); // 60

// Statistics for the shell and tests.
struct IpcStatistics {
    u64 sent;
    u64 bytes;
    u64 refused; // locked, full, no buffer, no receiver
};
IpcStatistics ipc_statistics();

} // namespace kolibri
