// KolibriOS function 77 (posix/posix.inc, futex.inc, pipe.inc): futexes
// (77.0-77.3) and pipes (77.10 read, 77.11 write, 77.13 pipe2), on the
// kernel's futexes (kernel/ipc/KernelIpc.h) and pipes (KernelPipe.h).
// Both live in a table of handles per process (PROC.htab: 1006 entries,
// 0-2 kept for stdin/stdout/stderr, so the first handle is 3; a freed
// handle is the next one given out, as create_object takes them from a
// free list). KolibriOS has no call that closes a pipe end: the ends go
// when the program ends.
#pragma once

#include "kernel/arch/i386/Interrupts.h"

namespace task {
struct KolibriState;
}

namespace kolibri {

void sys_posix(arch::TrapFrame&); // 77
// The program ends: its handles (and pipe ends) go.
void release_posix_handles(task::KolibriState&);

} // namespace kolibri
