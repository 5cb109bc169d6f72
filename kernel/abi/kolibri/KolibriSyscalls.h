// The KolibriOS personality: `int 0x40` with the function number in EAX and
// arguments in EBX, ECX, EDX, ESI, EDI as documented in KolibriOS's
// kernel/trunk/docs/sysfuncs.txt. Registers a function does not document as
// outputs are preserved.
#pragma once

namespace kolibri {

void initialize_kolibri_personality();

} // namespace kolibri
