#include "kernel/arch/i386/Clock.h"

#include "kernel/arch/i386/Cpu.h"
#include "kernel/arch/i386/Pit.h"

namespace arch::clock {

namespace {

u64 s_tsc_hz;
u64 s_tsc_at_boot;

} // namespace

void calibrate()
{
    // Align to a tick edge, then count TSC cycles over 20 ticks (20 ms).
    u64 start_tick = pit::ticks();
    for (u32 spins = 0; spins < 10000000 && pit::ticks() == start_tick; ++spins) { }
    u64 first_tick = pit::ticks();
    u64 first_tsc = read_timestamp_counter();
    for (u32 spins = 0; spins < 100000000 && pit::ticks() < first_tick + 20; ++spins) { }
    u64 elapsed_ticks = pit::ticks() - first_tick;
    u64 elapsed_tsc = read_timestamp_counter() - first_tsc;
    if (elapsed_ticks == 0 || elapsed_tsc == 0)
        return;
    s_tsc_hz = elapsed_tsc * pit::tick_hz / elapsed_ticks;
    s_tsc_at_boot = first_tsc - (first_tick * s_tsc_hz / pit::tick_hz);
}

u64 monotonic_ns()
{
    if (s_tsc_hz == 0)
        return pit::ticks() * (1000000000ull / pit::tick_hz);
    u64 cycles = read_timestamp_counter() - s_tsc_at_boot;
    // Split to avoid overflowing 64 bits: whole seconds plus the remainder.
    u64 seconds = cycles / s_tsc_hz;
    u64 rest = cycles % s_tsc_hz;
    return seconds * 1000000000ull + rest * 1000000000ull / s_tsc_hz;
}

u64 tsc_hz() { return s_tsc_hz; }

} // namespace arch::clock
