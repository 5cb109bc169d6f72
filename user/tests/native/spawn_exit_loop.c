// 1000 process lifetimes (fork + exit, and every fourth a spawn of this
// program that exits at once) leak no frames and no kernel heap.
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check.h"

enum { CYCLES = 1000, WARM_UP = 20, FRAME_SLACK = 16, HEAP_SLACK = 4096 };

// One lifetime; returns 1 when the child ran and exited as expected.
static int cycle(const char* self, int i)
{
    pid_t child;
    int expected;
    if (i % 4 == 0) {
        char* argv[] = { (char*)self, (char*)"child", NULL };
        child = spawn(self, argv, environ);
        expected = 42;
    } else {
        child = fork();
        if (child == 0)
            _exit(i & 0x7F);
        expected = i & 0x7F;
    }
    if (child < 0) {
        printf("cycle %d: %s failed: %s\n", i, i % 4 == 0 ? "spawn" : "fork", strerror(errno));
        return 0;
    }
    int status = -1;
    if (waitpid(child, &status, 0) != child || status != expected) {
        printf("cycle %d: status %d, want %d\n", i, status, expected);
        return 0;
    }
    return 1;
}

int main(int argc, char** argv)
{
    if (argc > 1 && strcmp(argv[1], "child") == 0)
        return 42;
    begin("spawn_exit_loop");
    fflush(stdout);
    // Warm up first: caches the kernel fills once must not count as leaks.
    for (int i = 0; i < WARM_UP; ++i)
        cycle(argv[0], i);
    struct VmStats before, after;
    memset(&before, 0, sizeof(before));
    memset(&after, 0, sizeof(after));
    check(vm_stats(-1, &before) == 0, "vm_stats_before", "vm_stats(-1) failed: %s", strerror(errno));

    int good = 0;
    for (int i = 0; i < CYCLES; ++i)
        good += cycle(argv[0], i);
    check(good == CYCLES, "cycles", "%d of %d cycles went well", good, CYCLES);

    check(vm_stats(-1, &after) == 0, "vm_stats_after", "vm_stats(-1) failed: %s", strerror(errno));
    printf("spawn_exit_loop: free frames %u -> %u, kernel heap %u -> %u bytes\n", before.free_frames,
        after.free_frames, before.kernel_heap_bytes, after.kernel_heap_bytes);
    check(after.free_frames + FRAME_SLACK >= before.free_frames, "no_frame_leak", "lost %d frames",
        (int)(before.free_frames - after.free_frames));
    check(after.kernel_heap_bytes <= before.kernel_heap_bytes + HEAP_SLACK, "no_heap_leak",
        "kernel heap grew by %d bytes", (int)(after.kernel_heap_bytes - before.kernel_heap_bytes));
    return finish();
}
