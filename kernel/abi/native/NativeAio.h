// Asynchronous file I/O for native programs (cookbook recipe 4.1): a
// submission ring and a completion ring in memory shared with the program
// (layout and rules in kernel/abi/native/Syscalls.h and docs/aio.md), and
// one kernel worker thread per context that carries requests out through
// the VFS while the program computes.
#pragma once

#include "kernel/arch/i386/Interrupts.h"
#include "lib/Types.h"

namespace task {
class Process;
}

namespace native {

i32 sys_aio_setup(arch::TrapFrame&);
i32 sys_aio_enter(arch::TrapFrame&);
i32 sys_aio_cancel(arch::TrapFrame&);
i32 sys_aio_stats(arch::TrapFrame&);
i32 sys_aio_destroy(arch::TrapFrame&);

// Ends every asynchronous I/O context of `process`: queued requests are
// dropped, the one being carried out stops at its next chunk, the workers
// end, and every frame, file reference and buffer of the contexts goes
// back. Blocks until the workers are gone, so it must run on a thread that
// may sleep; the process's own threads must already be stopped (they may
// have died inside an aio call). Process::stop_other_threads calls it, for
// exit and exec: after it nothing writes into the address space any more.
void stop_async_io(task::Process&);

} // namespace native
