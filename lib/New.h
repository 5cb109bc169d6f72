// Placement new and a non-throwing `new`. The host build takes placement new
// from the C++ library; the freestanding kernel and user builds define it.
//
// The kernel is built without exceptions, but clang still assumes a plain
// `new` never returns null (the global operator new is not noexcept), so a
// null check after it is optimised away. Fallible allocations therefore use
// `new (lib::nothrow) T(...)`: that overload is noexcept, so the compiler
// keeps the check and the constructor is skipped when it returns null.
#pragma once

#include "lib/Types.h"

#if defined(COLIBRI_FREESTANDING)
inline void* operator new(size_t, void* where) noexcept { return where; }
inline void* operator new[](size_t, void* where) noexcept { return where; }
#else
#include <new>
#endif

namespace lib {
struct NoThrowTag {
    explicit NoThrowTag() = default;
};
inline constexpr NoThrowTag nothrow {};
} // namespace lib

void* operator new(size_t size, const lib::NoThrowTag&) noexcept;
void* operator new[](size_t size, const lib::NoThrowTag&) noexcept;
