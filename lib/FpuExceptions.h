// Which floating-point exception a program took, from the x87 status and
// control words and the SSE MXCSR register (Intel SDM vol. 1, 8.1.3, 8.1.5
// and 10.2.3). Pure bit decoding, so the kill message the kernel prints for
// #MF and #XM is tested on the host.
#pragma once

#include "lib/Types.h"

namespace lib {

// The six exception conditions, in the bit order shared by the x87 status
// word (flags), the x87 control word (masks) and MXCSR (flags 0-5, masks 7-12).
enum FpuExceptionBit : u8 {
    fpu_invalid_operation = 1u << 0,
    fpu_denormal_operand = 1u << 1,
    fpu_zero_divide = 1u << 2,
    fpu_overflow = 1u << 3,
    fpu_underflow = 1u << 4,
    fpu_precision = 1u << 5,
};

// The exceptions that are both flagged and unmasked: the ones that raised
// the fault. For the x87, `status` is FSW and `control` FCW; for SSE pass
// the MXCSR value in both (its masks sit 7 bits above its flags).
u8 unmasked_x87_exceptions(u16 status, u16 control);
u8 unmasked_sse_exceptions(u32 mxcsr);

// A short English name for the most significant exception in `bits`
// (invalid operation first, precision last, as the SDM's priority order
// for simultaneous exceptions, vol. 1, 4.9.2), or "unknown" for 0.
const char* fpu_exception_name(u8 bits);

} // namespace lib
