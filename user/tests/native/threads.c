// Two threads share the address space: each counts in its own counter and
// ends; the main thread sees both results.
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "check.h"

enum { COUNT = 200000, WAIT_LIMIT_MS = 10000 };

struct Worker {
    volatile unsigned counter;
    volatile int done;
    volatile int pid;
};

static struct Worker s_workers[2];

static void work(void* argument)
{
    struct Worker* worker = argument;
    worker->pid = getpid();
    for (unsigned i = 0; i < COUNT; ++i) {
        worker->counter = worker->counter + 1;
        if (i % 50000 == 0)
            yield();
    }
    worker->done = 1;
    // Returning ends the thread (thread_create's trampoline calls thread_exit).
}

int main(void)
{
    begin("threads");
    int ids[2];
    for (int i = 0; i < 2; ++i) {
        ids[i] = thread_create(work, &s_workers[i], 0);
        check(ids[i] > 0, i == 0 ? "create_first" : "create_second", "thread_create failed: %s", strerror(errno));
    }
    check(ids[0] != ids[1], "distinct_ids", "both threads got id %d", ids[0]);

    int waited = 0;
    while (!(s_workers[0].done && s_workers[1].done) && waited < WAIT_LIMIT_MS) {
        sleep_ms(10);
        waited += 10;
    }
    check(s_workers[0].done && s_workers[1].done, "both_done", "after %d ms: done %d %d", waited,
        s_workers[0].done, s_workers[1].done);
    check(s_workers[0].counter == COUNT && s_workers[1].counter == COUNT, "counters",
        "counters %u and %u, want %u", s_workers[0].counter, s_workers[1].counter, (unsigned)COUNT);
    check(s_workers[0].pid == getpid() && s_workers[1].pid == getpid(), "same_process",
        "threads saw pids %d and %d, main %d", s_workers[0].pid, s_workers[1].pid, getpid());
    return finish();
}
