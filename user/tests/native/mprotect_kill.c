// A write to a page made read-only with mprotect kills the writer with
// STATUS_SEGFAULT; reads still work, and the parent is unaffected. A read
// of 0xFE000000 (the screen of KolibriOS programs) kills a native program.
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check.h"

int main(void)
{
    begin("mprotect_kill");
    fflush(stdout);
    pid_t child = fork();
    if (child == 0) {
        volatile char* page = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (page == MAP_FAILED)
            exit(2);
        page[0] = 42;
        if (mprotect((void*)page, 4096, PROT_READ) != 0)
            exit(3);
        if (page[0] != 42)
            exit(4);
        page[0] = 43; // must not return
        exit(5);
    }
    if (!check(child > 0, "fork", "fork failed: %s", strerror(errno)))
        return finish();
    int status = -1;
    check(waitpid(child, &status, 0) == child, "waitpid", "waitpid failed: %s", strerror(errno));
    check(status == STATUS_SEGFAULT, "child_killed", "child status %d, want %d (2 mmap, 3 mprotect, 4 read, 5 write survived)",
        status, STATUS_SEGFAULT);

    // The screen that KolibriOS programs find at 0xFE000000 is not open to
    // native programs: reading it kills the reader like any kernel address.
    fflush(stdout);
    pid_t reader = fork();
    if (reader == 0) {
        volatile unsigned* screen = (volatile unsigned*)0xFE000000u;
        unsigned pixel = *screen; // must not return
        exit(pixel == 0 ? 6 : 7);
    }
    if (check(reader > 0, "fork_screen", "fork failed: %s", strerror(errno))) {
        status = -1;
        check(waitpid(reader, &status, 0) == reader, "waitpid_screen", "waitpid failed: %s", strerror(errno));
        check(status == STATUS_SEGFAULT, "screen_closed", "child reading 0xFE000000 ended with %d, want %d",
            status, STATUS_SEGFAULT);
    }

    // The same sequence in this process, short of the write.
    char* page = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (check(page != MAP_FAILED, "mmap", "mmap failed: %s", strerror(errno))) {
        page[0] = 1;
        check(mprotect(page, 4096, PROT_READ) == 0, "mprotect_read", "mprotect failed: %s", strerror(errno));
        check(page[0] == 1, "still_readable", "page holds %d, want 1", page[0]);
        check(mprotect(page, 4096, PROT_READ | PROT_WRITE) == 0, "mprotect_write", "mprotect failed: %s",
            strerror(errno));
        page[0] = 2;
        check(page[0] == 2, "writable_again", "page holds %d, want 2", page[0]);
    }
    return finish();
}
