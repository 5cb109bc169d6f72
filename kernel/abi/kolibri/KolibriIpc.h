// KolibriOS function 60: inter-process communication through a receive
// buffer each thread registers in its own memory (60.1). 60.2 appends a
// [sender thread id, length, data] record at the offset the buffer's second
// dword names, moves that offset on and raises event 7 for the receiver, as
// sys_IPC / sys_ipc_send in KolibriOS core/memory.inc do; docs/ipc.md
// describes the layout and where Colibri differs.
#pragma once

#include "kernel/arch/i386/Interrupts.h"

namespace kolibri {

void sys_ipc(arch::TrapFrame&); // 60

// Statistics for the shell and tests.
struct IpcStatistics {
    u64 sent;
    u64 bytes;
    u64 refused; // any result but 0
};
IpcStatistics ipc_statistics();

} // namespace kolibri
