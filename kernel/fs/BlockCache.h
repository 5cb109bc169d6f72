// A bounded write-back cache of a BlockDevice, seen as a ByteStore.
//
// The cache holds up to `capacity_blocks` blocks of `block_size` bytes (a
// multiple of the sector size); least recently used clean blocks are evicted
// first. Writes only mark blocks dirty, as file data (write_data, fill_data)
// or as metadata (write, fill: anything else, such as a FAT or a directory).
// flush() writes the dirty data blocks back, then the dirty metadata blocks,
// each in ascending order, and then flushes the device. When every block is
// dirty and another is needed, the cache writes back its dirty data blocks
// (or, when only metadata is dirty, everything), so a write never fails for
// lack of cache space; write_back_data() does the same on request. Metadata
// therefore reaches the device only in flush() (or when it fills the cache),
// after the data it describes.
//
// Not thread-safe: the owner (a mounted volume) serialises calls.
#pragma once

#include "kernel/fs/BlockDevice.h"

namespace fs {

// Hits and misses count block lookups by read(), write() and fill(); a block
// moved by a bypass transfer (see read()) counts as a miss. The direct byte
// counts include those bypass transfers as well as read_direct/write_direct.
struct BlockCacheStatistics {
    u64 hits { 0 };
    u64 misses { 0 };
    u64 blocks_read { 0 };     // device reads into the cache (read-ahead included)
    u64 blocks_written { 0 };  // write-backs
    u64 direct_bytes_read { 0 };
    u64 direct_bytes_written { 0 };
    u32 dirty_blocks { 0 };
    u32 dirty_metadata_blocks { 0 }; // of dirty_blocks
    u32 cached_blocks { 0 };
};

class BlockCache final : public ByteStore {
public:
    // A cache of `device` (which must outlive it). NoMemory when the blocks
    // cannot be allocated; InvalidArgument for a block size that is not a
    // multiple of the device's sector size.
    static ErrorOr<BlockCache*> create(BlockDevice& device, u32 block_size = 4096, u32 capacity_blocks = 256);
    ~BlockCache() override;

    // Reads and writes that cover two or more whole blocks none of which is
    // cached bypass the cache and move straight between the device and the
    // caller's buffer (through an aligned staging buffer when the caller's is
    // not aligned), in transfers of up to max_transfer_sectors(). A
    // sequential reader that misses gets the following blocks read ahead.
    // The destructor discards dirty blocks (it cannot report a failed
    // write-back), so owners call flush() first.
    u64 size() const override;
    bool is_writable() const override;
    ErrorOr<void> read(u64 offset, void* buffer, size_t length) override;
    ErrorOr<void> write(u64 offset, const void* data, size_t length) override;
    ErrorOr<void> fill(u64 offset, u8 value, size_t length) override;
    ErrorOr<void> write_data(u64 offset, const void* data, size_t length) override;
    ErrorOr<void> fill_data(u64 offset, u8 value, size_t length) override;
    ErrorOr<void> flush() override;

    // Writes every dirty data block back (not the metadata, not a device
    // flush): relieves a cache that fills up with file contents without
    // putting half-finished structures on the device.
    ErrorOr<void> write_back_data();
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
    // A doubly linked list of blocks by index, most recently used at `head`.
    struct List {
        u32 head { 0xFFFFFFFFu };
        u32 tail { 0xFFFFFFFFu };
    };

    BlockCache(BlockDevice& device, u32 block_size, u32 capacity);
    ErrorOr<void> allocate_storage();

    u32 block_bytes(u64 number) const;
    u32 block_sectors(u64 number) const { return block_bytes(number) / m_sector_size; }
    u64 run_bytes(u64 first, u64 count) const;
    bool contains(u64 offset, u64 length) const;

    u32 bucket_of(u64 number) const;
    u32 find(u64 number) const;
    void index_insert(u32 index);
    void index_remove(u32 index);
    void list_unlink(List& list, u32 index);
    void list_push_front(List& list, u32 index);
    void list_push_back(List& list, u32 index);
    void touch(u32 index);
    void mark_dirty(u32 index, bool metadata);
    void release(u32 index);
    ErrorOr<u32> allocate(u64 number, bool may_write_back);

    ErrorOr<void> device_read(u64 sector, u64 count, u8* buffer);
    ErrorOr<void> device_write(u64 sector, u64 count, const u8* buffer);
    ErrorOr<u32> load_for_read(u64 number);
    ErrorOr<u32> block_for_write(u64 number, bool whole);
    u64 bypass_run(u64 number, size_t length) const;
    ErrorOr<void> bypass_read(u64 number, u64 count, u8* buffer);
    ErrorOr<void> bypass_write(u64 number, u64 count, const u8* source, u8 value);
    ErrorOr<void> write_bytes(u64 offset, const u8* source, u8 value, size_t length, bool metadata);

    u32 collect_range(u64 first, u64 last, bool dirty_only);
    u32 collect_dirty(bool metadata);
    ErrorOr<void> write_back_kind(bool metadata);
    void sort_scratch(u32 count);
    ErrorOr<void> write_back_sorted(u32 count);
    ErrorOr<void> write_back_all();
    ErrorOr<void> write_back_range(u64 first, u64 last);
    void requeue_cleaned();

    BlockDevice& m_device;
    u32 m_block_size;
    u32 m_capacity;
    u32 m_sector_size;
    u32 m_sectors_per_block;
    u32 m_buffer_alignment { 1 };
    u32 m_max_transfer { 1 };  // sectors per device call
    u64 m_block_count { 0 };   // blocks on the device; the last may be partial

    Block* m_blocks { nullptr };
    u8* m_data_allocation { nullptr };
    u32* m_buckets { nullptr }; // hash chains of in-use blocks by number
    u32 m_bucket_mask { 0 };
    u32* m_scratch { nullptr }; // `capacity` indices for sorting write-backs
    // A contiguous, device-aligned buffer of m_staging_blocks blocks for
    // coalesced write-backs, read-ahead and unaligned bypass transfers.
    u8* m_staging_allocation { nullptr };
    u8* m_staging { nullptr };
    u32 m_staging_blocks { 1 };
    u32 m_readahead_blocks { 1 };

    List m_clean;
    List m_dirty;
    u32 m_free_head { 0xFFFFFFFFu };
    u32 m_dirty_count { 0 };
    u32 m_dirty_metadata_count { 0 };
    u32 m_cached_count { 0 };
    u64 m_sequential_next { ~0ull }; // the block a sequential reader asks for next

    BlockCacheStatistics m_statistics {};
    u64 m_clock { 0 };
};

} // namespace fs
