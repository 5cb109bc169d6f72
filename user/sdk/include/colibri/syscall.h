// Raw system calls of Colibri's native personality: one static inline
// wrapper per SYS_* number in kernel/abi/native/Syscalls.h (the contract).
//
// These return what the kernel puts in EAX: >= 0 on success, -errno on
// failure. They never touch errno; the POSIX-style functions in <unistd.h>,
// <sys/mman.h> and friends are built on them and do.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "kernel/abi/native/Syscalls.h"

#ifdef __cplusplus
using namespace native;
extern "C" {
#endif

// The gate: EAX = number, arguments in EBX, ECX, EDX, ESI, EDI, EBP.
static inline long colibri_syscall0(long number)
{
    long result;
    __asm__ volatile("int $0x80" : "=a"(result) : "a"(number) : "memory");
    return result;
}

static inline long colibri_syscall1(long number, long a)
{
    long result;
    __asm__ volatile("int $0x80" : "=a"(result) : "a"(number), "b"(a) : "memory");
    return result;
}

static inline long colibri_syscall2(long number, long a, long b)
{
    long result;
    __asm__ volatile("int $0x80" : "=a"(result) : "a"(number), "b"(a), "c"(b) : "memory");
    return result;
}

static inline long colibri_syscall3(long number, long a, long b, long c)
{
    long result;
    __asm__ volatile("int $0x80" : "=a"(result) : "a"(number), "b"(a), "c"(b), "d"(c) : "memory");
    return result;
}

static inline long colibri_syscall4(long number, long a, long b, long c, long d)
{
    long result;
    __asm__ volatile("int $0x80" : "=a"(result) : "a"(number), "b"(a), "c"(b), "d"(c), "S"(d) : "memory");
    return result;
}

static inline long colibri_syscall5(long number, long a, long b, long c, long d, long e)
{
    long result;
    __asm__ volatile("int $0x80"
                     : "=a"(result)
                     : "a"(number), "b"(a), "c"(b), "d"(c), "S"(d), "D"(e)
                     : "memory");
    return result;
}

// The sixth argument goes in EBP, which the compiler may be using as the
// frame pointer: every other register is taken, so EAX carries the address
// of {number, sixth} and EBP is saved around the gate on the stack.
static inline long colibri_syscall6(long number, long a, long b, long c, long d, long e, long f)
{
    long block[2] = { number, f };
    long result;
    __asm__ volatile("push %%ebp\n\t"
                     "mov 4(%%eax), %%ebp\n\t"
                     "mov (%%eax), %%eax\n\t"
                     "int $0x80\n\t"
                     "pop %%ebp"
                     : "=a"(result)
                     : "a"(block), "b"(a), "c"(b), "d"(c), "S"(d), "D"(e)
                     : "memory");
    return result;
}

#define COLIBRI_ARG(x) ((long)(x))

static inline __attribute__((noreturn)) void sys_exit(int status)
{
    colibri_syscall1(SYS_EXIT, status);
    __builtin_unreachable();
}
static inline long sys_write(int fd, const void* buffer, size_t length)
{
    return colibri_syscall3(SYS_WRITE, fd, COLIBRI_ARG(buffer), COLIBRI_ARG(length));
}
static inline long sys_read(int fd, void* buffer, size_t length)
{
    return colibri_syscall3(SYS_READ, fd, COLIBRI_ARG(buffer), COLIBRI_ARG(length));
}
static inline long sys_open(const char* path, int flags)
{
    return colibri_syscall2(SYS_OPEN, COLIBRI_ARG(path), flags);
}
static inline long sys_close(int fd) { return colibri_syscall1(SYS_CLOSE, fd); }
static inline long sys_getpid(void) { return colibri_syscall0(SYS_GETPID); }
static inline long sys_getppid(void) { return colibri_syscall0(SYS_GETPPID); }
static inline long sys_yield(void) { return colibri_syscall0(SYS_YIELD); }
static inline long sys_sleep_ms(unsigned milliseconds) { return colibri_syscall1(SYS_SLEEP_MS, COLIBRI_ARG(milliseconds)); }
static inline long sys_fork(void) { return colibri_syscall0(SYS_FORK); }
static inline long sys_exec(const char* path, char* const argv[], char* const envp[])
{
    return colibri_syscall3(SYS_EXEC, COLIBRI_ARG(path), COLIBRI_ARG(argv), COLIBRI_ARG(envp));
}
static inline long sys_spawn(const char* path, char* const argv[], char* const envp[])
{
    return colibri_syscall3(SYS_SPAWN, COLIBRI_ARG(path), COLIBRI_ARG(argv), COLIBRI_ARG(envp));
}
static inline long sys_waitpid(int pid, int* status, int options)
{
    return colibri_syscall3(SYS_WAITPID, pid, COLIBRI_ARG(status), options);
}
static inline long sys_kill(int pid) { return colibri_syscall1(SYS_KILL, pid); }
static inline long sys_mmap(void* hint, size_t length, int prot, int flags, int fd, uint32_t offset)
{
    return colibri_syscall6(SYS_MMAP, COLIBRI_ARG(hint), COLIBRI_ARG(length), prot, flags, fd, COLIBRI_ARG(offset));
}
static inline long sys_munmap(void* address, size_t length)
{
    return colibri_syscall2(SYS_MUNMAP, COLIBRI_ARG(address), COLIBRI_ARG(length));
}
static inline long sys_mprotect(void* address, size_t length, int prot)
{
    return colibri_syscall3(SYS_MPROTECT, COLIBRI_ARG(address), COLIBRI_ARG(length), prot);
}
static inline long sys_vm_stats(int pid, struct VmStats* out)
{
    return colibri_syscall2(SYS_VM_STATS, pid, COLIBRI_ARG(out));
}
// The new thread starts in entry(argument) on stack_top; entry must end with
// sys_thread_exit (returning from it faults: the return address is 0).
static inline long sys_thread_create(void (*entry)(void*), void* argument, void* stack_top)
{
    return colibri_syscall3(SYS_THREAD_CREATE, COLIBRI_ARG(entry), COLIBRI_ARG(argument), COLIBRI_ARG(stack_top));
}
static inline __attribute__((noreturn)) void sys_thread_exit(int status)
{
    colibri_syscall1(SYS_THREAD_EXIT, status);
    __builtin_unreachable();
}
static inline long sys_clock_ns(uint64_t* out) { return colibri_syscall1(SYS_CLOCK_NS, COLIBRI_ARG(out)); }
static inline long sys_lseek(int fd, int32_t offset, int whence)
{
    return colibri_syscall3(SYS_LSEEK, fd, offset, whence);
}
static inline long sys_pread(int fd, void* buffer, size_t length, uint64_t offset)
{
    return colibri_syscall5(SYS_PREAD, fd, COLIBRI_ARG(buffer), COLIBRI_ARG(length), (long)(uint32_t)offset,
        (long)(uint32_t)(offset >> 32));
}
static inline long sys_pwrite(int fd, const void* buffer, size_t length, uint64_t offset)
{
    return colibri_syscall5(SYS_PWRITE, fd, COLIBRI_ARG(buffer), COLIBRI_ARG(length), (long)(uint32_t)offset,
        (long)(uint32_t)(offset >> 32));
}
static inline long sys_readv(int fd, const struct IoVec* vector, int count)
{
    return colibri_syscall3(SYS_READV, fd, COLIBRI_ARG(vector), count);
}
static inline long sys_writev(int fd, const struct IoVec* vector, int count)
{
    return colibri_syscall3(SYS_WRITEV, fd, COLIBRI_ARG(vector), count);
}
static inline long sys_stat(const char* path, struct FileStat* out)
{
    return colibri_syscall2(SYS_STAT, COLIBRI_ARG(path), COLIBRI_ARG(out));
}
static inline long sys_fstat(int fd, struct FileStat* out) { return colibri_syscall2(SYS_FSTAT, fd, COLIBRI_ARG(out)); }
static inline long sys_unlink(const char* path) { return colibri_syscall1(SYS_UNLINK, COLIBRI_ARG(path)); }
static inline long sys_rename(const char* from, const char* to)
{
    return colibri_syscall2(SYS_RENAME, COLIBRI_ARG(from), COLIBRI_ARG(to));
}
static inline long sys_mkdir(const char* path) { return colibri_syscall1(SYS_MKDIR, COLIBRI_ARG(path)); }
static inline long sys_rmdir(const char* path) { return colibri_syscall1(SYS_RMDIR, COLIBRI_ARG(path)); }
static inline long sys_readdir(int fd, struct DirEntry* out) { return colibri_syscall2(SYS_READDIR, fd, COLIBRI_ARG(out)); }
static inline long sys_fsync(int fd) { return colibri_syscall1(SYS_FSYNC, fd); }
static inline long sys_ftruncate(int fd, uint64_t length)
{
    return colibri_syscall3(SYS_FTRUNCATE, fd, (long)(uint32_t)length, (long)(uint32_t)(length >> 32));
}
static inline long sys_sync(void) { return colibri_syscall0(SYS_SYNC); }
static inline long sys_shm_open(const char* name, uint32_t size, uint32_t flags, uint32_t* size_out)
{
    return colibri_syscall4(SYS_SHM_OPEN, COLIBRI_ARG(name), COLIBRI_ARG(size), COLIBRI_ARG(flags), COLIBRI_ARG(size_out));
}
static inline long sys_shm_unlink(const char* name) { return colibri_syscall1(SYS_SHM_UNLINK, COLIBRI_ARG(name)); }
static inline long sys_futex_wait(uint32_t* word, uint32_t expected, uint32_t timeout_ms)
{
    return colibri_syscall3(SYS_FUTEX_WAIT, COLIBRI_ARG(word), COLIBRI_ARG(expected), COLIBRI_ARG(timeout_ms));
}
static inline long sys_futex_wake(uint32_t* word, uint32_t count)
{
    return colibri_syscall2(SYS_FUTEX_WAKE, COLIBRI_ARG(word), COLIBRI_ARG(count));
}
static inline long sys_shm_list(uint32_t index, struct ShmInfo* out)
{
    return colibri_syscall2(SYS_SHM_LIST, COLIBRI_ARG(index), COLIBRI_ARG(out));
}
static inline long sys_eq_create(void) { return colibri_syscall0(SYS_EQ_CREATE); }
static inline long sys_eq_ctl(int handle, const struct EqControl* control)
{
    return colibri_syscall2(SYS_EQ_CTL, handle, COLIBRI_ARG(control));
}
static inline long sys_eq_wait(int handle, struct EqEvent* out, uint32_t capacity, uint32_t timeout_ms)
{
    return colibri_syscall4(SYS_EQ_WAIT, handle, COLIBRI_ARG(out), COLIBRI_ARG(capacity), COLIBRI_ARG(timeout_ms));
}
static inline long sys_eq_stats(int handle, struct EqStats* out)
{
    return colibri_syscall2(SYS_EQ_STATS, handle, COLIBRI_ARG(out));
}
static inline long sys_timer_create(uint32_t initial_ms, uint32_t period_ms)
{
    return colibri_syscall2(SYS_TIMER_CREATE, COLIBRI_ARG(initial_ms), COLIBRI_ARG(period_ms));
}
static inline long sys_timer_set(int handle, uint32_t initial_ms, uint32_t period_ms)
{
    return colibri_syscall3(SYS_TIMER_SET, handle, COLIBRI_ARG(initial_ms), COLIBRI_ARG(period_ms));
}
static inline long sys_timer_read(int handle, uint64_t* expirations)
{
    return colibri_syscall2(SYS_TIMER_READ, handle, COLIBRI_ARG(expirations));
}
static inline long sys_handle_close(int handle) { return colibri_syscall1(SYS_HANDLE_CLOSE, handle); }
static inline long sys_pipe2(int fds[2], int flags) { return colibri_syscall2(SYS_PIPE, COLIBRI_ARG(fds), flags); }
static inline long sys_dup2(int from, int to) { return colibri_syscall2(SYS_DUP2, from, to); }
static inline long sys_fcntl(int fd, int command, int argument) { return colibri_syscall3(SYS_FCNTL, fd, command, argument); }

#undef COLIBRI_ARG

#ifdef __cplusplus
}
#endif
