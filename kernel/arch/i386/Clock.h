// A monotonic nanosecond clock: the time-stamp counter, calibrated against
// the PIT at boot. Falls back to PIT ticks (1 ms resolution) when the TSC
// is unusable.
#pragma once

#include "lib/Types.h"

namespace arch::clock {

// Measures the TSC frequency over a few PIT ticks; interrupts must be on.
void calibrate();
u64 monotonic_ns();
u64 tsc_hz();

} // namespace arch::clock
