// exec: a failed exec (missing file, malformed file) returns an error and
// the program carries on; a successful one replaces the image, keeps the
// pid, passes the arguments, and stops the program's other threads. Run as
// `run /sys/exec`; the new image is /sys/hello, which prints its argv.
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "check.h"

static volatile unsigned s_spins;

static void spinner(void* argument)
{
    (void)argument;
    for (;;)
        s_spins = s_spins + 1;
}

int main(int argc, char** argv)
{
    (void)argc;
    (void)argv;
    begin("exec");
    char* missing_argv[] = { (char*)"/sys/nothere", NULL };
    int result = execv("/sys/nothere", missing_argv);
    check(result == -1 && errno == ENOENT, "missing_file", "execv returned %d, errno %d (%s)", result, errno,
        strerror(errno));
    char* bad_argv[] = { (char*)"/sys/bad_magc", NULL };
    result = execv("/sys/bad_magc", bad_argv);
    check(result == -1 && errno == ENOEXEC, "malformed_file", "execv returned %d, errno %d (%s)", result, errno,
        strerror(errno));
    check(thread_create(spinner, NULL, 0) > 0, "thread", "thread_create failed: %s", strerror(errno));
    while (s_spins == 0)
        yield();
    printf("exec: pid %d becomes hello\n", getpid());
    finish();
    char* hello_argv[] = { (char*)"/sys/hello", (char*)"from-exec", NULL };
    execv("/sys/hello", hello_argv);
    printf("FAIL exec/replace: execv of /sys/hello returned: %s\n", strerror(errno));
    return 1;
}
