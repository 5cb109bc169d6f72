// fork shares pages copy-on-write: after both processes write the same page
// of a global and of a heap block, each sees its own value.
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check.h"

static volatile int s_global[1024] = { 1 }; // one page of initialised data

int main(void)
{
    begin("fork_cow");
    volatile int* heap = malloc(4096);
    if (!check(heap != NULL, "malloc", "malloc(4096) failed"))
        return finish();
    heap[0] = 100;
    s_global[0] = 1;
    fflush(stdout); // the child must not inherit buffered text

    pid_t child = fork();
    if (child == 0) {
        s_global[0] = 2;
        heap[0] = 200;
        sleep_ms(50); // let the parent write its copy too
        if (s_global[0] != 2 || heap[0] != 200) {
            printf("FAIL fork_cow/child_values: global %d heap %d, want 2 and 200\n", s_global[0], heap[0]);
            exit(1);
        }
        exit(7);
    }
    if (!check(child > 0, "fork", "fork failed: %s", strerror(errno)))
        return finish();
    s_global[0] = 3;
    heap[0] = 300;
    int status = -1;
    pid_t waited = waitpid(child, &status, 0);
    check(waited == child, "waitpid", "waitpid returned %d, want %d", waited, child);
    check(status == 7, "child_status", "child exit status %d, want 7", status);
    check(s_global[0] == 3, "parent_global", "parent's global is %d, want 3", s_global[0]);
    check(heap[0] == 300, "parent_heap", "parent's heap block holds %d, want 300", heap[0]);
    return finish();
}
