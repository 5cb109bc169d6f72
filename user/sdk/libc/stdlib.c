// exit/atexit/abort and number parsing.
#include <colibri/syscall.h>
#include <stdio.h>
#include <stdlib.h>

enum { MAX_EXIT_HANDLERS = 32 };

struct ExitHandler {
    void (*function)(void*);
    void* argument;
};

static struct ExitHandler s_handlers[MAX_EXIT_HANDLERS];
static int s_handler_count;

// The C++ ABI's registration of static destructors; atexit is the C form.
int __cxa_atexit(void (*function)(void*), void* argument, void* dso_handle)
{
    (void)dso_handle;
    if (s_handler_count == MAX_EXIT_HANDLERS)
        return -1;
    s_handlers[s_handler_count].function = function;
    s_handlers[s_handler_count].argument = argument;
    ++s_handler_count;
    return 0;
}

static void call_plain(void* function) { ((void (*)(void))function)(); }

int atexit(void (*function)(void)) { return __cxa_atexit(call_plain, (void*)function, NULL); }

void* __dso_handle;

void exit(int status)
{
    while (s_handler_count > 0) {
        --s_handler_count;
        s_handlers[s_handler_count].function(s_handlers[s_handler_count].argument);
    }
    fflush(NULL);
    sys_exit(status);
}

void abort(void)
{
    fflush(NULL);
    fputs("abort\n", stderr);
    sys_exit(STATUS_KILLED);
}

int abs(int value) { return value < 0 ? -value : value; }

static int digit_value(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'z')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'Z')
        return c - 'A' + 10;
    return 99;
}

unsigned long strtoul(const char* text, char** end, int base)
{
    const char* p = text;
    while (*p == ' ' || (*p >= '\t' && *p <= '\r'))
        ++p;
    int negative = 0;
    if (*p == '+' || *p == '-')
        negative = *p++ == '-';
    if ((base == 0 || base == 16) && p[0] == '0' && (p[1] == 'x' || p[1] == 'X') && digit_value(p[2]) < 16) {
        p += 2;
        base = 16;
    } else if (base == 0) {
        base = *p == '0' ? 8 : 10;
    }
    unsigned long value = 0;
    const char* first = p;
    while (digit_value(*p) < base)
        value = value * (unsigned long)base + (unsigned long)digit_value(*p++);
    if (end)
        *end = (char*)(p == first ? text : p);
    return negative ? 0ul - value : value;
}

long strtol(const char* text, char** end, int base) { return (long)strtoul(text, end, base); }

int atoi(const char* text) { return (int)strtol(text, NULL, 10); }
