// The pieces of the C++ runtime a freestanding kernel must provide itself:
// global constructors, pure-virtual and operator new/delete.
#include "kernel/debug/Panic.h"
#include "kernel/mm/KernelMemory.h"
#include "lib/New.h"

extern "C" {

using Constructor = void (*)();
extern Constructor __init_array_start[];
extern Constructor __init_array_end[];

void __cxa_pure_virtual()
{
    kernel::panic("pure virtual function called");
}

// Kernel objects with static storage live forever: nothing to register.
int __cxa_atexit(void (*)(void*), void*, void*) { return 0; }
void* __dso_handle = nullptr;

}

namespace kernel {

void run_global_constructors()
{
    for (Constructor* constructor = __init_array_start; constructor != __init_array_end; ++constructor)
        (*constructor)();
}

} // namespace kernel

// The kernel is built without exceptions, so a failing `new` returns null;
// callers that can fail use kmalloc or a create() factory and check.
void* operator new(size_t size) { return kernel::kmalloc(size); }
void* operator new[](size_t size) { return kernel::kmalloc(size); }
void operator delete(void* pointer) noexcept { kernel::kfree(pointer); }
void operator delete[](void* pointer) noexcept { kernel::kfree(pointer); }
void operator delete(void* pointer, size_t) noexcept { kernel::kfree(pointer); }
void operator delete[](void* pointer, size_t) noexcept { kernel::kfree(pointer); }
void* operator new(size_t size, const lib::NoThrowTag&) noexcept { return kernel::kmalloc(size); }
void* operator new[](size_t size, const lib::NoThrowTag&) noexcept { return kernel::kmalloc(size); }
