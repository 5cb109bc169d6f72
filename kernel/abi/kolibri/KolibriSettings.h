// KolibriOS functions 21 (set a system setting) and 26 (get one), as
// sys_setup and sys_getsetup (kernel.asm) do them: the keyboard layouts
// (three 128-byte tables scancode → character) and the keyboard's country
// (.2), the system language (.5), the "low-level disk access" and "PCI
// access" switches (.11, .12), and for 26 also the tick counter (.9) and
// nanoseconds since boot (.10). The settings are global, as there.
#pragma once

#include "kernel/arch/i386/Interrupts.h"

namespace gui {
struct KeyEvent;
}

namespace kolibri {

void sys_setup(arch::TrapFrame&);      // 21
void sys_system_get(arch::TrapFrame&); // 26

// 21.12 / 26.12: whether a program may use function 62 (PCI access).
bool pci_access_enabled();

// The character a key gives a program in ASCII mode: once a program has
// installed a layout with 21.2, a plain key (not E0-prefixed, not the
// keypad) is looked up in the three tables as hid/keyboard.inc does;
// before that, the keyboard driver's US character (event.ascii).
// Interrupts off.
u8 layout_character(const gui::KeyEvent&);

} // namespace kolibri
