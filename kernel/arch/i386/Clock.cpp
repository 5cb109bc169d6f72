#include "kernel/arch/i386/Clock.h"

#include "kernel/arch/i386/Cpu.h"
#include "kernel/arch/i386/Pit.h"

namespace arch::clock {

namespace {

u64 s_tsc_hz;
u64 s_tsc_at_boot;

} // namespace

// Counts TSC cycles while the PIT's channel 2 counts down a known number
// of its 1.193182 MHz input cycles. Channel 2 is read through its output
// bit in port 0x61, so the measurement does not depend on timer interrupts
// arriving on time (an emulator may deliver them late or merge them, which
// made a tick-counting calibration run the clock slow). Returns 0 when the
// channel does not behave (no PIT).
u64 measure_tsc_hz_with_pit_channel2()
{
    constexpr u32 pit_hz = 1193182;
    constexpr u16 count = 23864; // 20 ms
    u8 saved = in8(0x61);
    out8(0x61, static_cast<u8>((saved & ~0x02) | 0x01)); // gate on, speaker off
    out8(0x43, 0xB0);                                     // channel 2, lobyte/hibyte, mode 0
    out8(0x42, count & 0xFF);
    out8(0x42, count >> 8);
    u64 start = read_timestamp_counter();
    u32 spins = 0;
    while (!(in8(0x61) & 0x20) && ++spins < 50000000) { }
    u64 end = read_timestamp_counter();
    out8(0x61, saved);
    if (spins >= 50000000 || end <= start)
        return 0;
    return (end - start) * pit_hz / count;
}

void calibrate()
{
    u64 hz = measure_tsc_hz_with_pit_channel2();
    if (hz == 0) {
        // Fallback: count timer interrupts for 20 ms.
        u64 start_tick = pit::ticks();
        for (u32 spins = 0; spins < 10000000 && pit::ticks() == start_tick; ++spins) { }
        u64 first_tick = pit::ticks();
        u64 first_tsc = read_timestamp_counter();
        for (u32 spins = 0; spins < 100000000 && pit::ticks() < first_tick + 20; ++spins) { }
        u64 elapsed_ticks = pit::ticks() - first_tick;
        u64 elapsed_tsc = read_timestamp_counter() - first_tsc;
        if (elapsed_ticks == 0 || elapsed_tsc == 0)
            return;
        hz = elapsed_tsc * pit::tick_hz / elapsed_ticks;
    }
    // Anchor the TSC clock to the tick count now, so both agree at boot.
    u64 now_tick = pit::ticks();
    u64 now_tsc = read_timestamp_counter();
    s_tsc_hz = hz;
    s_tsc_at_boot = now_tsc - (now_tick * hz / pit::tick_hz);
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
