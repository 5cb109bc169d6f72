// BlockCache over a fake device that logs every transfer, enforces its
// buffer alignment and transfer limit, and can fail chosen operations.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <memory>
#include <random>
#include <vector>

#include "kernel/fs/BlockCache.h"

using fs::BlockCache;

namespace {

struct Call {
    bool write;
    u64 first;
    u32 count;
};

class FakeDevice final : public fs::BlockDevice {
public:
    FakeDevice(u64 sectors, u32 alignment = 1, u32 max_transfer = 128, u32 sector_size = 512)
        : m_sector_size(sector_size), m_alignment(alignment), m_max_transfer(max_transfer), bytes(sectors * sector_size)
    {
    }

    StringView name() const override { return "fake0"; }
    u32 sector_size() const override { return m_sector_size; }
    u64 sector_count() const override { return bytes.size() / m_sector_size; }
    bool is_read_only() const override { return read_only; }
    u32 buffer_alignment() const override { return m_alignment; }
    u32 max_transfer_sectors() const override { return m_max_transfer; }

    ErrorOr<void> read(u64 first, u32 count, void* buffer) override
    {
        TRY(check(false, first, count, buffer));
        std::memcpy(buffer, bytes.data() + first * m_sector_size, static_cast<size_t>(count) * m_sector_size);
        sectors_read += count;
        return {};
    }

    ErrorOr<void> write(u64 first, u32 count, const void* buffer) override
    {
        if (read_only)
            return Error(ErrorCode::ReadOnly, "fake: read-only");
        TRY(check(true, first, count, buffer));
        std::memcpy(bytes.data() + first * m_sector_size, buffer, static_cast<size_t>(count) * m_sector_size);
        sectors_written += count;
        return {};
    }

    ErrorOr<void> flush() override
    {
        ++flushes;
        if (fail_flush)
            return Error(ErrorCode::IoError, "fake: flush failed");
        return {};
    }

    size_t reads() const { return count_calls(false); }
    size_t writes() const { return count_calls(true); }
    size_t count_calls(bool write) const
    {
        size_t n = 0;
        for (auto& call : log)
            n += call.write == write;
        return n;
    }

    u32 m_sector_size;
    u32 m_alignment;
    u32 m_max_transfer;
    std::vector<u8> bytes;
    std::vector<Call> log;
    bool read_only { false };
    bool fail_flush { false };
    bool fail_all_writes { false };
    bool fail_all_reads { false };
    int fail_countdown { 0 }; // >0: the Nth following transfer fails
    int violations { 0 };     // transfers that broke the device's rules
    u64 sectors_read { 0 };
    u64 sectors_written { 0 };
    u64 flushes { 0 };

private:
    ErrorOr<void> check(bool write, u64 first, u32 count, const void* buffer)
    {
        if (count == 0 || count > m_max_transfer || reinterpret_cast<uintptr_t>(buffer) % m_alignment) {
            ++violations;
            return Error(ErrorCode::InvalidArgument, "fake: transfer breaks the device rules");
        }
        if (first > sector_count() || count > sector_count() - first) {
            ++violations;
            return Error(ErrorCode::OutOfRange, "fake: past the end");
        }
        if (fail_countdown > 0 && --fail_countdown == 0)
            return Error(ErrorCode::IoError, "fake: injected failure");
        if ((write && fail_all_writes) || (!write && fail_all_reads))
            return Error(ErrorCode::IoError, "fake: injected failure");
        log.push_back({ write, first, count });
        return {};
    }
};

std::unique_ptr<BlockCache> make_cache(fs::BlockDevice& device, u32 block_size, u32 capacity)
{
    auto created = BlockCache::create(device, block_size, capacity);
    EXPECT_FALSE(created.is_error());
    if (created.is_error())
        return nullptr;
    return std::unique_ptr<BlockCache>(created.value());
}

std::vector<u8> pattern(size_t size, u32 seed)
{
    std::vector<u8> bytes(size);
    std::mt19937 random(seed);
    for (auto& byte : bytes)
        byte = static_cast<u8>(random());
    return bytes;
}

// An aligned heap buffer for direct transfers.
struct AlignedBuffer {
    AlignedBuffer(size_t size, size_t alignment) : storage(size + alignment)
    {
        uintptr_t address = reinterpret_cast<uintptr_t>(storage.data());
        data = storage.data() + (alignment - address % alignment) % alignment;
    }
    std::vector<u8> storage;
    u8* data;
};

} // namespace

TEST(BlockCache, CreateChecksArguments)
{
    FakeDevice device(64);
    EXPECT_EQ(BlockCache::create(device, 1000, 4).error().code(), ErrorCode::InvalidArgument);
    EXPECT_EQ(BlockCache::create(device, 0, 4).error().code(), ErrorCode::InvalidArgument);
    EXPECT_EQ(BlockCache::create(device, 4096, 0).error().code(), ErrorCode::InvalidArgument);
    auto cache = make_cache(device, 4096, 4);
    ASSERT_TRUE(cache);
    EXPECT_EQ(cache->size(), 64u * 512);
    EXPECT_TRUE(cache->is_writable());
    EXPECT_EQ(cache->direct_alignment(), 512u);
}

TEST(BlockCache, ReadAfterWriteIsBufferedUntilFlush)
{
    FakeDevice device(64);
    auto original = pattern(device.bytes.size(), 1);
    device.bytes = original;
    auto cache = make_cache(device, 4096, 4);
    auto data = pattern(5000, 2);
    ASSERT_FALSE(cache->write(1234, data.data(), data.size()).is_error());
    EXPECT_EQ(device.writes(), 0u);
    EXPECT_EQ(device.bytes, original);

    std::vector<u8> back(7000);
    ASSERT_FALSE(cache->read(1000, back.data(), back.size()).is_error());
    std::vector<u8> expected(original.begin() + 1000, original.begin() + 8000);
    std::memcpy(expected.data() + 234, data.data(), data.size());
    EXPECT_EQ(back, expected);

    ASSERT_FALSE(cache->flush().is_error());
    std::memcpy(original.data() + 1234, data.data(), data.size());
    EXPECT_EQ(device.bytes, original);
    EXPECT_EQ(device.flushes, 1u);
    EXPECT_EQ(cache->statistics().dirty_blocks, 0u);
}

TEST(BlockCache, RangesAreChecked)
{
    FakeDevice device(16);
    auto cache = make_cache(device, 4096, 4);
    u8 byte = 0;
    EXPECT_EQ(cache->read(16 * 512, &byte, 1).error().code(), ErrorCode::OutOfRange);
    EXPECT_EQ(cache->write(16 * 512 - 1, "ab", 2).error().code(), ErrorCode::OutOfRange);
    EXPECT_EQ(cache->fill(~0ull, 0, 2).error().code(), ErrorCode::OutOfRange);
    EXPECT_FALSE(cache->read(16 * 512, &byte, 0).is_error());
    EXPECT_FALSE(cache->write(16 * 512 - 1, "a", 1).is_error());
}

TEST(BlockCache, ReadOnlyDeviceRefusesWrites)
{
    FakeDevice device(16);
    device.read_only = true;
    auto cache = make_cache(device, 4096, 4);
    EXPECT_FALSE(cache->is_writable());
    EXPECT_EQ(cache->write(0, "a", 1).error().code(), ErrorCode::ReadOnly);
    EXPECT_EQ(cache->fill(0, 1, 1).error().code(), ErrorCode::ReadOnly);
    AlignedBuffer buffer(512, 512);
    EXPECT_EQ(cache->write_direct(0, buffer.data, 512).error().code(), ErrorCode::ReadOnly);
    u8 byte;
    EXPECT_FALSE(cache->read(0, &byte, 1).is_error());
}

TEST(BlockCache, EvictsCleanBlocksFirst)
{
    FakeDevice device(64);
    device.bytes = pattern(device.bytes.size(), 3);
    auto cache = make_cache(device, 512, 3);
    u8 byte;
    ASSERT_FALSE(cache->read(0, &byte, 1).is_error());         // block 0 clean
    ASSERT_FALSE(cache->write(512, "x", 1).is_error());        // block 1 dirty
    ASSERT_FALSE(cache->write(1024, "y", 1).is_error());       // block 2 dirty
    ASSERT_FALSE(cache->read(10 * 512, &byte, 1).is_error());  // evicts block 0
    ASSERT_FALSE(cache->read(20 * 512, &byte, 1).is_error());  // evicts block 10
    EXPECT_EQ(device.writes(), 0u);
    EXPECT_EQ(cache->statistics().dirty_blocks, 2u);
    EXPECT_EQ(cache->statistics().cached_blocks, 3u);
    size_t reads = device.reads();
    ASSERT_FALSE(cache->read(0, &byte, 1).is_error());
    EXPECT_EQ(device.reads(), reads + 1) << "block 0 should have been evicted";
    ASSERT_FALSE(cache->read(512, &byte, 1).is_error());
    EXPECT_EQ(byte, 'x');
    EXPECT_EQ(device.reads(), reads + 1) << "dirty block 1 must still be cached";
}

TEST(BlockCache, EvictionIsLeastRecentlyUsed)
{
    FakeDevice device(64);
    auto cache = make_cache(device, 512, 3);
    u8 byte;
    for (u64 block : { 0, 1, 2, 0, 3 }) // touching 0 makes 1 the oldest
        ASSERT_FALSE(cache->read(block * 512, &byte, 1).is_error());
    size_t reads = device.reads();
    ASSERT_FALSE(cache->read(0, &byte, 1).is_error());
    ASSERT_FALSE(cache->read(2 * 512, &byte, 1).is_error());
    ASSERT_FALSE(cache->read(3 * 512, &byte, 1).is_error());
    EXPECT_EQ(device.reads(), reads);
    ASSERT_FALSE(cache->read(1 * 512, &byte, 1).is_error());
    EXPECT_EQ(device.reads(), reads + 1);
}

TEST(BlockCache, WriteBackKeepsRecencyOrder)
{
    FakeDevice device(64);
    auto cache = make_cache(device, 512, 3);
    u8 byte;
    ASSERT_FALSE(cache->write(512, "a", 1).is_error());  // block 1, oldest
    ASSERT_FALSE(cache->write(1024, "b", 1).is_error()); // block 2
    ASSERT_FALSE(cache->read(0, &byte, 1).is_error());   // block 0, newest
    ASSERT_FALSE(cache->flush().is_error());
    ASSERT_FALSE(cache->read(3 * 512, &byte, 1).is_error()); // evicts block 1
    size_t reads = device.reads();
    ASSERT_FALSE(cache->read(0, &byte, 1).is_error());
    ASSERT_FALSE(cache->read(1024, &byte, 1).is_error());
    EXPECT_EQ(device.reads(), reads);
    ASSERT_FALSE(cache->read(512, &byte, 1).is_error());
    EXPECT_EQ(device.reads(), reads + 1);
}

TEST(BlockCache, AllDirtyWritesBackWhenSpaceIsNeeded)
{
    FakeDevice device(64);
    auto cache = make_cache(device, 512, 2);
    for (u64 block = 0; block < 10; ++block) {
        u8 value = static_cast<u8>(0x40 + block);
        ASSERT_FALSE(cache->fill(block * 512 + 7, value, 3).is_error());
    }
    EXPECT_LE(cache->statistics().dirty_blocks, 2u);
    EXPECT_GE(device.writes(), 1u);
    ASSERT_FALSE(cache->flush().is_error());
    for (u64 block = 0; block < 10; ++block) {
        EXPECT_EQ(device.bytes[block * 512 + 6], 0);
        EXPECT_EQ(device.bytes[block * 512 + 7], 0x40 + block);
        EXPECT_EQ(device.bytes[block * 512 + 9], 0x40 + block);
        EXPECT_EQ(device.bytes[block * 512 + 10], 0);
    }
    EXPECT_EQ(cache->statistics().blocks_written, 10u);
}

TEST(BlockCache, FlushWritesInAscendingOrderAndCoalesces)
{
    FakeDevice device(128);
    auto cache = make_cache(device, 4096, 16);
    for (u64 block : { 7, 3, 10, 4, 5, 0 })
        ASSERT_FALSE(cache->write(block * 4096 + 100, "dirty", 5).is_error());
    device.log.clear();
    ASSERT_FALSE(cache->flush().is_error());
    ASSERT_EQ(device.log.size(), 4u);
    EXPECT_EQ(device.log[0].first, 0u);
    EXPECT_EQ(device.log[0].count, 8u);
    EXPECT_EQ(device.log[1].first, 24u);
    EXPECT_EQ(device.log[1].count, 24u); // blocks 3-5 in one transfer
    EXPECT_EQ(device.log[2].first, 56u);
    EXPECT_EQ(device.log[3].first, 80u);
    for (auto& call : device.log)
        EXPECT_TRUE(call.write);
    EXPECT_EQ(device.flushes, 1u);
    for (u64 block : { 0, 3, 4, 5, 7, 10 })
        EXPECT_EQ(std::memcmp(device.bytes.data() + block * 4096 + 100, "dirty", 5), 0);
}

TEST(BlockCache, FlushWritesDataBeforeMetadata)
{
    FakeDevice device(128);
    auto cache = make_cache(device, 4096, 16);
    ASSERT_FALSE(cache->write(1 * 4096, "fat", 3).is_error());         // metadata
    ASSERT_FALSE(cache->write_data(9 * 4096, "data", 4).is_error());
    ASSERT_FALSE(cache->write(2 * 4096, "dir", 3).is_error());         // metadata
    ASSERT_FALSE(cache->write_data(0 * 4096, "data", 4).is_error());
    ASSERT_FALSE(cache->fill_data(12 * 4096, 0, 10).is_error());
    EXPECT_EQ(cache->statistics().dirty_blocks, 5u);
    EXPECT_EQ(cache->statistics().dirty_metadata_blocks, 2u);
    device.log.clear();
    ASSERT_FALSE(cache->flush().is_error());
    ASSERT_EQ(device.log.size(), 4u);
    EXPECT_EQ(device.log[0].first, 0u);       // data, ascending
    EXPECT_EQ(device.log[1].first, 9u * 8);
    EXPECT_EQ(device.log[2].first, 12u * 8);
    EXPECT_EQ(device.log[3].first, 1u * 8);   // then metadata, coalesced
    EXPECT_EQ(device.log[3].count, 16u);
    EXPECT_EQ(cache->statistics().dirty_metadata_blocks, 0u);
}

TEST(BlockCache, ABlockWithMetadataIsMetadata)
{
    FakeDevice device(64);
    auto cache = make_cache(device, 4096, 8);
    ASSERT_FALSE(cache->write_data(4096, "data", 4).is_error());
    ASSERT_FALSE(cache->write(4096 + 100, "entry", 5).is_error());
    ASSERT_FALSE(cache->write_data(4096 + 200, "more", 4).is_error());
    EXPECT_EQ(cache->statistics().dirty_metadata_blocks, 1u);
    device.log.clear();
    ASSERT_FALSE(cache->write_back_data().is_error());
    EXPECT_TRUE(device.log.empty());
    ASSERT_FALSE(cache->flush().is_error());
    EXPECT_EQ(std::memcmp(device.bytes.data() + 4096 + 100, "entry", 5), 0);
    EXPECT_EQ(std::memcmp(device.bytes.data() + 4096 + 200, "more", 4), 0);
}

TEST(BlockCache, PressureWritesBackDataButKeepsMetadata)
{
    FakeDevice device(256);
    auto cache = make_cache(device, 512, 4);
    ASSERT_FALSE(cache->write(0, "fat", 3).is_error());
    for (u64 block = 1; block < 4; ++block)
        ASSERT_FALSE(cache->fill_data(block * 512 + 1, 0x11, 10).is_error());
    // Every slot is dirty: the next block needs a write-back, of data only.
    for (u64 block = 10; block < 30; ++block)
        ASSERT_FALSE(cache->fill_data(block * 512 + 1, 0x22, 10).is_error());
    EXPECT_EQ(device.bytes[0], 0) << "metadata went out before a flush";
    EXPECT_EQ(device.bytes[512 + 1], 0x11);
    EXPECT_EQ(cache->statistics().dirty_metadata_blocks, 1u);
    for (auto& call : device.log)
        EXPECT_FALSE(call.write && call.first == 0);
    // With nothing but metadata dirty, the cache has to write that back.
    for (u64 block = 40; block < 48; ++block)
        ASSERT_FALSE(cache->fill(block * 512, 0x33, 1).is_error());
    EXPECT_GE(cache->statistics().blocks_written, 20u);
    ASSERT_FALSE(cache->flush().is_error());
    EXPECT_EQ(std::memcmp(device.bytes.data(), "fat", 3), 0);
    for (u64 block = 40; block < 48; ++block)
        EXPECT_EQ(device.bytes[block * 512], 0x33);
}

TEST(BlockCache, MetadataNeverBypassesTheCache)
{
    FakeDevice device(2048);
    auto cache = make_cache(device, 4096, 32);
    auto data = pattern(8 * 4096, 9);
    ASSERT_FALSE(cache->write(0, data.data(), data.size()).is_error());
    EXPECT_EQ(device.writes(), 0u);
    EXPECT_EQ(cache->statistics().dirty_metadata_blocks, 8u);
    ASSERT_FALSE(cache->write_data(64 * 4096, data.data(), data.size()).is_error());
    EXPECT_GT(device.writes(), 0u) << "large file data should bypass";
    ASSERT_FALSE(cache->flush().is_error());
    EXPECT_TRUE(std::equal(data.begin(), data.end(), device.bytes.begin()));
}

TEST(BlockCache, CoalescedWritesAreSplitAtTheTransferLimit)
{
    FakeDevice device(128, 1, 3);
    auto cache = make_cache(device, 512, 32);
    for (u64 block = 10; block < 20; ++block) // partial writes: no bypass
        ASSERT_FALSE(cache->fill(block * 512 + 1, 0xAB, 100).is_error());
    device.log.clear();
    ASSERT_FALSE(cache->flush().is_error());
    EXPECT_EQ(device.violations, 0);
    u64 next = 10;
    for (auto& call : device.log) {
        EXPECT_EQ(call.first, next);
        EXPECT_LE(call.count, 3u);
        next += call.count;
    }
    EXPECT_EQ(next, 20u);
    EXPECT_EQ(device.log.size(), 4u); // 3 + 3 + 3 + 1
}

TEST(BlockCache, FlushOfNothing)
{
    FakeDevice device(64);
    auto cache = make_cache(device, 4096, 4);
    ASSERT_FALSE(cache->flush().is_error());
    u8 buffer[100];
    ASSERT_FALSE(cache->read(5000, buffer, sizeof(buffer)).is_error());
    ASSERT_FALSE(cache->flush().is_error());
    EXPECT_EQ(device.writes(), 0u);
    EXPECT_EQ(device.flushes, 2u);
    device.fail_flush = true;
    EXPECT_EQ(cache->flush().error().code(), ErrorCode::IoError);
}

TEST(BlockCache, PartialLastBlock)
{
    FakeDevice device(10); // 5120 bytes: one full 4 KiB block and 1 KiB
    device.bytes = pattern(device.bytes.size(), 4);
    auto original = device.bytes;
    auto cache = make_cache(device, 4096, 4);
    EXPECT_EQ(cache->size(), 5120u);
    std::vector<u8> back(200);
    ASSERT_FALSE(cache->read(4000, back.data(), back.size()).is_error());
    EXPECT_TRUE(std::equal(back.begin(), back.end(), original.begin() + 4000));
    ASSERT_FALSE(cache->write(5120 - 100, original.data(), 100).is_error());
    device.log.clear();
    ASSERT_FALSE(cache->flush().is_error());
    ASSERT_EQ(device.log.size(), 1u);
    EXPECT_EQ(device.log[0].first, 8u);
    EXPECT_EQ(device.log[0].count, 2u);
    EXPECT_EQ(std::memcmp(device.bytes.data() + 5020, original.data(), 100), 0);
    EXPECT_EQ(device.violations, 0);

    // Whole-device transfers include the short block, cached or not.
    std::memcpy(original.data() + 5020, original.data(), 100);
    cache->drop_clean();
    std::vector<u8> all(5120);
    ASSERT_FALSE(cache->read(0, all.data(), all.size()).is_error());
    EXPECT_EQ(all, original);
    auto fresh = pattern(5120, 5);
    ASSERT_FALSE(cache->write(0, fresh.data(), fresh.size()).is_error());
    ASSERT_FALSE(cache->flush().is_error());
    EXPECT_EQ(device.bytes, fresh);
    // A write of exactly the short block needs no read.
    cache->drop_clean();
    size_t reads = device.reads();
    ASSERT_FALSE(cache->fill(4096, 0x11, 1024).is_error());
    EXPECT_EQ(device.reads(), reads);
    ASSERT_FALSE(cache->flush().is_error());
    EXPECT_EQ(device.bytes[5119], 0x11);
    EXPECT_EQ(device.violations, 0);
}

TEST(BlockCache, LargeTransfersBypassTheCacheButStayCoherent)
{
    FakeDevice device(2048, 64, 64); // 1 MiB, 32 KiB per transfer
    device.bytes = pattern(device.bytes.size(), 6);
    auto model = device.bytes;
    auto cache = make_cache(device, 4096, 8);

    // A dirty block in the middle of a large read must come from the cache.
    ASSERT_FALSE(cache->write(5 * 4096 + 10, "fresh", 5).is_error());
    std::memcpy(model.data() + 5 * 4096 + 10, "fresh", 5);
    std::vector<u8> big(64 * 4096 + 1); // +1: unaligned for the device's 64
    u8* out = big.data() + 1;
    device.log.clear();
    ASSERT_FALSE(cache->read(0, out, 64 * 4096).is_error());
    EXPECT_TRUE(std::equal(out, out + 64 * 4096, model.begin()));
    EXPECT_EQ(device.violations, 0);
    EXPECT_LE(device.log.size(), 16u) << "64 blocks should move in a few large transfers";
    EXPECT_GT(cache->statistics().direct_bytes_read, 0u);

    // A large write over a cached block updates the cached block too.
    auto data = pattern(32 * 4096, 7);
    ASSERT_FALSE(cache->write_data(0, data.data(), data.size()).is_error());
    std::memcpy(model.data(), data.data(), data.size());
    std::vector<u8> back(32 * 4096);
    ASSERT_FALSE(cache->read(0, back.data(), back.size()).is_error());
    EXPECT_EQ(back, data);
    ASSERT_FALSE(cache->flush().is_error());
    EXPECT_EQ(device.bytes, model);

    // Large fills bypass as well.
    ASSERT_FALSE(cache->fill_data(40 * 4096, 0x5A, 20 * 4096).is_error());
    std::memset(model.data() + 40 * 4096, 0x5A, 20 * 4096);
    ASSERT_FALSE(cache->flush().is_error());
    EXPECT_EQ(device.bytes, model);
    EXPECT_EQ(device.violations, 0);
}

TEST(BlockCache, SequentialSmallReadsAreReadAhead)
{
    FakeDevice device(4096, 1, 128); // 2 MiB
    device.bytes = pattern(device.bytes.size(), 8);
    auto cache = make_cache(device, 4096, 64);
    std::vector<u8> chunk(4096);
    for (u64 offset = 0; offset < device.bytes.size(); offset += chunk.size()) {
        ASSERT_FALSE(cache->read(offset, chunk.data(), chunk.size()).is_error());
        ASSERT_EQ(std::memcmp(chunk.data(), device.bytes.data() + offset, chunk.size()), 0);
    }
    // 512 blocks; read-ahead moves 16 blocks (64 KiB) per transfer.
    EXPECT_LE(device.reads(), 512u / 8);
    EXPECT_EQ(device.violations, 0);
}

TEST(BlockCache, DirectTransfersCheckAlignment)
{
    FakeDevice device(256, 1024);
    auto cache = make_cache(device, 4096, 4);
    EXPECT_EQ(cache->direct_alignment(), 1024u);
    AlignedBuffer buffer(8192, 1024);
    EXPECT_EQ(cache->read_direct(512, buffer.data, 1024).error().code(), ErrorCode::Misaligned);
    EXPECT_EQ(cache->read_direct(1024, buffer.data, 1000).error().code(), ErrorCode::Misaligned);
    EXPECT_EQ(cache->read_direct(1024, buffer.data + 512, 1024).error().code(), ErrorCode::Misaligned);
    EXPECT_EQ(cache->write_direct(1024, buffer.data + 1, 1024).error().code(), ErrorCode::Misaligned);
    EXPECT_EQ(cache->write_direct(3000, buffer.data, 1024).error().code(), ErrorCode::Misaligned);
    EXPECT_EQ(cache->read_direct(256 * 512, buffer.data, 1024).error().code(), ErrorCode::OutOfRange);
    EXPECT_FALSE(cache->read_direct(1024, buffer.data, 8192).is_error());
    EXPECT_FALSE(cache->write_direct(2048, buffer.data, 4096).is_error());
    EXPECT_EQ(cache->statistics().direct_bytes_read, 8192u);
    EXPECT_EQ(cache->statistics().direct_bytes_written, 4096u);
    EXPECT_EQ(device.violations, 0);
}

TEST(BlockCache, DirectReadSeesDirtyBlocks)
{
    FakeDevice device(64);
    auto cache = make_cache(device, 4096, 4);
    ASSERT_FALSE(cache->write(4096 + 700, "cached", 6).is_error());
    ASSERT_FALSE(cache->write(5 * 4096, "other", 5).is_error());
    AlignedBuffer buffer(2048, 512);
    ASSERT_FALSE(cache->read_direct(4096 + 512, buffer.data, 1024).is_error());
    EXPECT_EQ(std::memcmp(buffer.data + 188, "cached", 6), 0);
    EXPECT_EQ(std::memcmp(device.bytes.data() + 4096 + 700, "cached", 6), 0);
    // Only the overlapping block was written back.
    EXPECT_EQ(cache->statistics().dirty_blocks, 1u);
    EXPECT_EQ(device.bytes[5 * 4096], 0);
}

TEST(BlockCache, DirectWriteUpdatesCachedBlocks)
{
    FakeDevice device(64);
    device.bytes = pattern(device.bytes.size(), 9);
    auto cache = make_cache(device, 4096, 4);
    std::vector<u8> before(4096);
    ASSERT_FALSE(cache->read(0, before.data(), before.size()).is_error()); // block 0 clean
    ASSERT_FALSE(cache->write(4096 + 4000, "keep", 4).is_error());        // block 1 dirty
    AlignedBuffer buffer(4096, 512);
    std::memset(buffer.data, 0xEE, 4096);
    size_t reads = device.reads();
    ASSERT_FALSE(cache->write_direct(2048, buffer.data, 4096).is_error()); // 2048..6143
    std::vector<u8> back(8192);
    ASSERT_FALSE(cache->read(0, back.data(), back.size()).is_error());
    EXPECT_EQ(device.reads(), reads) << "both blocks should be served from the cache";
    EXPECT_TRUE(std::equal(back.begin(), back.begin() + 2048, before.begin()));
    for (size_t i = 2048; i < 6144; ++i)
        ASSERT_EQ(back[i], 0xEE) << i;
    EXPECT_EQ(std::memcmp(back.data() + 8096, "keep", 4), 0);
    ASSERT_FALSE(cache->flush().is_error());
    EXPECT_EQ(std::memcmp(device.bytes.data() + 8096, "keep", 4), 0);
    EXPECT_EQ(device.bytes[6143], 0xEE);
    EXPECT_EQ(device.bytes[2048], 0xEE);
}

TEST(BlockCache, FailedDirectWriteDropsCleanCopies)
{
    FakeDevice device(64);
    device.bytes = pattern(device.bytes.size(), 10);
    auto cache = make_cache(device, 4096, 4);
    u8 byte;
    ASSERT_FALSE(cache->read(0, &byte, 1).is_error());
    AlignedBuffer buffer(4096, 512);
    std::memset(buffer.data, 0x77, 4096);
    device.fail_countdown = 1;
    EXPECT_EQ(cache->write_direct(0, buffer.data, 4096).error().code(), ErrorCode::IoError);
    EXPECT_EQ(cache->statistics().cached_blocks, 0u);
}

TEST(BlockCache, FailedWriteBackKeepsBlocksDirty)
{
    FakeDevice device(64);
    auto cache = make_cache(device, 4096, 8);
    ASSERT_FALSE(cache->write(0, "first", 5).is_error());
    ASSERT_FALSE(cache->write(3 * 4096, "second", 6).is_error());
    device.fail_countdown = 2; // the first block goes out, the second fails
    auto result = cache->flush();
    ASSERT_TRUE(result.is_error());
    EXPECT_EQ(result.error().code(), ErrorCode::IoError);
    EXPECT_EQ(device.flushes, 0u) << "no device flush after a failed write-back";
    EXPECT_EQ(cache->statistics().dirty_blocks, 1u);
    EXPECT_EQ(std::memcmp(device.bytes.data(), "first", 5), 0);
    EXPECT_EQ(device.bytes[3 * 4096], 0);
    char back[6];
    ASSERT_FALSE(cache->read(3 * 4096, back, 6).is_error());
    EXPECT_EQ(std::memcmp(back, "second", 6), 0);
    cache->drop_clean();
    ASSERT_FALSE(cache->read(3 * 4096, back, 6).is_error());
    EXPECT_EQ(std::memcmp(back, "second", 6), 0);
    ASSERT_FALSE(cache->flush().is_error());
    EXPECT_EQ(std::memcmp(device.bytes.data() + 3 * 4096, "second", 6), 0);
    EXPECT_EQ(cache->statistics().dirty_blocks, 0u);
}

TEST(BlockCache, FailedEvictionFailsTheWriteButLosesNothing)
{
    FakeDevice device(64);
    auto cache = make_cache(device, 512, 2);
    ASSERT_FALSE(cache->write(0, "aa", 2).is_error());
    ASSERT_FALSE(cache->write(512, "bb", 2).is_error());
    device.fail_all_writes = true;
    EXPECT_EQ(cache->write(1024, "cc", 2).error().code(), ErrorCode::IoError);
    u8 buffer[2];
    EXPECT_EQ(cache->read(2048, buffer, 2).error().code(), ErrorCode::IoError);
    EXPECT_EQ(cache->statistics().dirty_blocks, 2u);
    ASSERT_FALSE(cache->read(0, buffer, 2).is_error());
    EXPECT_EQ(std::memcmp(buffer, "aa", 2), 0);
    device.fail_all_writes = false;
    ASSERT_FALSE(cache->write(1024, "cc", 2).is_error());
    ASSERT_FALSE(cache->flush().is_error());
    EXPECT_EQ(std::memcmp(device.bytes.data(), "aa", 2), 0);
    EXPECT_EQ(std::memcmp(device.bytes.data() + 512, "bb", 2), 0);
    EXPECT_EQ(std::memcmp(device.bytes.data() + 1024, "cc", 2), 0);
}

TEST(BlockCache, FailedReadCachesNothing)
{
    FakeDevice device(64);
    auto cache = make_cache(device, 4096, 4);
    device.fail_all_reads = true;
    u8 byte;
    EXPECT_EQ(cache->read(100, &byte, 1).error().code(), ErrorCode::IoError);
    EXPECT_EQ(cache->write(100, "x", 1).error().code(), ErrorCode::IoError) << "partial write needs a read";
    std::vector<u8> big(3 * 4096);
    EXPECT_EQ(cache->read(0, big.data(), big.size()).error().code(), ErrorCode::IoError);
    EXPECT_EQ(cache->statistics().cached_blocks, 0u);
    device.fail_all_reads = false;
    device.bytes[100] = 42;
    ASSERT_FALSE(cache->read(100, &byte, 1).is_error());
    EXPECT_EQ(byte, 42);
}

TEST(BlockCache, Statistics)
{
    FakeDevice device(64);
    auto cache = make_cache(device, 4096, 4);
    u8 byte;
    ASSERT_FALSE(cache->read(0, &byte, 1).is_error());    // miss
    ASSERT_FALSE(cache->read(10, &byte, 1).is_error());   // hit
    ASSERT_FALSE(cache->write(20, "a", 1).is_error());    // hit
    ASSERT_FALSE(cache->write(8192, "b", 1).is_error());  // miss, read
    ASSERT_FALSE(cache->fill(12288, 0, 4096).is_error()); // miss, whole block: no read
    auto stats = cache->statistics();
    EXPECT_EQ(stats.hits, 2u);
    EXPECT_EQ(stats.misses, 3u);
    EXPECT_EQ(stats.blocks_read, 2u);
    EXPECT_EQ(stats.blocks_written, 0u);
    EXPECT_EQ(stats.dirty_blocks, 3u);
    EXPECT_EQ(stats.cached_blocks, 3u);
    ASSERT_FALSE(cache->flush().is_error());
    stats = cache->statistics();
    EXPECT_EQ(stats.blocks_written, 3u);
    EXPECT_EQ(stats.dirty_blocks, 0u);
    EXPECT_EQ(stats.cached_blocks, 3u);
    cache->drop_clean();
    EXPECT_EQ(cache->statistics().cached_blocks, 0u);
}

// Random operations against a plain byte array, with a tiny cache, small
// blocks, a short last block, a transfer limit of 3 sectors and a 16-byte
// buffer alignment.
TEST(BlockCache, RandomOperationsMatchAByteArray)
{
    for (u32 capacity : { 2u, 3u, 5u }) {
        FakeDevice device(131, 16, 3); // 131 sectors: the last 1 KiB block is half full
        device.bytes = pattern(device.bytes.size(), 11);
        std::vector<u8> model = device.bytes;
        auto cache = make_cache(device, 1024, capacity);
        ASSERT_TRUE(cache);
        std::mt19937 random(1000 + capacity);
        const size_t size = model.size();
        std::vector<u8> buffer(size + 64);
        AlignedBuffer aligned(size, 512);
        // Random bytes to write, taken from a random place in this pool.
        auto noise = pattern(2 * size, 12 + capacity);
        auto pick_range = [&](u64& offset, size_t& length) {
            u32 shape = random() % 4;
            if (shape == 0)
                length = random() % 16;
            else if (shape == 1)
                length = random() % 3000;
            else if (shape == 2)
                length = 1024 * (random() % 8);
            else
                length = random() % size;
            length = std::min(length, size);
            offset = random() % (size - length + 1);
            if (random() % 2)
                offset = std::min<u64>(offset / 1024 * 1024, size - length);
        };
        for (int step = 0; step < 20000; ++step) {
            u32 operation = random() % 100;
            u64 offset;
            size_t length;
            pick_range(offset, length);
            u8* misaligned = buffer.data() + random() % 64;
            if (operation < 35) {
                ASSERT_FALSE(cache->read(offset, misaligned, length).is_error()) << step;
                ASSERT_EQ(std::memcmp(misaligned, model.data() + offset, length), 0) << "step " << step;
            } else if (operation < 65) {
                std::memcpy(misaligned, noise.data() + random() % size, length);
                ASSERT_FALSE(cache->write(offset, misaligned, length).is_error()) << step;
                std::memcpy(model.data() + offset, misaligned, length);
            } else if (operation < 75) {
                u8 value = static_cast<u8>(random());
                ASSERT_FALSE(cache->fill(offset, value, length).is_error()) << step;
                std::memset(model.data() + offset, value, length);
            } else if (operation < 85) {
                offset = offset / 512 * 512;
                length = std::min<size_t>(length / 512 * 512, size - offset);
                if (operation < 80) {
                    ASSERT_FALSE(cache->read_direct(offset, aligned.data, length).is_error()) << step;
                    ASSERT_EQ(std::memcmp(aligned.data, model.data() + offset, length), 0) << "step " << step;
                } else {
                    std::memcpy(aligned.data, noise.data() + random() % size, length);
                    ASSERT_FALSE(cache->write_direct(offset, aligned.data, length).is_error()) << step;
                    std::memcpy(model.data() + offset, aligned.data, length);
                }
            } else if (operation < 88) {
                cache->drop_clean();
            } else if (operation < 90) {
                ASSERT_FALSE(cache->flush().is_error());
                ASSERT_EQ(device.bytes, model) << "after flush at step " << step;
            }
            auto stats = cache->statistics();
            ASSERT_LE(stats.cached_blocks, capacity);
            ASSERT_LE(stats.dirty_blocks, stats.cached_blocks);
        }
        ASSERT_FALSE(cache->flush().is_error());
        EXPECT_EQ(device.bytes, model);
        EXPECT_EQ(device.violations, 0);
    }
}

// Random operations where some device transfers fail. A failed operation
// may have changed any bytes of its own range (like a real disk), so the
// model accepts either content there by re-reading the range; everything
// else must match, and a final successful flush must persist it.
TEST(BlockCache, RandomOperationsWithFailuresLoseNothingElse)
{
    FakeDevice device(67, 1, 4);
    std::vector<u8> model = device.bytes;
    auto cache = make_cache(device, 1024, 3);
    std::mt19937 random(77);
    const size_t size = model.size();
    std::vector<u8> buffer(size);
    for (int step = 0; step < 5000; ++step) {
        device.fail_countdown = random() % 4 == 0 ? static_cast<int>(1 + random() % 3) : 0;
        size_t length = std::min<size_t>(random() % 5000, size);
        u64 offset = random() % (size - length + 1);
        u32 operation = random() % 4;
        ErrorOr<void> result;
        if (operation == 0) {
            result = cache->read(offset, buffer.data(), length);
            if (!result.is_error())
                ASSERT_EQ(std::memcmp(buffer.data(), model.data() + offset, length), 0) << step;
            continue;
        }
        if (operation == 3) {
            result = cache->flush();
            if (!result.is_error())
                ASSERT_EQ(device.bytes, model) << step;
            continue;
        }
        for (size_t i = 0; i < length; ++i)
            buffer[i] = static_cast<u8>(random());
        result = cache->write(offset, buffer.data(), length);
        if (!result.is_error()) {
            std::memcpy(model.data() + offset, buffer.data(), length);
            continue;
        }
        // A failed write: adopt whatever the cache now holds in its range.
        device.fail_countdown = 0;
        std::vector<u8> now(length);
        ASSERT_FALSE(cache->read(offset, now.data(), length).is_error()) << step;
        std::memcpy(model.data() + offset, now.data(), length);
    }
    device.fail_countdown = 0;
    std::vector<u8> all(size);
    ASSERT_FALSE(cache->read(0, all.data(), size).is_error());
    EXPECT_EQ(all, model);
    ASSERT_FALSE(cache->flush().is_error());
    EXPECT_EQ(device.bytes, model);
    EXPECT_EQ(device.violations, 0);
}

// Not a pass/fail timing test: prints the sequential throughput over an
// in-memory device (under ASan in this build, so only relative numbers mean
// anything) and checks the transfer counts that make it fast.
TEST(BlockCache, SequentialThroughput)
{
    const size_t size = 64u << 20;
    FakeDevice device(size / 512, 1, 128);
    for (size_t i = 0; i < size; i += 4096)
        device.bytes[i] = static_cast<u8>(i >> 12);
    auto cache = make_cache(device, 4096, 256);
    std::vector<u8> chunk(1 << 20);
    auto measure = [&](const char* what, size_t step, bool write) {
        device.log.clear();
        auto start = std::chrono::steady_clock::now();
        for (size_t offset = 0; offset < size; offset += step) {
            auto result = write ? cache->write(offset, chunk.data(), step) : cache->read(offset, chunk.data(), step);
            if (result.is_error()) {
                ADD_FAILURE() << what << " failed at " << offset;
                return size_t(0);
            }
        }
        if (write && cache->flush().is_error())
            ADD_FAILURE() << what << ": flush failed";
        double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        std::printf("[ throughput ] %-28s %8.1f MiB/s, %zu device transfers\n", what, 64 / seconds, device.log.size());
        return device.log.size();
    };
    size_t transfers = measure("read, 4 KiB requests", 4096, false);
    EXPECT_LE(transfers, size / 4096 / 8);
    cache->drop_clean();
    transfers = measure("read, 1 MiB requests", 1 << 20, false);
    EXPECT_LE(transfers, size / (64 * 1024) + 1);
    transfers = measure("write, 4 KiB requests", 4096, true);
    EXPECT_LE(transfers, size / 4096 / 8);
    transfers = measure("write, 1 MiB requests", 1 << 20, true);
    EXPECT_LE(transfers, size / (64 * 1024) + 1);
    EXPECT_EQ(device.violations, 0);
}
