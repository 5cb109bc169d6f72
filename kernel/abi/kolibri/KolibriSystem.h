// System information and control functions of the KolibriOS personality
// (sysfuncs.txt): 18 (system: threads by slot, windows of other threads,
// clocks, memory, shutdown, mouse settings), 29
// (date), 34 (owner of a screen pixel), 54 (clipboard) and 72 (messages
// to the active window). Function 9 and the slot table are in
// KolibriSlots.h, which also explains how threads map to slots.
#pragma once

#include "kernel/arch/i386/Interrupts.h"
#include "lib/Error.h"

namespace kolibri {

// Program buffers of these functions (and of function 9): copy_to_user /
// copy_from_user, except that a null pointer is refused like any other
// bad one. A KolibriOS program's header is at address 0, so no real
// buffer starts there, while a program passing 0 for "no buffer" would
// otherwise have its own header and code overwritten.
ErrorOr<void> copy_to_program(u32 address, const void* source, size_t length);
ErrorOr<void> copy_from_program(void* destination, u32 address, size_t length);

// Function handlers (dispatch table in KolibriSyscalls.cpp).
void sys_system(arch::TrapFrame&);        // 18
void sys_date(arch::TrapFrame&);          // 29
void sys_pixel_owner(arch::TrapFrame&);   // 34
void sys_clipboard(arch::TrapFrame&);     // 54
void sys_send_message(arch::TrapFrame&);  // 72

} // namespace kolibri
