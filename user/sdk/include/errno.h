// errno and the error numbers (the E* values come from the kernel's
// contract, kernel/abi/native/Syscalls.h; they equal Linux's).
#pragma once

#include <colibri/syscall.h>

#ifdef __cplusplus
extern "C" {
#endif

// One errno per process: threads share it for now.
extern int errno;

#ifdef __cplusplus
}
#endif
