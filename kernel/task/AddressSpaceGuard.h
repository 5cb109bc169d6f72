// The lock of an address space. Its region tree and page tables are read
// by the page-fault handler (which runs with interrupts off) and changed by
// system calls of any thread of the process (which run with interrupts on,
// preemptible). With one CPU, turning interrupts off around each change is
// the whole lock: no other thread and no fault handler can see the tree
// half-changed. Changes are short (regions are mapped lazily), except
// unmapping or forking a large populated range, which is proportional to
// its resident pages.
#pragma once

#include "kernel/arch/i386/Cpu.h"

namespace task {

class AddressSpaceGuard {
public:
    AddressSpaceGuard() = default;
    AddressSpaceGuard(const AddressSpaceGuard&) = delete;
    AddressSpaceGuard& operator=(const AddressSpaceGuard&) = delete;

private:
    arch::InterruptDisabler m_interrupts_off;
};

} // namespace task
