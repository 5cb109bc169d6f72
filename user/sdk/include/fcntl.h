// open() and its flags (O_RDONLY, O_WRONLY, O_RDWR, O_CREAT, O_EXCL, O_TRUNC,
// O_APPEND, O_NONBLOCK (pipes), O_DIRECT, O_DIRECTORY: the values come from the kernel's
// contract in kernel/abi/native/Syscalls.h and equal Linux's).
#pragma once

#include <colibri/syscall.h>
#include <sys/types.h>

#ifdef __cplusplus
extern "C" {
#endif

int open(const char* path, int flags, ...);

#ifdef __cplusplus
}
#endif
