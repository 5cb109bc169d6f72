// The userland KolibriOS starts after boot. As kernel.asm does (LOAD
// FIRST APPLICATION: fs_execute_from_sysdir with `firstapp`, 'LAUNCHER'
// in data32.inc), the kernel starts /sys/LAUNCHER when the ramdisk has
// one; the image's launcher then reads /sys/settings/AUTORUN.DAT itself.
// When there is no LAUNCHER, or it cannot be started (the distribution's
// is KPCK-packed), but there is an AUTORUN.DAT, a kernel thread does the
// launcher's work with the same syntax and delays (Autorun.h).
// Colibri's own ramdisk has neither, so it boots as before.
#pragma once

namespace boot {
class CommandLine;
}

namespace kernel {

// Called once after boot. `launcher=off` on the command line (KolibriOS's
// boot-screen choice "start LAUNCHER: no") starts nothing.
void start_userland(const boot::CommandLine&);

} // namespace kernel
