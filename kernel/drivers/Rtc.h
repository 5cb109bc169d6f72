// The CMOS real-time clock (MC146818-compatible): wall-clock date and time.
#pragma once

#include "lib/Types.h"

namespace drivers::rtc {

struct DateTime {
    u16 year;   // full year, e.g. 2026
    u8 month;   // 1-12
    u8 day;     // 1-31
    u8 hour;    // 0-23
    u8 minute;
    u8 second;
};

// Reads a consistent snapshot (reads until two successive reads agree, so
// an update in the middle cannot tear the value), in binary, 24-hour form.
DateTime read();

} // namespace drivers::rtc
