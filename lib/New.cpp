// Host side of lib::nothrow allocation (the kernel defines it in
// kernel/runtime/CxxRuntime.cpp over its heap).
#include "lib/New.h"

#if !defined(COLIBRI_FREESTANDING)
void* operator new(size_t size, const lib::NoThrowTag&) noexcept { return ::operator new(size, std::nothrow); }
void* operator new[](size_t size, const lib::NoThrowTag&) noexcept { return ::operator new[](size, std::nothrow); }
#endif
