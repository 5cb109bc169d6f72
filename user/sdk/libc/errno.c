// errno and the POSIX-style wrappers around the raw system calls: a kernel
// result r < 0 means error -r, reported as -1 with errno = -r.
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

int errno;

static long check(long result)
{
    if (result < 0) {
        errno = (int)-result;
        return -1;
    }
    return result;
}

ssize_t write(int fd, const void* buffer, size_t length) { return check(sys_write(fd, buffer, length)); }
ssize_t read(int fd, void* buffer, size_t length) { return check(sys_read(fd, buffer, length)); }
int open(const char* path, int flags, ...) { return check(sys_open(path, flags)); }
int close(int fd) { return check(sys_close(fd)); }
off_t lseek(int fd, off_t offset, int whence) { return check(sys_lseek(fd, offset, whence)); }
pid_t getpid(void) { return sys_getpid(); }
pid_t getppid(void) { return sys_getppid(); }
pid_t fork(void) { return check(sys_fork()); }
int execve(const char* path, char* const argv[], char* const envp[]) { return check(sys_exec(path, argv, envp)); }
int execv(const char* path, char* const argv[]) { return execve(path, argv, environ); }
pid_t spawn(const char* path, char* const argv[], char* const envp[]) { return check(sys_spawn(path, argv, envp)); }
pid_t waitpid(pid_t pid, int* status, int options) { return check(sys_waitpid(pid, status, options)); }
pid_t wait(int* status) { return waitpid(-1, status, 0); }
int kill(pid_t pid) { return check(sys_kill(pid)); }
int sleep_ms(unsigned milliseconds) { return check(sys_sleep_ms(milliseconds)); }
int yield(void) { return check(sys_yield()); }
int vm_stats(int pid, struct VmStats* out) { return check(sys_vm_stats(pid, out)); }
int munmap(void* address, size_t length) { return check(sys_munmap(address, length)); }
int mprotect(void* address, size_t length, int prot) { return check(sys_mprotect(address, length, prot)); }

void* mmap(void* hint, size_t length, int prot, int flags, int fd, off_t offset)
{
    long result = sys_mmap(hint, length, prot, flags, fd, (uint32_t)offset);
    // Addresses above 2 GiB look negative: only -4095..-1 are errors.
    if (result < 0 && result >= -4095) {
        errno = (int)-result;
        return MAP_FAILED;
    }
    return (void*)result;
}

uint64_t clock_ns(void)
{
    uint64_t now = 0;
    sys_clock_ns(&now);
    return now;
}

void _exit(int status) { sys_exit(status); }

const char* strerror(int error)
{
    switch (error) {
    case 0: return "success";
    case EPERM: return "operation not permitted";
    case ENOENT: return "no such file or directory";
    case ESRCH: return "no such process";
    case EINTR: return "interrupted";
    case EIO: return "input/output error";
    case E2BIG: return "argument list too long";
    case ENOEXEC: return "not an executable";
    case EBADF: return "bad file descriptor";
    case ECHILD: return "no child processes";
    case EAGAIN: return "try again";
    case ENOMEM: return "out of memory";
    case EACCES: return "permission denied";
    case EFAULT: return "bad address";
    case EBUSY: return "busy";
    case EEXIST: return "exists";
    case EINVAL: return "invalid argument";
    case EMFILE: return "too many open files";
    case ENOSPC: return "no space left";
    case ERANGE: return "out of range";
    case ENAMETOOLONG: return "name too long";
    case ENOSYS: return "not implemented";
    case ENOTDIR: return "not a directory";
    case EISDIR: return "is a directory";
    case EROFS: return "read-only file system";
    case ENOTEMPTY: return "directory not empty";
    case ETIMEDOUT: return "timed out";
    case ECANCELED: return "cancelled";
    default: return "unknown error";
    }
}
