// Hostile arguments get an error code, never a crash: null and kernel
// pointers, ranges that run into kernel space, and malformed mmap requests.
// The raw system calls are used so the exact -errno is visible.
#include <colibri/syscall.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "check.h"

#define KERNEL_POINTER ((void*)0xC0000000)

static void expect_error(long result, long want, const char* what)
{
    check(result == want, what, "returned %ld, want %ld", result, want);
}

static void expect_either(long result, long want, long also, const char* what)
{
    check(result == want || result == also, what, "returned %ld, want %ld or %ld", result, want, also);
}

static void thread_entry(void* argument)
{
    (void)argument;
    sys_thread_exit(0);
}

int main(void)
{
    begin("bad_pointers");
    expect_error(sys_write(1, NULL, 10), -EFAULT, "write_null");
    expect_error(sys_write(1, KERNEL_POINTER, 10), -EFAULT, "write_kernel");
    expect_error(sys_write(1, (void*)0xBFFFFFF0, 100), -EFAULT, "write_into_kernel");
    expect_error(sys_write(1, (void*)0xFFFFFFF0, 32), -EFAULT, "write_wraps_around");
    expect_error(sys_open(NULL, 0), -EFAULT, "open_null");
    expect_error(sys_open((const char*)KERNEL_POINTER, 0), -EFAULT, "open_kernel");
    expect_error(sys_vm_stats(0, (struct VmStats*)KERNEL_POINTER), -EFAULT, "vm_stats_kernel");
    expect_error(sys_clock_ns((uint64_t*)KERNEL_POINTER), -EFAULT, "clock_ns_kernel");
    expect_error(sys_write(1, "", 0), 0, "write_empty");

    long fd = sys_open("/sys/README.TXT", 0);
    if (check(fd >= 0, "open_readme", "open failed: %ld", fd)) {
        expect_error(sys_read((int)fd, KERNEL_POINTER, 16), -EFAULT, "read_into_kernel");
        expect_error(sys_read((int)fd, NULL, 16), -EFAULT, "read_into_null");
        sys_close((int)fd);
    }
    expect_error(sys_read(99, (void*)&fd, 4), -EBADF, "read_bad_fd");

    int status = 0;
    expect_error(sys_waitpid(-1, &status, 0), -ECHILD, "waitpid_no_children");

    // mmap argument checks.
    const int anon = MAP_PRIVATE | MAP_ANONYMOUS;
    expect_error(sys_mmap(NULL, 0, PROT_READ, anon, -1, 0), -EINVAL, "mmap_zero_length");
    expect_error(sys_mmap((void*)0x10000001, 4096, PROT_READ, anon | MAP_FIXED, -1, 0), -EINVAL,
        "mmap_fixed_unaligned");
    expect_either(sys_mmap(KERNEL_POINTER, 4096, PROT_READ, anon | MAP_FIXED, -1, 0), -EINVAL, -ENOMEM,
        "mmap_fixed_kernel");
    expect_either(sys_mmap((void*)0xBFFFF000, 0x2000, PROT_READ, anon | MAP_FIXED, -1, 0), -EINVAL, -ENOMEM,
        "mmap_fixed_crossing");
    expect_either(sys_mmap(NULL, 0xF0000000u, PROT_READ, anon, -1, 0), -ENOMEM, -EINVAL, "mmap_huge");
    expect_error(sys_mmap(NULL, 4096, PROT_READ, MAP_ANONYMOUS, -1, 0), -EINVAL, "mmap_neither_private_nor_shared");
    expect_error(sys_mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, 99, 0), -EBADF, "mmap_bad_fd");
    expect_error(sys_munmap((void*)0x10000001, 4096), -EINVAL, "munmap_unaligned");
    expect_error(sys_munmap(KERNEL_POINTER, 4096), -EINVAL, "munmap_kernel");
    expect_error(sys_mprotect((void*)0x10000001, 4096, PROT_READ), -EINVAL, "mprotect_unaligned");
    expect_error(sys_mprotect(KERNEL_POINTER, 4096, PROT_READ | PROT_WRITE), -EINVAL, "mprotect_kernel");

    // A thread whose stack is in kernel space, or whose entry is.
    expect_either(sys_thread_create(thread_entry, NULL, (void*)0xC0001000), -EINVAL, -EFAULT, "thread_kernel_stack");
    expect_either(sys_thread_create((void (*)(void*))KERNEL_POINTER, NULL, (void*)0x10000000), -EINVAL, -EFAULT,
        "thread_kernel_entry");

    // The libc layer reports the same through errno.
    check(write(1, NULL, 10) == -1 && errno == EFAULT, "libc_write_errno", "errno %d, want EFAULT", errno);
    check(mmap(NULL, 0, PROT_READ, anon, -1, 0) == MAP_FAILED && errno == EINVAL, "libc_mmap_errno",
        "errno %d, want EINVAL", errno);

    check(1, "survived", "unreachable");
    return finish();
}
