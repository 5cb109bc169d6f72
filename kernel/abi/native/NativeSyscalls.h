// The native personality's system-call dispatcher (`int 0x80`, numbers and
// conventions in kernel/abi/native/Syscalls.h).
#pragma once

namespace native {

void initialize_native_personality();

} // namespace native
