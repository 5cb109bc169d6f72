// The C++ runtime for user programs: allocation operators over malloc and
// the ABI hooks the compiler calls. No exceptions, no RTTI.
#include <new>
#include <stdio.h>
#include <stdlib.h>

void* operator new(size_t size)
{
    void* block = malloc(size);
    if (!block) {
        fputs("operator new: out of memory\n", stderr);
        abort();
    }
    return block;
}

void* operator new[](size_t size) { return operator new(size); }
void operator delete(void* block) noexcept { free(block); }
void operator delete[](void* block) noexcept { free(block); }
void operator delete(void* block, size_t) noexcept { free(block); }
void operator delete[](void* block, size_t) noexcept { free(block); }

extern "C" void __cxa_pure_virtual()
{
    fputs("pure virtual function called\n", stderr);
    abort();
}

// Function-local statics: the SDK builds with -fno-threadsafe-statics, but a
// program built without it still links.
extern "C" int __cxa_guard_acquire(unsigned long long* guard) { return *reinterpret_cast<char*>(guard) == 0; }
extern "C" void __cxa_guard_release(unsigned long long* guard) { *reinterpret_cast<char*>(guard) = 1; }
extern "C" void __cxa_guard_abort(unsigned long long*) {}
