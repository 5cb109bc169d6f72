// Placement new. The host build takes it from the C++ library; the
// freestanding kernel and user builds define it themselves.
#pragma once

#include "lib/Types.h"

#if defined(COLIBRI_FREESTANDING)
inline void* operator new(size_t, void* where) noexcept { return where; }
inline void* operator new[](size_t, void* where) noexcept { return where; }
#else
#include <new>
#endif
