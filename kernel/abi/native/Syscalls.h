// The native personality's system-call numbers and structures: the one
// definition shared by the kernel and the SDK (user/sdk includes this file).
//
// Gate: `int 0x80`. EAX = number; arguments in EBX, ECX, EDX, ESI, EDI, EBP
// (in that order); the result comes back in EAX: >= 0 on success, -errno on
// failure. All other registers are preserved.
#pragma once

#ifdef __cplusplus
#    include "lib/Types.h"
namespace native {
#else
#    include <stdint.h>
#endif

enum SyscallNumber {
    SYS_EXIT = 0,          // exit(int status) — ends the whole process
    SYS_WRITE = 1,         // write(fd, const void* buffer, size_t length) → bytes; fd 1/2 = console
    SYS_READ = 2,          // read(fd, void* buffer, size_t length) → bytes (0 = end of file)
    SYS_OPEN = 3,          // open(const char* path, int flags) → fd (read-only for now: flags 0)
    SYS_CLOSE = 4,         // close(fd)
    SYS_GETPID = 5,        // getpid() → pid
    SYS_GETPPID = 6,       // getppid() → parent pid (0 when none)
    SYS_YIELD = 7,         // yield()
    SYS_SLEEP_MS = 8,      // sleep_ms(unsigned milliseconds)
    SYS_FORK = 9,          // fork() → child pid in the parent, 0 in the child
    SYS_EXEC = 10,         // exec(const char* path, char* const argv[], char* const envp[]) → only returns on error
    SYS_SPAWN = 11,        // spawn(const char* path, char* const argv[], char* const envp[]) → child pid
    SYS_WAITPID = 12,      // waitpid(int pid /* -1 = any child */, int* status, int options /* 1 = WNOHANG */) → pid
    SYS_KILL = 13,         // kill(int pid) → terminates the process (status 128 + 9)
    SYS_MMAP = 14,         // mmap(void* hint, size_t length, int prot, int flags, int fd, uint32_t offset) → address
    SYS_MUNMAP = 15,       // munmap(void* address, size_t length)
    SYS_MPROTECT = 16,     // mprotect(void* address, size_t length, int prot)
    SYS_VM_STATS = 17,     // vm_stats(int pid /* 0 = self, -1 = global */, struct VmStats* out)
    SYS_THREAD_CREATE = 18,// thread_create(void (*entry)(void*), void* argument, void* stack_top) → thread id
    SYS_THREAD_EXIT = 19,  // thread_exit(int status) — ends the calling thread only
    SYS_CLOCK_NS = 20,     // clock_ns(uint64_t* out) — monotonic nanoseconds since boot
    SYS_LSEEK = 21,        // lseek(fd, int32_t offset, int whence /* 0 set, 1 cur, 2 end */) → new offset
    SYS_COUNT
};

// mmap protection bits and flags (values as in Linux, for familiarity).
enum { PROT_NONE = 0, PROT_READ = 1, PROT_WRITE = 2, PROT_EXEC = 4 };
enum { MAP_SHARED = 0x01, MAP_PRIVATE = 0x02, MAP_FIXED = 0x10, MAP_ANONYMOUS = 0x20 };
enum { WNOHANG = 1 };

// Error numbers (negated in EAX). Same values as Linux.
enum {
    EPERM = 1, ENOENT = 2, ESRCH = 3, EINTR = 4, EIO = 5, E2BIG = 7, ENOEXEC = 8, EBADF = 9,
    ECHILD = 10, EAGAIN = 11, ENOMEM = 12, EACCES = 13, EFAULT = 14, EBUSY = 16, EEXIST = 17,
    ENOTDIR = 20, EISDIR = 21, EINVAL = 22, EMFILE = 24, ENOSPC = 28, EROFS = 30, ERANGE = 34,
    ENAMETOOLONG = 36, ENOSYS = 38, ENOTEMPTY = 39, ETIMEDOUT = 110, ECANCELED = 125,
};

// Exit status of a process the kernel killed: 128 + signal-like number.
enum { STATUS_KILLED = 128 + 9, STATUS_SEGFAULT = 128 + 11 };

struct VmStats {
    uint32_t total_faults;
    uint32_t demand_zero_faults;
    uint32_t file_faults;
    uint32_t cow_faults;
    uint32_t protection_faults; // faults that killed the process (or would have)
    uint32_t resident_pages;
    uint32_t region_count;
    uint32_t reserved;
    // Global only (pid -1): free physical frames and kernel heap bytes in
    // use, for leak checks.
    uint32_t free_frames;
    uint32_t kernel_heap_bytes;
};

#ifdef __cplusplus
} // namespace native
#endif
