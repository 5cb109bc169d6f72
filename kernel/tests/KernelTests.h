// In-kernel self-tests, run when the command line contains `ktest`. Each case
// prints "ktest: PASS name" or "ktest: FAIL name: reason" on the console.
#pragma once

#include "lib/Types.h"

namespace kernel {

// Runs every case; returns the number of failures.
unsigned run_kernel_tests();

// Deliberately faults (a write to an unmapped address) so the VM tests can
// check the exception report and its symbolized backtrace.
[[noreturn]] void trigger_deliberate_page_fault();
// Frees a heap block twice: the heap's debug checks must catch it and panic.
[[noreturn]] void trigger_deliberate_double_free();

} // namespace kernel
