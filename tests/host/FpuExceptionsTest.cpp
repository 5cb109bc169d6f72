#include "lib/FpuExceptions.h"

#include <gtest/gtest.h>

using namespace lib;

TEST(FpuExceptions, X87FlagsNeedAClearedMask)
{
    // FNINIT state: every exception masked (FCW 0x037F), so no flag faults.
    EXPECT_EQ(unmasked_x87_exceptions(0x0004, 0x037F), 0);
    // ZM cleared (FCW 0x037B) and ZE set: a divide by zero.
    EXPECT_EQ(unmasked_x87_exceptions(0x0004, 0x037B), fpu_zero_divide);
    // Summary, stack-fault and condition bits of FSW are not exceptions.
    EXPECT_EQ(unmasked_x87_exceptions(0xFFC0, 0x0000), 0);
    // Several flagged, one unmasked.
    EXPECT_EQ(unmasked_x87_exceptions(0x0025, 0x037E), fpu_invalid_operation);
}

TEST(FpuExceptions, SseMasksSitSevenBitsAboveFlags)
{
    EXPECT_EQ(unmasked_sse_exceptions(0x1F80), 0);            // reset value, nothing flagged
    EXPECT_EQ(unmasked_sse_exceptions(0x1F80 | 0x04), 0);     // ZE flagged but masked
    EXPECT_EQ(unmasked_sse_exceptions((0x1F80 & ~0x0200u) | 0x04), fpu_zero_divide); // ZM clear
    // Rounding control, FZ and DAZ are no exceptions.
    EXPECT_EQ(unmasked_sse_exceptions(0xE040 | 0x1F80), 0);
    EXPECT_EQ(unmasked_sse_exceptions(0x0000 | 0x3F), 0x3F); // everything unmasked and flagged
}

TEST(FpuExceptions, NamesFollowThePriorityOrder)
{
    EXPECT_STREQ(fpu_exception_name(0), "unknown");
    EXPECT_STREQ(fpu_exception_name(fpu_zero_divide), "divide by zero");
    EXPECT_STREQ(fpu_exception_name(fpu_zero_divide | fpu_precision), "divide by zero");
    EXPECT_STREQ(fpu_exception_name(fpu_precision | fpu_invalid_operation), "invalid operation");
    EXPECT_STREQ(fpu_exception_name(fpu_overflow | fpu_precision), "overflow");
    EXPECT_STREQ(fpu_exception_name(fpu_underflow), "underflow");
    EXPECT_STREQ(fpu_exception_name(fpu_denormal_operand), "denormal operand");
    EXPECT_STREQ(fpu_exception_name(fpu_precision), "inexact result");
}
