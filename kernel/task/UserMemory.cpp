#include "kernel/task/UserMemory.h"

#include "kernel/mm/Mmu.h"

extern "C" int copy_user_bytes(void* destination, const void* source, u32 count);

namespace task {

bool is_user_range(u32 address, size_t length)
{
    if (length == 0)
        return address <= mm::user_space_end;
    u64 end = u64(address) + length;
    return end <= mm::user_space_end;
}

ErrorOr<void> copy_from_user(void* destination, u32 user_source, size_t length)
{
    if (!is_user_range(user_source, length))
        return Error(ErrorCode::OutOfRange, "user pointer outside user space");
    if (length && copy_user_bytes(destination, reinterpret_cast<const void*>(user_source), length) != 0)
        return Error(ErrorCode::OutOfRange, "user pointer to unmapped memory");
    return {};
}

ErrorOr<void> copy_to_user(u32 user_destination, const void* source, size_t length)
{
    if (!is_user_range(user_destination, length))
        return Error(ErrorCode::OutOfRange, "user pointer outside user space");
    if (length && copy_user_bytes(reinterpret_cast<void*>(user_destination), source, length) != 0)
        return Error(ErrorCode::OutOfRange, "user pointer to unmapped memory");
    return {};
}

ErrorOr<size_t> copy_string_from_user(char* destination, size_t capacity, u32 user_source)
{
    for (size_t i = 0; i < capacity; ++i) {
        TRY(copy_from_user(destination + i, user_source + i, 1));
        if (destination[i] == '\0')
            return i;
    }
    if (capacity)
        destination[capacity - 1] = '\0';
    return Error(ErrorCode::InvalidArgument, "string too long");
}

} // namespace task
