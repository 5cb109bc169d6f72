#include "kernel/fs/BlockDevice.h"

namespace fs {

namespace {

bool range_inside(u64 first, u64 count, u64 total) { return first <= total && count <= total - first; }

} // namespace

ErrorOr<void> MemoryBlockDevice::read(u64 first, u32 count, void* buffer)
{
    if (!range_inside(first, count, sector_count()))
        return Error(ErrorCode::OutOfRange, "read past the end of the device");
    if (count)
        __builtin_memcpy(buffer, m_image + first * 512, static_cast<size_t>(count) * 512);
    return {};
}

ErrorOr<void> MemoryBlockDevice::write(u64 first, u32 count, const void* buffer)
{
    if (!m_writable)
        return Error(ErrorCode::ReadOnly, "the device is read-only");
    if (!range_inside(first, count, sector_count()))
        return Error(ErrorCode::OutOfRange, "write past the end of the device");
    if (count)
        __builtin_memcpy(m_writable + first * 512, buffer, static_cast<size_t>(count) * 512);
    return {};
}

ErrorOr<void> PartitionDevice::read(u64 first, u32 count, void* buffer)
{
    if (!range_inside(first, count, m_count))
        return Error(ErrorCode::OutOfRange, "read past the end of the partition");
    return m_parent.read(m_first + first, count, buffer);
}

ErrorOr<void> PartitionDevice::write(u64 first, u32 count, const void* buffer)
{
    if (!range_inside(first, count, m_count))
        return Error(ErrorCode::OutOfRange, "write past the end of the partition");
    return m_parent.write(m_first + first, count, buffer);
}

ErrorOr<void> MemoryByteStore::read(u64 offset, void* buffer, size_t length)
{
    if (!contains(offset, length))
        return Error(ErrorCode::OutOfRange, "read outside the volume");
    if (length)
        __builtin_memcpy(buffer, m_image + offset, length);
    return {};
}

ErrorOr<void> MemoryByteStore::write(u64 offset, const void* data, size_t length)
{
    if (!m_writable)
        return Error(ErrorCode::ReadOnly, "the volume is read-only");
    if (!contains(offset, length))
        return Error(ErrorCode::OutOfRange, "write outside the volume");
    if (length)
        __builtin_memmove(m_writable + offset, data, length);
    return {};
}

ErrorOr<void> MemoryByteStore::fill(u64 offset, u8 value, size_t length)
{
    if (!m_writable)
        return Error(ErrorCode::ReadOnly, "the volume is read-only");
    if (!contains(offset, length))
        return Error(ErrorCode::OutOfRange, "write outside the volume");
    if (length)
        __builtin_memset(m_writable + offset, value, length);
    return {};
}

} // namespace fs
