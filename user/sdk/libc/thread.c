// thread_create with an SDK-allocated stack and a trampoline that ends the
// thread when its function returns.
#include <sys/mman.h>
#include <errno.h>
#include <unistd.h>

struct ThreadStart {
    void (*entry)(void*);
    void* argument;
};

static void trampoline(void* start_pointer)
{
    struct ThreadStart* start = start_pointer;
    start->entry(start->argument);
    sys_thread_exit(0);
}

int thread_create(void (*entry)(void*), void* argument, size_t stack_size)
{
    if (stack_size == 0)
        stack_size = 64 * 1024;
    stack_size = (stack_size + 4095) & ~(size_t)4095;
    char* stack = mmap(NULL, stack_size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (stack == MAP_FAILED)
        return -1;
    // The start record lives at the top of the new stack.
    struct ThreadStart* start = (struct ThreadStart*)(stack + stack_size) - 1;
    start->entry = entry;
    start->argument = argument;
    long id = sys_thread_create(trampoline, start, start);
    if (id < 0) {
        munmap(stack, stack_size);
        errno = (int)-id;
        return -1;
    }
    return (int)id;
}

void thread_exit(int status) { sys_thread_exit(status); }
