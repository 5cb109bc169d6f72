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
    SYS_OPEN = 3,          // open(const char* path, int flags /* O_* below */) → fd
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
    SYS_PREAD = 22,        // pread(fd, void* buffer, size_t length, uint32_t offset_low, uint32_t offset_high) → bytes
    SYS_PWRITE = 23,       // pwrite(fd, const void* buffer, size_t length, uint32_t offset_low, uint32_t offset_high) → bytes
    SYS_READV = 24,        // readv(fd, const struct IoVec* vector, int count /* <= 64 */) → bytes
    SYS_WRITEV = 25,       // writev(fd, const struct IoVec* vector, int count /* <= 64 */) → bytes
    SYS_STAT = 26,         // stat(const char* path, struct FileStat* out)
    SYS_FSTAT = 27,        // fstat(fd, struct FileStat* out)
    SYS_UNLINK = 28,       // unlink(const char* path) — files only
    SYS_RENAME = 29,       // rename(const char* from, const char* to) — within one volume
    SYS_MKDIR = 30,        // mkdir(const char* path)
    SYS_RMDIR = 31,        // rmdir(const char* path) — empty directories only
    SYS_READDIR = 32,      // readdir(fd, struct DirEntry* out) → 1 with an entry, 0 at the end
    SYS_FSYNC = 33,        // fsync(fd) — writes the file's volume cache to its disk
    SYS_FTRUNCATE = 34,    // ftruncate(fd, uint32_t length_low, uint32_t length_high)
    SYS_SYNC = 35,         // sync() — writes every cache to its disk
    SYS_COUNT
};

// mmap protection bits and flags (values as in Linux, for familiarity).
enum { PROT_NONE = 0, PROT_READ = 1, PROT_WRITE = 2, PROT_EXEC = 4 };
enum { MAP_SHARED = 0x01, MAP_PRIVATE = 0x02, MAP_FIXED = 0x10, MAP_ANONYMOUS = 0x20 };
enum { WNOHANG = 1 };

// open() flags (values as in Linux).
enum {
    O_RDONLY = 0, O_WRONLY = 1, O_RDWR = 2, O_ACCMODE = 3, O_CREAT = 0x40, O_EXCL = 0x80,
    O_TRUNC = 0x200, O_APPEND = 0x400, O_DIRECT = 0x4000, O_DIRECTORY = 0x10000,
};

struct IoVec {
    void* base;
    uint32_t length;
};

// A file's wall-clock stamp as FAT keeps it (local time, 2-second steps).
struct FileTime {
    uint16_t year;
    uint8_t month, day, hour, minute, second, reserved;
};

enum { FILE_ATTRIBUTE_READ_ONLY = 0x01, FILE_ATTRIBUTE_HIDDEN = 0x02, FILE_ATTRIBUTE_SYSTEM = 0x04,
    FILE_ATTRIBUTE_DIRECTORY = 0x10, FILE_ATTRIBUTE_ARCHIVE = 0x20 };

struct FileStat {
    uint64_t size;
    uint32_t attributes; // FILE_ATTRIBUTE_*
    uint32_t direct_alignment; // what O_DIRECT transfers must be aligned to
    struct FileTime created, accessed, modified;
};

struct DirEntry {
    uint64_t size;
    uint32_t attributes;
    char name[772]; // UTF-8, NUL-terminated
};

// Error numbers (negated in EAX). Same values as Linux.
enum {
    EPERM = 1, ENOENT = 2, ESRCH = 3, EINTR = 4, EIO = 5, E2BIG = 7, ENOEXEC = 8, EBADF = 9,
    ECHILD = 10, EAGAIN = 11, ENOMEM = 12, EACCES = 13, EFAULT = 14, EBUSY = 16, EEXIST = 17,
    ENOTDIR = 20, EISDIR = 21, EINVAL = 22, EMFILE = 24, ENOSPC = 28, EROFS = 30, ERANGE = 34,
    ENAMETOOLONG = 36, ENOSYS = 38, ENOTEMPTY = 39, EXDEV = 18, ETIMEDOUT = 110, ECANCELED = 125,
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
