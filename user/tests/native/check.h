// Reporting for native test programs. Every check prints one line,
//     PASS <test>/<check>      or      FAIL <test>/<check>: <reason>
// and finish() prints the verdict line "PASS <test>" or "FAIL <test>: ..."
// and returns the exit status (0 only when every check passed).
#pragma once

#include <stdarg.h>
#include <stdio.h>

static const char* s_test_name = "test";
static int s_checks;
static int s_failures;

static inline void begin(const char* test_name) { s_test_name = test_name; }

__attribute__((format(printf, 3, 4))) static inline int check(int ok, const char* what, const char* reason, ...)
{
    ++s_checks;
    if (ok) {
        printf("PASS %s/%s\n", s_test_name, what);
        return 1;
    }
    ++s_failures;
    printf("FAIL %s/%s: ", s_test_name, what);
    va_list arguments;
    va_start(arguments, reason);
    vprintf(reason, arguments);
    va_end(arguments);
    printf("\n");
    return 0;
}

static inline int finish(void)
{
    if (s_failures)
        printf("FAIL %s: %d of %d checks failed\n", s_test_name, s_failures, s_checks);
    else
        printf("PASS %s\n", s_test_name);
    fflush(stdout);
    return s_failures ? 1 : 0;
}
