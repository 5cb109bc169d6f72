// 100 children at once: each sleeps a little and exits with its index; the
// parent collects every status exactly once, then has no children left.
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check.h"

enum { CHILDREN = 100 };

int main(void)
{
    begin("many_procs");
    pid_t pids[CHILDREN];
    int started = 0;
    fflush(stdout);
    for (int i = 0; i < CHILDREN; ++i) {
        pid_t child = fork();
        if (child == 0) {
            sleep_ms(20 + (unsigned)(i % 7) * 5);
            exit(i);
        }
        if (child < 0) {
            printf("fork %d failed: %s\n", i, strerror(errno));
            break;
        }
        pids[started++] = child;
    }
    check(started == CHILDREN, "fork_all", "started %d of %d children", started, CHILDREN);

    int seen[CHILDREN] = { 0 };
    int collected = 0;
    int mismatched = 0;
    for (int i = 0; i < started; ++i) {
        int status = -1;
        pid_t pid = waitpid(-1, &status, 0);
        if (pid < 0) {
            printf("waitpid failed after %d: %s\n", collected, strerror(errno));
            break;
        }
        ++collected;
        if (status < 0 || status >= CHILDREN || pids[status] != pid) {
            ++mismatched;
            continue;
        }
        ++seen[status];
    }
    int once = 0;
    for (int i = 0; i < started; ++i)
        once += seen[i] == 1;
    check(collected == started, "collect_all", "collected %d of %d", collected, started);
    check(mismatched == 0, "statuses_match", "%d statuses did not match their pid", mismatched);
    check(once == started, "each_once", "%d of %d indices seen exactly once", once, started);
    int status;
    check(waitpid(-1, &status, 0) == -1 && errno == ECHILD, "no_children_left", "waitpid after all: want ECHILD");
    return finish();
}
