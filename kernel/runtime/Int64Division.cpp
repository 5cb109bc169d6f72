// 64-bit division helpers that the compiler calls on i386, where `div`
// only divides a 64-bit value by a 32-bit one. The kernel is freestanding,
// so it provides them instead of linking libgcc or compiler-rt.
#include "lib/Types.h"

namespace {

// Schoolbook binary long division. Division by zero returns all ones for
// the quotient, as no caller may rely on it (callers check divisors).
u64 divide(u64 dividend, u64 divisor, u64* remainder)
{
    if (divisor == 0) {
        if (remainder)
            *remainder = dividend;
        return ~u64(0);
    }
    if (divisor <= 0xFFFFFFFFu && (dividend >> 32) < divisor) {
        // Fast path: one hardware divide (EDX:EAX / r32), quotient fits 32 bits.
        u32 quotient, rest;
        asm("divl %4" : "=a"(quotient), "=d"(rest) : "a"(static_cast<u32>(dividend)),
            "d"(static_cast<u32>(dividend >> 32)), "rm"(static_cast<u32>(divisor)));
        if (remainder)
            *remainder = rest;
        return quotient;
    }
    u64 quotient = 0;
    u64 rest = 0;
    for (int bit = 63; bit >= 0; --bit) {
        rest = (rest << 1) | ((dividend >> bit) & 1);
        if (rest >= divisor) {
            rest -= divisor;
            quotient |= u64(1) << bit;
        }
    }
    if (remainder)
        *remainder = rest;
    return quotient;
}

} // namespace

extern "C" {

u64 __udivdi3(u64 a, u64 b) { return divide(a, b, nullptr); }

u64 __umoddi3(u64 a, u64 b)
{
    u64 remainder;
    divide(a, b, &remainder);
    return remainder;
}

u64 __udivmoddi4(u64 a, u64 b, u64* remainder) { return divide(a, b, remainder); }

i64 __divdi3(i64 a, i64 b)
{
    bool negative = (a < 0) != (b < 0);
    u64 quotient = divide(a < 0 ? u64(0) - u64(a) : u64(a), b < 0 ? u64(0) - u64(b) : u64(b), nullptr);
    return negative ? -static_cast<i64>(quotient) : static_cast<i64>(quotient);
}

i64 __moddi3(i64 a, i64 b)
{
    u64 remainder;
    divide(a < 0 ? u64(0) - u64(a) : u64(a), b < 0 ? u64(0) - u64(b) : u64(b), &remainder);
    return a < 0 ? -static_cast<i64>(remainder) : static_cast<i64>(remainder);
}

}
