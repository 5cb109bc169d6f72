#include "lib/FpuExceptions.h"

namespace lib {

namespace {
constexpr u8 all_exceptions = 0x3F;
constexpr u32 mxcsr_mask_shift = 7;
} // namespace

u8 unmasked_x87_exceptions(u16 status, u16 control)
{
    return static_cast<u8>(status & ~control & all_exceptions);
}

u8 unmasked_sse_exceptions(u32 mxcsr)
{
    return static_cast<u8>(mxcsr & ~(mxcsr >> mxcsr_mask_shift) & all_exceptions);
}

const char* fpu_exception_name(u8 bits)
{
    // Invalid operation outranks zero divide, which outranks the numeric
    // result exceptions; denormal is a pre-computation fault like invalid.
    if (bits & fpu_invalid_operation)
        return "invalid operation";
    if (bits & fpu_denormal_operand)
        return "denormal operand";
    if (bits & fpu_zero_divide)
        return "divide by zero";
    if (bits & fpu_overflow)
        return "overflow";
    if (bits & fpu_underflow)
        return "underflow";
    if (bits & fpu_precision)
        return "inexact result";
    return "unknown";
}

} // namespace lib
