// Memory mappings (PROT_* and MAP_* come from the kernel's contract).
#pragma once

#include <colibri/syscall.h>
#include <sys/types.h>

#define MAP_FAILED ((void*)-1)
#define MAP_ANON MAP_ANONYMOUS

#ifdef __cplusplus
extern "C" {
#endif

void* mmap(void* hint, size_t length, int prot, int flags, int fd, off_t offset);
int munmap(void* address, size_t length);
int mprotect(void* address, size_t length, int prot);

#ifdef __cplusplus
}
#endif
