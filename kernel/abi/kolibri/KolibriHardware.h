// KolibriOS functions that reach hardware: 24 (CD tray), 49 (APM), 57
// (PCI BIOS), 62 (PCI configuration space) and 46 (I/O ports for the
// program itself, KolibriPorts.cpp). What a program may touch is limited
// to what Colibri's own drivers do not use.
#pragma once

#include "kernel/arch/i386/Interrupts.h"

namespace task {
struct KolibriState;
}

namespace kolibri {

void sys_cd_audio(arch::TrapFrame&); // 24
void sys_apm(arch::TrapFrame&);      // 49
void sys_pci_bios(arch::TrapFrame&); // 57
void sys_pci(arch::TrapFrame&);      // 62
void sys_ports(arch::TrapFrame&);    // 46 (KolibriPorts.cpp)
// The program ends: its port reservations go (its map goes with the
// process, task::Process::io_permissions).
void release_ports(task::KolibriState&);

} // namespace kolibri
