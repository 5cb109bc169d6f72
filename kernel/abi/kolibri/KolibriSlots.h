// KolibriOS slots: how the personality numbers the threads of the system
// (sysfuncs.txt, function 9 and the slot subfunctions of 18).
//
// The mapping:
//  * Every live thread of the system gets a slot, 1..255: the threads of
//    KolibriOS programs, those of native programs, and kernel threads,
//    so function 9 lists what the machine runs, as KolibriOS's own task
//    list does. Not the boot thread (identifier 0: KolibriOS has no
//    identifier 0), not dead threads, not the threads of a process that
//    is being torn down.
//  * Slot 1 is the idle thread, reported as KolibriOS's "OS/IDLE" with
//    identifier 1 (our idle thread is the first one created, so its id is
//    1). Other kernel threads are system threads named "OS". Neither can
//    be terminated (18.2, 18.18) and neither owns windows.
//  * A thread keeps its slot for its whole life. New threads take the
//    lowest free slots, in order of their identifiers; a slot whose thread
//    ended is free again (function 9 reports it with state 9). Threads
//    beyond 255 slots get none until slots free up.
//  * The KolibriOS identifier (PID/TID: function 9 +30, 18.18, 18.21,
//    18.22) is the Colibri thread id. KolibriOS gives a process the
//    identifier of its first thread; so do we in effect, since function 9
//    only ever shows thread ids.
//  * Windows: a window belongs to the slot of the thread that created it
//    (function 0). The desktop and the kernel's own windows (the panel
//    and its menu) belong to slot 1, the system, for functions 18.7 and 34.
//
// The table is brought up to date lazily, by every function that uses
// slots: ended threads leave, new threads enter. It is changed and read
// with interrupts disabled (one CPU); nothing here takes the GUI lock
// while interrupts are off (lock order in gui/KernelGui.h).
#pragma once

#include "kernel/arch/i386/Interrupts.h"
#include "lib/Types.h"

namespace task {
struct Thread;
}

namespace kolibri {

constexpr u32 max_slot = 255;
constexpr u32 idle_slot = 1;

// The slot of a live thread (0: it has none). Updates the table.
u32 slot_of_thread(u32 thread_id);
// The thread in a slot (0: the slot is free or out of range). Updates the
// table.
u32 thread_in_slot(u32 slot);
// The slot of the thread that owns a window (owner 0, the kernel's
// windows and the desktop: slot 1).
u32 slot_of_window_owner(u32 owner_thread_id);
// CPU time of the idle thread in time-stamp-counter cycles per second
// (function 18.4), measured over the last second or so.
u32 idle_units_per_second();

// Under interrupts disabled: the live thread with this KolibriOS
// identifier (null: none, or not visible as a slot).
task::Thread* find_visible_thread_locked(u32 thread_id);

// 9: information on a thread.
void sys_thread_info(arch::TrapFrame&);

} // namespace kolibri
