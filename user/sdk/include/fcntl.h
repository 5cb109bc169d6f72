// open() and its flags (O_RDONLY, O_WRONLY, O_RDWR, O_CREAT, O_EXCL, O_TRUNC,
// O_APPEND, O_NONBLOCK (pipes), O_DIRECT, O_DIRECTORY: the values come from the kernel's
// contract in kernel/abi/native/Syscalls.h and equal Linux's; O_CLOEXEC
// too), and fcntl() with F_DUPFD, F_DUPFD_CLOEXEC, F_GETFD, F_SETFD
// (FD_CLOEXEC), F_GETFL and F_SETFL (O_APPEND, O_NONBLOCK, O_DIRECT).
#pragma once

#include <colibri/syscall.h>
#include <sys/types.h>

#ifdef __cplusplus
extern "C" {
#endif

int open(const char* path, int flags, ...);
// F_DUPFD (F_DUPFD_CLOEXEC): → a new descriptor >= argument (and >= 3) for
// the same open file; F_GETFD/F_SETFD: the descriptor's FD_CLOEXEC;
// F_GETFL: → the flags; F_SETFL: sets them → 0. -1 and errno on error.
int fcntl(int fd, int command, ...);

#ifdef __cplusplus
}
#endif
