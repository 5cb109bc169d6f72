// 64-bit division helpers the compiler calls on i386 (there is no
// compiler-rt for a bare-metal target): shift-and-subtract long division.
#include <stdint.h>

static uint64_t divide(uint64_t dividend, uint64_t divisor, uint64_t* remainder)
{
    if (divisor == 0)
        __builtin_trap();
    uint64_t quotient = 0;
    uint64_t rest = 0;
    for (int bit = 63; bit >= 0; --bit) {
        rest = (rest << 1) | ((dividend >> bit) & 1);
        if (rest >= divisor) {
            rest -= divisor;
            quotient |= 1ull << bit;
        }
    }
    if (remainder)
        *remainder = rest;
    return quotient;
}

uint64_t __udivdi3(uint64_t a, uint64_t b);
uint64_t __umoddi3(uint64_t a, uint64_t b);
int64_t __divdi3(int64_t a, int64_t b);
int64_t __moddi3(int64_t a, int64_t b);

uint64_t __udivdi3(uint64_t a, uint64_t b) { return divide(a, b, 0); }

uint64_t __umoddi3(uint64_t a, uint64_t b)
{
    uint64_t rest;
    divide(a, b, &rest);
    return rest;
}

static uint64_t magnitude(int64_t value) { return value < 0 ? 0 - (uint64_t)value : (uint64_t)value; }

int64_t __divdi3(int64_t a, int64_t b)
{
    uint64_t quotient = divide(magnitude(a), magnitude(b), 0);
    return (a < 0) != (b < 0) ? -(int64_t)quotient : (int64_t)quotient;
}

int64_t __moddi3(int64_t a, int64_t b)
{
    uint64_t rest;
    divide(magnitude(a), magnitude(b), &rest);
    return a < 0 ? -(int64_t)rest : (int64_t)rest;
}
