// munmap of the middle page of three splits the mapping: the outer pages
// keep their contents and stay writable, the middle one faults.
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check.h"

enum { PAGE = 4096 };

int main(void)
{
    begin("munmap_middle");
    volatile char* memory = mmap(NULL, 3 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (!check(memory != MAP_FAILED, "mmap", "mmap of 3 pages failed: %s", strerror(errno)))
        return finish();
    for (int i = 0; i < 3; ++i)
        memory[i * PAGE] = (char)(10 + i);
    check(munmap((void*)(memory + PAGE), PAGE) == 0, "munmap", "munmap of the middle page failed: %s",
        strerror(errno));
    check(memory[0] == 10 && memory[2 * PAGE] == 12, "outer_kept", "outer pages hold %d and %d, want 10 and 12",
        memory[0], memory[2 * PAGE]);
    memory[PAGE - 1] = 20;
    memory[2 * PAGE] = 21;
    check(memory[PAGE - 1] == 20 && memory[2 * PAGE] == 21, "outer_writable", "writes to the outer pages were lost");

    fflush(stdout);
    pid_t child = fork();
    if (child == 0) {
        (void)memory[PAGE + 100]; // must fault
        exit(1);
    }
    if (check(child > 0, "fork", "fork failed: %s", strerror(errno))) {
        int status = -1;
        waitpid(child, &status, 0);
        check(status == STATUS_SEGFAULT, "middle_faults", "child status %d, want %d", status, STATUS_SEGFAULT);
    }

    check(munmap((void*)memory, 3 * PAGE) == 0, "munmap_rest", "munmap over the hole failed: %s", strerror(errno));
    return finish();
}
