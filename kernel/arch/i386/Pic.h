// The two cascaded 8259A programmable interrupt controllers.
#pragma once

#include "lib/Types.h"

namespace arch::pic {

// Remaps IRQ 0-15 to vectors base..base+15 (away from the CPU exceptions)
// and masks every line.
void initialize(u8 base_vector);
void unmask(u8 irq);
void mask(u8 irq);
// Acknowledges an interrupt; IRQs 8-15 also need the master acknowledged.
void end_of_interrupt(u8 irq);
// True when the IRQ 7/15 that arrived was spurious (no bit in the ISR).
bool is_spurious(u8 irq);

} // namespace arch::pic
