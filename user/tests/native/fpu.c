// fpu: native programs compute with SSE2 (this program is built with
// colibri_enable_sse, user/CMakeLists.txt). Checks: a new process starts in
// the initial x87/SSE state (FCW 0x037F, MXCSR 0x1F80); fork gives the child
// a copy of the parent's registers (a changed rounding mode and an XMM value
// survive into the child); exec resets them (the program execs itself with
// "fresh", which must again see the initial state); double arithmetic in
// SSE2 registers across many yields gives the exact expected sum.
#include <stdint.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check.h"

static uint16_t read_fcw(void)
{
    uint16_t value;
    __asm__ volatile("fnstcw %0" : "=m"(value));
    return value;
}

static uint32_t read_mxcsr(void)
{
    uint32_t value;
    __asm__ volatile("stmxcsr %0" : "=m"(value));
    return value;
}

static void write_mxcsr(uint32_t value) { __asm__ volatile("ldmxcsr %0" ::"m"(value)); }

static int initial_state_ok(void) { return read_fcw() == 0x037F && read_mxcsr() == 0x1F80; }

int main(int argc, char** argv)
{
    if (argc > 1 && strcmp(argv[1], "fresh") == 0)
        return initial_state_ok() ? 0 : 1;  // after exec (below)
    begin("fpu");
    check(read_fcw() == 0x037F, "initial_fcw", "FCW 0x%04x, want 0x037F", read_fcw());
    check(read_mxcsr() == 0x1F80, "initial_mxcsr", "MXCSR 0x%08x, want 0x1F80", (unsigned)read_mxcsr());

    // Round toward zero (RC = 11b) and a value in XMM7 before the fork.
    write_mxcsr(0x7F80);
    uint32_t marker = 0x5A5AA5A5;
    __asm__ volatile("movd %0, %%xmm7" ::"r"(marker));
    pid_t child = fork();
    if (child == 0) {
        uint32_t seen;
        __asm__ volatile("movd %%xmm7, %0" : "=r"(seen));
        _exit(read_mxcsr() == 0x7F80 && seen == marker ? 0 : 1);
    }
    int status = -1;
    check(child > 0 && waitpid(child, &status, 0) == child && WIFEXITED(status) && WEXITSTATUS(status) == 0,
        "fork_copies_state", "the child did not see MXCSR 0x7F80 and XMM7 0x%08x (status 0x%x)",
        (unsigned)marker, (unsigned)status);
    check(read_mxcsr() == 0x7F80, "parent_keeps_state", "MXCSR 0x%08x after fork", (unsigned)read_mxcsr());
    write_mxcsr(0x1F80);

    // exec: the new image starts clean although this one changed MXCSR.
    child = fork();
    if (child == 0) {
        write_mxcsr(0x7F80);
        char* arguments[] = { argv[0], "fresh", 0 };
        execv("/sys/fpu", arguments);
        _exit(2);
    }
    status = -1;
    check(child > 0 && waitpid(child, &status, 0) == child && WIFEXITED(status) && WEXITSTATUS(status) == 0,
        "exec_resets_state", "after exec the state was not the initial one (status 0x%x)", (unsigned)status);

    // An unmasked x87 divide by zero ends the child with STATUS_FPE (#MF);
    // the parent's own state is untouched by it.
    fflush(stdout);
    child = fork();
    if (child == 0) {
        uint16_t control = (uint16_t)(read_fcw() & ~4u); // clear ZM
        volatile double zero = 0.0;
        double quotient;
        __asm__ volatile("fldcw %1\n\t"
                         "fld1\n\t"
                         "fdivl %2\n\t"
                         "fstpl %0\n\t"
                         "fwait"
                         : "=m"(quotient)
                         : "m"(control), "m"(zero));
        (void)quotient;
        _exit(3); // not reached when the fault is delivered
    }
    status = -1;
    check(child > 0 && waitpid(child, &status, 0) == child && status == STATUS_FPE,
        "x87_divide_by_zero_kills", "child status %d, want %d (STATUS_FPE)", status, STATUS_FPE);
    check(read_fcw() == 0x037F, "parent_fcw_untouched", "FCW 0x%04x after the child's fault", read_fcw());

    // Doubles in SSE2 registers, with yields (switches) in between: the sum
    // of 0.5 + 1.5 + ... is exact in binary, so any lost register shows.
    volatile double sum = 0.0;
    for (int i = 0; i < 2000; ++i) {
        sum = sum + (double)i + 0.5;
        if (i % 100 == 0)
            yield();
    }
    double expected = 1999.0 * 2000.0 / 2.0 + 1000.0;
    check(sum == expected, "double_sum", "sum %d, want %d", (int)sum, (int)expected);
    return finish();
}
