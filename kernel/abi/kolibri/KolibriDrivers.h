// KolibriOS driver services, functions 68.16 (get a service by name),
// 68.17 (IOCTL on a service handle), 68.21 (load a driver file), 68.30
// (unload a driver) and 68.31 (list the services). KolibriOS drivers are
// PE files of kernel code ("native DLLs", /sys/drivers/NAME.sys) that run
// in ring 0; Colibri never loads them, and has no driver of its own behind
// the KolibriOS service interface. So the service list is empty and every
// call answers what KolibriOS answers when a name is not registered and
// its file cannot be loaded: programs that probe for a driver (LOADDRV,
// NETCFG, @VOLUME) see "no such driver" and go on.
#pragma once

#include "kernel/arch/i386/Interrupts.h"

namespace kolibri {

// 68.16, 68.17, 68.21, 68.30 and 68.31; EBX selects.
void driver_function(arch::TrapFrame&);

} // namespace kolibri
