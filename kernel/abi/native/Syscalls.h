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
    // Asynchronous I/O rings (docs/aio.md; structures below).
    SYS_AIO_SETUP = 36,    // aio_setup(uint32_t entries /* power of two, 1..1024 */, struct AioSetup* out) → context id
    SYS_AIO_ENTER = 37,    // aio_enter(ctx, uint32_t to_submit, uint32_t min_complete, uint32_t timeout_ms) → submitted
    SYS_AIO_CANCEL = 38,   // aio_cancel(ctx, uint32_t user_data_low, uint32_t user_data_high) → 0, -EBUSY, -ENOENT
    SYS_AIO_STATS = 39,    // aio_stats(ctx, struct AioStats* out)
    SYS_AIO_DESTROY = 40,  // aio_destroy(ctx)
    // Named shared memory and futexes (docs/ipc.md).
    SYS_SHM_OPEN = 41,     // shm_open(const char* name, uint32_t size, uint32_t flags /* SHM_* */, uint32_t* size_out) → address
    SYS_SHM_UNLINK = 42,   // shm_unlink(const char* name) — the name goes; mappings stay
    SYS_FUTEX_WAIT = 43,   // futex_wait(uint32_t* word, uint32_t expected, uint32_t timeout_ms /* ~0u: for ever */) → 0, -EAGAIN, -ETIMEDOUT
    SYS_FUTEX_WAKE = 44,   // futex_wake(uint32_t* word, uint32_t count) → waiters woken
    SYS_SHM_LIST = 45,     // shm_list(uint32_t index, struct ShmInfo* out) → 1 with an entry, 0 past the end
    // Event queues and timers (docs/ipc.md; handles are per process, not inherited).
    SYS_EQ_CREATE = 46,    // eq_create() → handle
    SYS_EQ_CTL = 47,       // eq_ctl(handle, const struct EqControl* control)
    SYS_EQ_WAIT = 48,      // eq_wait(handle, struct EqEvent* out, uint32_t capacity /* 1..64 */, uint32_t timeout_ms /* ~0u: for ever */) → events (0: timed out)
    SYS_EQ_STATS = 49,     // eq_stats(handle, struct EqStats* out)
    SYS_TIMER_CREATE = 50, // timer_create(uint32_t initial_ms /* 0: disarmed */, uint32_t period_ms /* 0: once */) → handle
    SYS_TIMER_SET = 51,    // timer_set(handle, uint32_t initial_ms /* 0: disarm */, uint32_t period_ms)
    SYS_TIMER_READ = 52,   // timer_read(handle, uint64_t* expirations) — takes the expirations since the last read
    SYS_HANDLE_CLOSE = 53, // handle_close(handle) — an event queue or a timer
    // Pipes and descriptors (docs/ipc.md).
    SYS_PIPE = 54,         // pipe2(int fds[2] /* out: read end, write end */, int flags /* O_NONBLOCK, O_CLOEXEC */)
    SYS_DUP2 = 55,         // dup2(int from, int to) → to; `to` is closed first if open
    SYS_FCNTL = 56,        // fcntl(int fd, int cmd /* F_* */, int argument) → F_DUPFD: the new descriptor; F_GETFL: the flags; F_SETFL: 0
    SYS_COUNT
};

// mmap protection bits and flags (values as in Linux, for familiarity).
enum { PROT_NONE = 0, PROT_READ = 1, PROT_WRITE = 2, PROT_EXEC = 4 };
enum { MAP_SHARED = 0x01, MAP_PRIVATE = 0x02, MAP_FIXED = 0x10, MAP_ANONYMOUS = 0x20 };
enum { WNOHANG = 1 };

// open() flags (values as in Linux).
enum {
    O_RDONLY = 0, O_WRONLY = 1, O_RDWR = 2, O_ACCMODE = 3, O_CREAT = 0x40, O_EXCL = 0x80,
    O_TRUNC = 0x200, O_APPEND = 0x400, O_NONBLOCK = 0x800, O_DIRECT = 0x4000, O_DIRECTORY = 0x10000,
    O_CLOEXEC = 0x80000,
};

// fcntl() commands (values as in Linux). F_DUPFD: the lowest free descriptor
// >= the argument (and >= 3: 0-2 stay the console's unless dup2 names
// them), sharing the open file. F_GETFD/F_SETFD: the descriptor's
// FD_CLOEXEC (closed by a successful exec; open, pipe2 and F_DUPFD_CLOEXEC
// can set it at once; dup, dup2 and F_DUPFD clear it on the new
// descriptor; fork keeps it). F_GETFL: the access mode and O_APPEND,
// O_NONBLOCK, O_DIRECT. F_SETFL: sets O_APPEND, O_NONBLOCK and O_DIRECT
// (not O_DIRECT on a pipe: EINVAL); other bits are ignored, as in Linux.
enum { F_DUPFD = 0, F_GETFD = 1, F_SETFD = 2, F_GETFL = 3, F_SETFL = 4, F_DUPFD_CLOEXEC = 1030 };
enum { FD_CLOEXEC = 1 };

// shm_open flags. Without SHM_CREATE the name must exist; with it a missing
// name is created (SHM_EXCL: and an existing one is an error, EEXIST).
// SHM_PRIVATE: only the creator and its descendants may open it (EACCES
// for others); SHM_OTHERS_READ: others may map it read-only only;
// SHM_RDONLY: map it read-only (the creator always may write). A name lasts
// until shm_unlink or its creator's exit; the memory until its last mapping
// goes (munmap, exit). Names are 1..31 bytes; sizes up to 64 MiB.
enum { SHM_CREATE = 1, SHM_EXCL = 2, SHM_PRIVATE = 4, SHM_OTHERS_READ = 8, SHM_RDONLY = 16 };

struct ShmInfo {
    char name[32];
    uint32_t size;
    uint32_t creator;  // pid
    uint32_t flags;    // SHM_PRIVATE, SHM_OTHERS_READ; 0x100 = a KolibriOS area (function 68.22)
    uint32_t opens;    // KolibriOS areas: how many opens are outstanding
};

// Event queues. A watch reports `ready` bits (EQ_*) masked by its interest.
enum { EQ_READABLE = 1, EQ_WRITABLE = 2, EQ_HANGUP = 4, EQ_ERROR = 8, EQ_TIMER = 16 };
enum { EQ_LEVEL = 0, EQ_EDGE = 1, EQ_ONESHOT = 2 };            // EqControl.mode
enum { EQ_ADD = 1, EQ_MODIFY = 2, EQ_REMOVE = 3 };             // EqControl.op
// What a watch watches (EqControl.kind, with EqControl.target):
//   EQ_KIND_TIMER    a timer handle: EQ_TIMER until timer_read();
//   EQ_KIND_WORD     the address of a uint32_t: EQ_READABLE while it differs
//                    from `expected`; checked at add/modify and on every
//                    futex_wake of that word;
//   EQ_KIND_PROCESS  a pid: EQ_HANGUP once the process has exited;
//   EQ_KIND_FD       a file descriptor (the open file behind it, as epoll):
//                    a file or directory is always EQ_READABLE|EQ_WRITABLE;
//                    a pipe's read end EQ_READABLE while bytes wait, with
//                    EQ_HANGUP once no writer is left; its write end
//                    EQ_WRITABLE while there is room, EQ_ERROR once no
//                    reader is left. The watch goes when the open file's
//                    last descriptor is closed.
enum { EQ_KIND_TIMER = 1, EQ_KIND_WORD = 2, EQ_KIND_PROCESS = 3, EQ_KIND_FD = 4 };

struct EqControl {
    uint32_t op, kind, target, expected, interest, mode;
    uint64_t user_data;
};

struct EqEvent {
    uint64_t user_data;
    uint32_t ready;
    uint32_t reserved;
};

struct EqStats {
    uint64_t delivered;       // events returned by eq_wait
    uint64_t per_bit[16];     // of those, how many carried each ready bit
    uint64_t spurious;        // waits woken for readiness that went away first
    uint64_t wait_calls;
    uint64_t average_batch_x1000;
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
    FILE_ATTRIBUTE_DIRECTORY = 0x10, FILE_ATTRIBUTE_ARCHIVE = 0x20,
    FILE_ATTRIBUTE_PIPE = 0x80 /* fstat of a pipe end (masked from files on disk) */ };

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
    EPROTO = 71, EMSGSIZE = 90, ESPIPE = 29, EPIPE = 32, ENODEV = 19,
};

// ---- Asynchronous I/O (SYS_AIO_*; docs/aio.md) ----
//
// aio_setup maps one block of memory into the process that the kernel maps
// too: an AioRingHeader at offset 0, then the submission queue (sq_entries
// AioSqe) at sq_offset, then the completion queue (cq_entries = 2 *
// sq_entries AioCqe) at cq_offset. Indices are free-running uint32_t
// counters; entry i lives at slot (i & mask). Each index has one writer:
//   SQ: the program writes entries, then advances sq_tail (release store);
//       the kernel copies each entry once, then advances sq_head.
//   CQ: the kernel writes entries, then advances cq_tail (release store);
//       the program reads entries, then advances cq_head.
// The kernel never trusts what the program wrote: an index that claims more
// entries than the ring holds is treated as an error (SQ) or as a full ring
// (CQ). A completion that finds the CQ full waits in the kernel (cq_overflow
// counts those, AIO_RING_CQ_BACKLOG is set while any wait); every aio_enter
// moves waiting completions into the CQ as room appears.
enum { AIO_MAX_ENTRIES = 1024, AIO_MAX_IOVECS = 64, AIO_WAIT_FOREVER = 0xFFFFFFFFu };

enum AioOpcode {
    AIO_OP_NOP = 0,       // completes at once with result 0
    AIO_OP_READ = 1,      // address = buffer, length = bytes
    AIO_OP_WRITE = 2,
    AIO_OP_READV = 3,     // address = struct IoVec array, length = count (<= AIO_MAX_IOVECS)
    AIO_OP_WRITEV = 4,
    AIO_OP_FSYNC = 5,     // writes the file's volume cache to its disk
    AIO_OP_FDATASYNC = 6, // the same on FAT (no separate metadata)
};

enum { AIO_SQE_DIRECT = 1 }; // AioSqe.flags: bypass the cache (as O_DIRECT; alignment rules apply)
enum { AIO_RING_CQ_BACKLOG = 1 }; // AioRingHeader.flags: completions wait for CQ room

struct AioSqe {             // 64 bytes
    uint8_t opcode;         // AIO_OP_*
    uint8_t flags;          // AIO_SQE_*
    uint16_t reserved0;     // must be 0
    int32_t fd;
    uint64_t offset;        // file offset
    uint64_t address;       // buffer or IoVec array (user address)
    uint32_t length;        // bytes or IoVec count
    uint32_t reserved1;     // must be 0
    uint64_t user_data;     // copied into the completion
    uint64_t reserved2[3];  // must be 0
};

struct AioCqe {             // 16 bytes
    uint64_t user_data;
    int32_t result;         // bytes moved (>= 0) or -errno
    uint32_t flags;         // 0 for now
};

struct AioRingHeader {
    uint32_t sq_head;       // kernel writes
    uint32_t sq_tail;       // program writes
    uint32_t sq_mask;
    uint32_t sq_entries;
    uint32_t cq_head;       // program writes
    uint32_t cq_tail;       // kernel writes
    uint32_t cq_mask;
    uint32_t cq_entries;
    uint32_t cq_overflow;   // kernel writes: completions that had to wait for CQ room
    uint32_t flags;         // kernel writes: AIO_RING_*
    uint32_t reserved[6];
};

struct AioSetup {
    uint32_t ring_address;  // the shared block (AioRingHeader at offset 0)
    uint32_t ring_size;     // bytes, whole pages
    uint32_t sq_offset;     // from ring_address
    uint32_t sq_entries;
    uint32_t sq_size;       // bytes
    uint32_t cq_offset;
    uint32_t cq_entries;
    uint32_t cq_size;
};

struct AioStats {
    uint64_t submitted;     // entries taken from the SQ
    uint64_t completed;     // requests finished (including failed and cancelled)
    uint64_t failed;        // finished with an error other than -ECANCELED
    uint64_t cancelled;     // finished with -ECANCELED
    uint64_t bytes_read;
    uint64_t bytes_written;
    uint64_t total_ns;      // sum over finished requests of (finish - submission)
    uint64_t max_ns;        // the longest of those
    uint32_t in_flight;     // submitted, not finished
    uint32_t cq_overflow;   // as AioRingHeader.cq_overflow
};

// Exit status of a process the kernel killed: 128 + signal-like number.
// STATUS_FPE: an arithmetic fault (#DE, x87 #MF, SSE #XM), as POSIX's SIGFPE.
enum { STATUS_FPE = 128 + 8, STATUS_KILLED = 128 + 9, STATUS_SEGFAULT = 128 + 11 };

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
