// Running out of memory ends only the greedy process: a child maps and
// touches memory until mmap says ENOMEM (it exits 0) or the kernel kills it;
// the parent survives, can still fork and allocate, and gets the child's
// frames back.
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check.h"

enum { CHUNK = 1024 * 1024, PAGE = 4096 };

int main(void)
{
    begin("oom");
    struct VmStats before;
    memset(&before, 0, sizeof(before));
    vm_stats(-1, &before);

    fflush(stdout);
    pid_t child = fork();
    if (child == 0) {
        unsigned mebibytes = 0;
        for (;;) {
            char* memory = mmap(NULL, CHUNK, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
            if (memory == MAP_FAILED) {
                int error = errno;
                printf("oom: child's mmap failed after %u MiB: %s\n", mebibytes, strerror(error));
                exit(error == ENOMEM ? 0 : 1);
            }
            for (size_t i = 0; i < CHUNK; i += PAGE)
                memory[i] = 1;
            ++mebibytes;
        }
    }
    if (!check(child > 0, "fork", "fork failed: %s", strerror(errno)))
        return finish();
    int status = -1;
    check(waitpid(child, &status, 0) == child, "waitpid", "waitpid failed: %s", strerror(errno));
    check(status == 0 || status == STATUS_KILLED || status == STATUS_SEGFAULT, "child_ended",
        "child status %d, want 0 (ENOMEM), %d or %d (killed)", status, STATUS_KILLED, STATUS_SEGFAULT);

    // The system still works.
    char* memory = mmap(NULL, CHUNK, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (check(memory != MAP_FAILED, "mmap_after", "mmap after the child failed: %s", strerror(errno))) {
        for (size_t i = 0; i < CHUNK; i += PAGE)
            memory[i] = 2;
        munmap(memory, CHUNK);
    }
    pid_t second = fork();
    if (second == 0)
        exit(5);
    status = -1;
    check(second > 0 && waitpid(second, &status, 0) == second && status == 5, "fork_after",
        "a new child did not run (status %d)", status);

    struct VmStats after;
    memset(&after, 0, sizeof(after));
    vm_stats(-1, &after);
    check(after.free_frames + 64 >= before.free_frames, "frames_returned", "free frames %u before, %u after",
        before.free_frames, after.free_frames);
    return finish();
}
