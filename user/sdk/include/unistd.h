// POSIX-style process, file and thread functions. Each returns -1 and sets
// errno on failure (the raw system calls are in <colibri/syscall.h>).
#pragma once

#include <colibri/syscall.h>
#include <sys/types.h>

#define STDIN_FILENO 0
#define STDOUT_FILENO 1
#define STDERR_FILENO 2
#define SEEK_SET 0
#define SEEK_CUR 1
#define SEEK_END 2

#ifdef __cplusplus
extern "C" {
#endif

extern char** environ;

ssize_t write(int fd, const void* buffer, size_t length);
ssize_t read(int fd, void* buffer, size_t length);
int close(int fd);
off_t lseek(int fd, off_t offset, int whence);
ssize_t pread(int fd, void* buffer, size_t length, uint64_t offset);
ssize_t pwrite(int fd, const void* buffer, size_t length, uint64_t offset);
int unlink(const char* path);
int rmdir(const char* path);
int fsync(int fd);
int pipe(int fds[2]);                    // fds[0] reads what fds[1] writes
int pipe2(int fds[2], int flags);        // flags: O_NONBLOCK, O_CLOEXEC (both ends)
int dup(int fd);                         // → a new descriptor (the lowest free one from 3) for the same open file
int dup2(int from, int to);              // → to; `to` is closed first if open
int ftruncate(int fd, uint64_t length);
void sync(void);
pid_t getpid(void);
pid_t getppid(void);
pid_t fork(void);
int execve(const char* path, char* const argv[], char* const envp[]);
int execv(const char* path, char* const argv[]);
__attribute__((noreturn)) void _exit(int status);

// Colibri extensions.
pid_t spawn(const char* path, char* const argv[], char* const envp[]); // → child pid
int kill(pid_t pid);                     // terminates pid (status STATUS_KILLED)
int sleep_ms(unsigned milliseconds);
int yield(void);
int vm_stats(int pid, struct VmStats* out); // pid 0 = self, -1 = global
uint64_t clock_ns(void);                 // monotonic nanoseconds since boot

// Threads share the address space. thread_create runs entry(argument) on a
// stack of stack_size bytes it allocates with mmap (0 = 64 KiB); when entry
// returns, the thread ends (its stack stays mapped). → thread id or -1.
int thread_create(void (*entry)(void*), void* argument, size_t stack_size);
__attribute__((noreturn)) void thread_exit(int status);

#ifdef __cplusplus
}
#endif
