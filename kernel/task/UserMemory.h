// The one door to user memory. Every pointer a program passes is checked
// against user space (overflow-safe) and copied with fault recovery: an
// unmapped or forbidden page gives an error, never a kernel crash. Pages
// that are merely not present yet (demand paging, copy-on-write) are
// resolved transparently by the page-fault handler during the copy.
#pragma once

#include "lib/Error.h"
#include "lib/Types.h"

namespace task {

// True when [address, address + length) lies entirely in user space.
bool is_user_range(u32 address, size_t length);

ErrorOr<void> copy_from_user(void* destination, u32 user_source, size_t length);
ErrorOr<void> copy_to_user(u32 user_destination, const void* source, size_t length);
// Copies a NUL-terminated string of at most capacity-1 characters;
// OutOfRange when it does not fit, InvalidArgument (EFAULT) on a bad pointer.
ErrorOr<size_t> copy_string_from_user(char* destination, size_t capacity, u32 user_source);

template<typename T>
ErrorOr<T> read_user(u32 address)
{
    T value;
    TRY(copy_from_user(&value, address, sizeof(T)));
    return value;
}

template<typename T>
ErrorOr<void> write_user(u32 address, const T& value)
{
    return copy_to_user(address, &value, sizeof(T));
}

} // namespace task
