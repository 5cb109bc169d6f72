#include "kernel/arch/i386/Pit.h"

#include "kernel/arch/i386/Cpu.h"
#include "kernel/arch/i386/Interrupts.h"

namespace arch::pit {

namespace {

constexpr u32 input_hz = 1193182;
constexpr u16 channel0_data = 0x40;
constexpr u16 mode_command = 0x43;
// Channel 0, access low then high byte, mode 2 (rate generator), binary.
constexpr u8 channel0_rate_generator = 0x34;

volatile u64 s_ticks;
void (*s_tick_callback)(TrapFrame&);

void on_tick(TrapFrame& frame)
{
    s_ticks = s_ticks + 1;
    if (s_tick_callback)
        s_tick_callback(frame);
}

} // namespace

void initialize()
{
    // 1193182 / 1000 rounds to 1193: the tick is 1000.15 Hz, close enough
    // that uptime drifts by 0.015 %; a later clock source can correct it.
    constexpr u16 divisor = static_cast<u16>((input_hz + tick_hz / 2) / tick_hz);
    out8(mode_command, channel0_rate_generator);
    out8(channel0_data, divisor & 0xFF);
    out8(channel0_data, divisor >> 8);
    register_irq_handler(0, on_tick);
}

u64 ticks()
{
    // A 64-bit read is two instructions on i386: keep the tick out of it.
    InterruptDisabler disabler;
    return s_ticks;
}

void set_tick_callback(void (*callback)(TrapFrame&))
{
    s_tick_callback = callback;
}

u64 uptime_ms()
{
    return ticks() * 1000 / tick_hz;
}

} // namespace arch::pit
