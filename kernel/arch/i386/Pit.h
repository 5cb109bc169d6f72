// The 8253/8254 programmable interval timer: the system tick.
#pragma once

#include "lib/Types.h"

namespace arch {
struct TrapFrame;
}

namespace arch::pit {

constexpr u32 tick_hz = 1000;

// Programs channel 0 to interrupt tick_hz times a second and starts counting.
void initialize();
// Milliseconds since initialize(), from the tick count.
u64 uptime_ms();
u64 ticks();
// Called on every tick after the count is updated (the scheduler's clock).
void set_tick_callback(void (*callback)(TrapFrame&));

} // namespace arch::pit
