// Threads of one process change the address space at the same time: two
// threads map, fill, check, split (munmap of the middle, mprotect of a
// part) and unmap regions in a loop while a third keeps faulting pages of a
// shared region in. Preemption can stop any of them at any instruction, so
// this checks that a half-made change is never visible to the others: every
// page holds what its owner wrote, and the frames all come back at the end.
#include <errno.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "check.h"

enum { ROUNDS = 300, PAGES = 16, PAGE = 4096, SHARED_PAGES = 256, WAIT_LIMIT_MS = 60000 };

struct Worker {
    volatile int done;
    volatile int errors;
    volatile int rounds;
    unsigned seed;
};

static struct Worker s_workers[3];
static volatile unsigned char* s_shared;

static void mapper(void* argument)
{
    struct Worker* self = argument;
    for (int round = 0; round < ROUNDS; ++round) {
        unsigned char* block = mmap(0, PAGES * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (block == MAP_FAILED) {
            ++self->errors;
            continue;
        }
        unsigned char tag = (unsigned char)(self->seed + round);
        for (int page = 0; page < PAGES; ++page)
            memset(block + page * PAGE, tag + page, PAGE);
        // Split: drop pages 5-7, make pages 10-11 read-only.
        if (munmap(block + 5 * PAGE, 3 * PAGE) != 0 || mprotect(block + 10 * PAGE, 2 * PAGE, PROT_READ) != 0)
            ++self->errors;
        for (int page = 0; page < PAGES; ++page) {
            if (page >= 5 && page < 8)
                continue;
            unsigned char want = (unsigned char)(tag + page);
            if (block[page * PAGE] != want || block[page * PAGE + PAGE - 1] != want)
                ++self->errors;
        }
        if (munmap(block, PAGES * PAGE) != 0)
            ++self->errors;
        self->rounds = round + 1;
        if (round % 16 == 0)
            yield();
    }
    self->done = 1;
}

static void toucher(void* argument)
{
    struct Worker* self = argument;
    for (int pass = 0; pass < 20; ++pass) {
        for (int page = 0; page < SHARED_PAGES; ++page) {
            volatile unsigned char* p = s_shared + page * PAGE + (pass % 7);
            *p = (unsigned char)(page + pass);
            if (*p != (unsigned char)(page + pass))
                ++self->errors;
        }
        self->rounds = pass + 1;
    }
    self->done = 1;
}

int main(void)
{
    begin("mm_stress");
    struct VmStats before, after;
    check(vm_stats(-1, &before) == 0, "vm_stats_before", "vm_stats failed: %s", strerror(errno));
    s_shared = mmap(0, SHARED_PAGES * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    check(s_shared != MAP_FAILED, "mmap_shared", "mmap failed: %s", strerror(errno));
    s_workers[0].seed = 17;
    s_workers[1].seed = 101;
    int ok = thread_create(mapper, &s_workers[0], 0) > 0;
    ok &= thread_create(mapper, &s_workers[1], 0) > 0;
    ok &= thread_create(toucher, &s_workers[2], 0) > 0;
    check(ok, "threads", "thread_create failed: %s", strerror(errno));

    int waited = 0;
    while (!(s_workers[0].done && s_workers[1].done && s_workers[2].done) && waited < WAIT_LIMIT_MS) {
        sleep_ms(10);
        waited += 10;
    }
    check(s_workers[0].done && s_workers[1].done && s_workers[2].done, "all_done",
        "after %d ms: rounds %d %d %d", waited, s_workers[0].rounds, s_workers[1].rounds, s_workers[2].rounds);
    check(s_workers[0].errors == 0 && s_workers[1].errors == 0, "mappers_consistent",
        "mapper errors %d and %d", s_workers[0].errors, s_workers[1].errors);
    check(s_workers[2].errors == 0, "toucher_consistent", "toucher errors %d", s_workers[2].errors);
    check(munmap((void*)s_shared, SHARED_PAGES * PAGE) == 0, "munmap_shared", "munmap failed: %s", strerror(errno));
    check(vm_stats(-1, &after) == 0, "vm_stats_after", "vm_stats failed: %s", strerror(errno));
    // The thread stacks (3 x 64 KiB, touched a little) stay mapped until
    // exit; allow for them and the page tables they needed.
    check(after.free_frames + 64 >= before.free_frames, "frames_returned", "free frames %u -> %u",
        before.free_frames, after.free_frames);
    return finish();
}
