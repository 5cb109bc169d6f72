// Block devices: anything that stores fixed-size sectors (a disk, a
// partition of one, the ramdisk image). File systems never talk to a
// BlockDevice directly; they go through a ByteStore (usually a BlockCache).
#pragma once

#include "lib/Error.h"
#include "lib/String.h"
#include "lib/Types.h"

namespace fs {

class BlockDevice {
public:
    virtual ~BlockDevice() = default;

    // A short name for logs and the shell ("ata0", "virtio0", "ram0", "hd0p1").
    virtual StringView name() const = 0;
    // Bytes per sector: a power of two, 512 for every disk we drive today.
    virtual u32 sector_size() const { return 512; }
    virtual u64 sector_count() const = 0;
    virtual bool is_read_only() const { return false; }
    // The alignment (a power of two) a buffer must have for a direct
    // transfer; callers with unaligned memory bounce through the cache.
    virtual u32 buffer_alignment() const { return 1; }
    // The most sectors one read()/write() call may move; callers split.
    virtual u32 max_transfer_sectors() const { return 128; }

    // Moves `count` sectors starting at `first`. OutOfRange when the range
    // leaves the device, ReadOnly for a write to a read-only device, IoError
    // when the hardware reports a failure (with a context string saying how).
    virtual ErrorOr<void> read(u64 first, u32 count, void* buffer) = 0;
    virtual ErrorOr<void> write(u64 first, u32 count, const void* buffer) = 0;
    // Returns once every completed write is on stable storage.
    virtual ErrorOr<void> flush() { return {}; }

    u64 size_in_bytes() const { return sector_count() * sector_size(); }
};

// A device over bytes in memory (the ramdisk module, host tests). The memory
// is not copied and must outlive the device; a null `writable` image makes a
// read-only device.
class MemoryBlockDevice final : public BlockDevice {
public:
    MemoryBlockDevice(StringView name, const u8* image, u64 size)
        : m_name(name), m_image(image), m_size(size) { }
    MemoryBlockDevice(StringView name, u8* image, u64 size)
        : m_name(name), m_image(image), m_writable(image), m_size(size) { }

    StringView name() const override { return m_name; }
    u64 sector_count() const override { return m_size / 512; }
    bool is_read_only() const override { return m_writable == nullptr; }
    u32 max_transfer_sectors() const override { return 0xFFFF; }
    ErrorOr<void> read(u64 first, u32 count, void* buffer) override;
    ErrorOr<void> write(u64 first, u32 count, const void* buffer) override;

private:
    StringView m_name;
    const u8* m_image { nullptr };
    u8* m_writable { nullptr };
    u64 m_size { 0 };
};

// A window onto part of another device (a partition): sectors
// [first, first + count) of `parent`, which must outlive it.
class PartitionDevice final : public BlockDevice {
public:
    PartitionDevice(BlockDevice& parent, StringView name, u64 first, u64 count)
        : m_parent(parent), m_name(name), m_first(first), m_count(count) { }

    StringView name() const override { return m_name; }
    u32 sector_size() const override { return m_parent.sector_size(); }
    u64 sector_count() const override { return m_count; }
    bool is_read_only() const override { return m_parent.is_read_only(); }
    u32 buffer_alignment() const override { return m_parent.buffer_alignment(); }
    u32 max_transfer_sectors() const override { return m_parent.max_transfer_sectors(); }
    ErrorOr<void> read(u64 first, u32 count, void* buffer) override;
    ErrorOr<void> write(u64 first, u32 count, const void* buffer) override;
    ErrorOr<void> flush() override { return m_parent.flush(); }

    u64 first_sector() const { return m_first; }

private:
    BlockDevice& m_parent;
    StringView m_name;
    u64 m_first;
    u64 m_count;
};

// What a file system reads and writes: a flat range of bytes. Offsets are
// from the start of the volume. Implementations check every range
// (OutOfRange when it leaves the store).
class ByteStore {
public:
    virtual ~ByteStore() = default;
    virtual u64 size() const = 0;
    virtual bool is_writable() const = 0;
    virtual ErrorOr<void> read(u64 offset, void* buffer, size_t length) = 0;
    virtual ErrorOr<void> write(u64 offset, const void* data, size_t length) = 0;
    virtual ErrorOr<void> fill(u64 offset, u8 value, size_t length) = 0;
    // Writes back whatever is buffered and flushes the device below.
    virtual ErrorOr<void> flush() = 0;
    // write()/fill() for file contents rather than file-system structures.
    // A buffering store may write file contents back at any time, but keeps
    // structures (what write() and fill() put there) until flush(), which
    // writes contents first and structures last: a power cut then finds
    // structures from one flush or the next, never from the middle of an
    // operation. The default does not tell the two apart.
    virtual ErrorOr<void> write_data(u64 offset, const void* data, size_t length) { return write(offset, data, length); }
    virtual ErrorOr<void> fill_data(u64 offset, u8 value, size_t length) { return fill(offset, value, length); }
    // A transfer that bypasses any buffering (direct I/O): `offset`,
    // `length` and `buffer` must be aligned as direct_alignment() says
    // (Misaligned otherwise). Buffered data for the range is written back
    // (before a direct read) or dropped (after a direct write) so both paths
    // stay coherent. The default simply uses read()/write().
    virtual u32 direct_alignment() const { return 1; }
    virtual ErrorOr<void> read_direct(u64 offset, void* buffer, size_t length) { return read(offset, buffer, length); }
    virtual ErrorOr<void> write_direct(u64 offset, const void* data, size_t length) { return write(offset, data, length); }
};

// A ByteStore over memory (the boot ramdisk, host tests): no buffering.
class MemoryByteStore final : public ByteStore {
public:
    MemoryByteStore(const u8* image, u64 size) : m_image(image), m_size(size) { }
    MemoryByteStore(u8* image, u64 size) : m_image(image), m_writable(image), m_size(size) { }

    u64 size() const override { return m_size; }
    bool is_writable() const override { return m_writable != nullptr; }
    ErrorOr<void> read(u64 offset, void* buffer, size_t length) override;
    ErrorOr<void> write(u64 offset, const void* data, size_t length) override;
    ErrorOr<void> fill(u64 offset, u8 value, size_t length) override;
    ErrorOr<void> flush() override { return {}; }

    const u8* data() const { return m_image; }

private:
    bool contains(u64 offset, u64 length) const { return offset <= m_size && length <= m_size - offset; }

    const u8* m_image { nullptr };
    u8* m_writable { nullptr };
    u64 m_size { 0 };
};

} // namespace fs
