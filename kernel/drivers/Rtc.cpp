#include "kernel/drivers/Rtc.h"

#include "kernel/arch/i386/Cpu.h"

namespace drivers::rtc {

namespace {

constexpr u16 cmos_index = 0x70;
constexpr u16 cmos_data = 0x71;
// Bit 7 of the index port masks NMIs while we talk to the CMOS.
constexpr u8 nmi_disable = 0x80;

u8 read_register(u8 index)
{
    arch::out8(cmos_index, nmi_disable | index);
    return arch::in8(cmos_data);
}

bool update_in_progress() { return read_register(0x0A) & 0x80; }

u8 from_bcd(u8 value) { return static_cast<u8>((value & 0x0F) + (value >> 4) * 10); }

struct Raw {
    u8 second, minute, hour, day, month, year, century;
    bool operator==(const Raw&) const = default;
};

Raw read_raw()
{
    for (u32 spins = 0; spins < 1000000 && update_in_progress(); ++spins) { }
    return { read_register(0x00), read_register(0x02), read_register(0x04), read_register(0x07),
        read_register(0x08), read_register(0x09), read_register(0x32) };
}

} // namespace

DateTime read()
{
    arch::InterruptDisabler disabler;
    Raw raw = read_raw();
    for (int attempt = 0; attempt < 5; ++attempt) {
        Raw again = read_raw();
        if (again == raw)
            break;
        raw = again;
    }
    u8 status_b = read_register(0x0B);
    bool binary = status_b & 0x04;
    bool twenty_four_hour = status_b & 0x02;
    bool pm = raw.hour & 0x80;
    u8 hour = raw.hour & 0x7F;
    if (!binary) {
        raw.second = from_bcd(raw.second);
        raw.minute = from_bcd(raw.minute);
        hour = from_bcd(hour);
        raw.day = from_bcd(raw.day);
        raw.month = from_bcd(raw.month);
        raw.year = from_bcd(raw.year);
        raw.century = from_bcd(raw.century);
    }
    if (!twenty_four_hour) {
        hour = hour % 12;
        if (pm)
            hour = static_cast<u8>(hour + 12);
    }
    // The century register is not standard everywhere; assume 20xx without it.
    u16 century = (raw.century >= 19 && raw.century <= 30) ? raw.century : 20;
    return { static_cast<u16>(century * 100 + raw.year), raw.month, raw.day, hour, raw.minute, raw.second };
}

} // namespace drivers::rtc
