// Vectored I/O: readv/writev over struct iovec (the kernel's IoVec).
#pragma once

#include <colibri/syscall.h>
#include <sys/types.h>

#ifdef __cplusplus
extern "C" {
#endif

struct iovec {
    void* iov_base;
    size_t iov_len;
};

// At most 64 vectors per call.
ssize_t readv(int fd, const struct iovec* vector, int count);
ssize_t writev(int fd, const struct iovec* vector, int count);

#ifdef __cplusplus
}
#endif
