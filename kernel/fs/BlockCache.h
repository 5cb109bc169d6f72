// A bounded write-back cache of a BlockDevice, seen as a ByteStore.
//
// The cache holds up to `capacity_blocks` blocks of `block_size` bytes (a
// multiple of the sector size); least recently used clean blocks are evicted
// first. Writes only mark blocks dirty; flush() writes every dirty block back
// in ascending order and then flushes the device. When every block is dirty
// and another is needed, the cache writes back the least recently used dirty
// block first, so a write never fails for lack of cache space.
//
// Not thread-safe: the owner (a mounted volume) serialises calls.
#pragma once

#include "kernel/fs/BlockDevice.h"

namespace fs {

struct BlockCacheStatistics {
    u64 hits { 0 };
    u64 misses { 0 };
    u64 blocks_read { 0 };     // device reads into the cache
    u64 blocks_written { 0 };  // write-backs
    u64 direct_bytes_read { 0 };
    u64 direct_bytes_written { 0 };
    u32 dirty_blocks { 0 };
    u32 cached_blocks { 0 };
};

class BlockCache final : public ByteStore {
public:
    // A cache of `device` (which must outlive it). NoMemory when the blocks
    // cannot be allocated; InvalidArgument for a block size that is not a
    // multiple of the device's sector size.
    static ErrorOr<BlockCache*> create(BlockDevice& device, u32 block_size = 4096, u32 capacity_blocks = 256);
    ~BlockCache() override;

    u64 size() const override;
    bool is_writable() const override;
    ErrorOr<void> read(u64 offset, void* buffer, size_t length) override;
    ErrorOr<void> write(u64 offset, const void* data, size_t length) override;
    ErrorOr<void> fill(u64 offset, u8 value, size_t length) override;
    ErrorOr<void> flush() override;
    u32 direct_alignment() const override;
    ErrorOr<void> read_direct(u64 offset, void* buffer, size_t length) override;
    ErrorOr<void> write_direct(u64 offset, const void* data, size_t length) override;

    // Drops every clean block (dirty blocks stay); used by tests and after
    // an eject.
    void drop_clean();

    BlockCacheStatistics statistics() const;
    BlockDevice& device() { return m_device; }

private:
    struct Block;
    BlockCache(BlockDevice& device, u32 block_size, u32 capacity);

    BlockDevice& m_device;
    u32 m_block_size;
    u32 m_capacity;
    // Implementation state (see BlockCache.cpp).
    Block* m_blocks { nullptr };
    u8* m_data { nullptr };
    void* m_index { nullptr };
    BlockCacheStatistics m_statistics {};
    u64 m_clock { 0 };
};

} // namespace fs
