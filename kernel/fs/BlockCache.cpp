// The block cache. Every in-use block is in the hash index (chained, keyed by
// block number) and in exactly one of two recency lists, clean or dirty; the
// unused slots form a free chain. Keeping clean and dirty blocks apart makes
// "evict the least recently used clean block" O(1). When no clean block is
// left, every dirty data block (or, if there is none, every dirty block) is
// written back at once, sorted and coalesced: one big write costs little more
// than the single block the caller needs, and the following misses then find
// clean victims.
//
// Write-back order is what keeps a power cut harmless: data blocks go first
// and metadata blocks (FAT, directories) only in flush(), after the data, so
// the device never holds metadata from the middle of an operation and the
// window in which it holds metadata from two different flushes is only as
// long as writing the metadata blocks themselves.
//
// Invariant: a block with `dirty` set is in m_dirty, and its data differs (or
// may differ) from the device; a block is only marked clean after the
// device accepted its write-back.
#include "kernel/fs/BlockCache.h"

#include "lib/New.h"
#include "lib/Utility.h"

namespace fs {

namespace {

constexpr u32 no_block = 0xFFFFFFFFu;
// The staging buffer (coalesced write-back, read-ahead) holds at most this
// many bytes, or one block when blocks are larger.
constexpr u32 staging_limit = 128 * 1024;
// Whole uncached blocks in one request from which the cache is bypassed. A
// single block goes through the cache so small metadata reads are cached.
constexpr u64 min_bypass_blocks = 2;

uintptr_t address_of(const void* pointer) { return reinterpret_cast<uintptr_t>(pointer); }

u8* align_pointer(u8* pointer, u32 alignment)
{
    return reinterpret_cast<u8*>(lib::align_up(address_of(pointer), static_cast<uintptr_t>(alignment)));
}

} // namespace

struct BlockCache::Block {
    u64 number { 0 };
    u8* data { nullptr };
    u64 last_use { 0 };
    u32 previous { no_block }; // neighbours in the clean or dirty list
    u32 next { no_block };     // (or the free chain)
    u32 hash_next { no_block };
    bool in_use { false };
    bool dirty { false };
    bool metadata { false }; // a dirty block that holds metadata
};

ErrorOr<BlockCache*> BlockCache::create(BlockDevice& device, u32 block_size, u32 capacity_blocks)
{
    u32 sector_size = device.sector_size();
    if (sector_size == 0 || block_size == 0 || block_size % sector_size != 0)
        return Error(ErrorCode::InvalidArgument, "block cache: block size is not a multiple of the sector size");
    if (capacity_blocks == 0)
        return Error(ErrorCode::InvalidArgument, "block cache: zero capacity");
    auto* cache = new (lib::nothrow) BlockCache(device, block_size, capacity_blocks);
    if (!cache)
        return Error(ErrorCode::NoMemory, "block cache object");
    auto storage = cache->allocate_storage();
    if (storage.is_error()) {
        delete cache;
        return storage.error();
    }
    return cache;
}

BlockCache::BlockCache(BlockDevice& device, u32 block_size, u32 capacity)
    : m_device(device)
    , m_block_size(block_size)
    , m_capacity(capacity)
    , m_sector_size(device.sector_size())
    , m_sectors_per_block(block_size / device.sector_size())
{
    m_max_transfer = lib::max(device.max_transfer_sectors(), 1u);
    u64 bytes = device.size_in_bytes();
    m_block_count = bytes / block_size + (bytes % block_size ? 1 : 0);
}

ErrorOr<void> BlockCache::allocate_storage()
{
    m_buffer_alignment = lib::max(m_device.buffer_alignment(), 1u);
    if (!lib::is_power_of_two(m_buffer_alignment))
        return Error(ErrorCode::InvalidArgument, "block cache: device buffer alignment is not a power of two");

    // Each block starts on the device's buffer alignment so device reads can
    // land in it directly.
    u64 stride = lib::align_up<u64>(m_block_size, m_buffer_alignment);
    u64 staging_bytes_limit = lib::min<u64>(static_cast<u64>(m_max_transfer) * m_sector_size, staging_limit);
    m_staging_blocks = static_cast<u32>(lib::max<u64>(staging_bytes_limit / m_block_size, 1));
    m_readahead_blocks = lib::max(lib::min(m_staging_blocks, m_capacity / 2), 1u);
    u64 data_bytes = stride * m_capacity + m_buffer_alignment;
    u64 staging_bytes = static_cast<u64>(m_staging_blocks) * m_block_size + m_buffer_alignment;
    if (data_bytes > 0x7FFFFFFF || staging_bytes > 0x7FFFFFFF || m_capacity > 0x10000000)
        return Error(ErrorCode::NoMemory, "block cache larger than the address space");

    u32 buckets = 1;
    while (buckets < m_capacity * 2)
        buckets *= 2;

    m_data_allocation = new (lib::nothrow) u8[static_cast<size_t>(data_bytes)];
    m_staging_allocation = new (lib::nothrow) u8[static_cast<size_t>(staging_bytes)];
    m_blocks = new (lib::nothrow) Block[m_capacity];
    m_buckets = new (lib::nothrow) u32[buckets];
    m_scratch = new (lib::nothrow) u32[m_capacity];
    if (!m_data_allocation || !m_staging_allocation || !m_blocks || !m_buckets || !m_scratch)
        return Error(ErrorCode::NoMemory, "block cache buffers");

    m_staging = align_pointer(m_staging_allocation, m_buffer_alignment);
    u8* data = align_pointer(m_data_allocation, m_buffer_alignment);
    m_bucket_mask = buckets - 1;
    for (u32 i = 0; i < buckets; ++i)
        m_buckets[i] = no_block;
    for (u32 i = 0; i < m_capacity; ++i) {
        m_blocks[i].data = data + stride * i;
        m_blocks[i].next = i + 1 < m_capacity ? i + 1 : no_block;
    }
    m_free_head = 0;
    return {};
}

BlockCache::~BlockCache()
{
    delete[] m_data_allocation;
    delete[] m_staging_allocation;
    delete[] m_blocks;
    delete[] m_buckets;
    delete[] m_scratch;
}

u64 BlockCache::size() const { return m_device.size_in_bytes(); }

bool BlockCache::is_writable() const { return !m_device.is_read_only(); }

u32 BlockCache::direct_alignment() const { return lib::max(m_sector_size, m_buffer_alignment); }

bool BlockCache::contains(u64 offset, u64 length) const
{
    u64 total = size();
    return offset <= total && length <= total - offset;
}

u32 BlockCache::block_bytes(u64 number) const
{
    if (number + 1 < m_block_count)
        return m_block_size;
    return static_cast<u32>(size() - number * m_block_size);
}

u64 BlockCache::run_bytes(u64 first, u64 count) const
{
    return (count - 1) * m_block_size + block_bytes(first + count - 1);
}

// ---- index and lists ----

u32 BlockCache::bucket_of(u64 number) const
{
    // Fibonacci hashing: the multiply spreads consecutive block numbers.
    return static_cast<u32>((number * 0x9E3779B97F4A7C15ull) >> 32) & m_bucket_mask;
}

u32 BlockCache::find(u64 number) const
{
    for (u32 i = m_buckets[bucket_of(number)]; i != no_block; i = m_blocks[i].hash_next) {
        if (m_blocks[i].number == number)
            return i;
    }
    return no_block;
}

void BlockCache::index_insert(u32 index)
{
    u32& head = m_buckets[bucket_of(m_blocks[index].number)];
    m_blocks[index].hash_next = head;
    head = index;
}

void BlockCache::index_remove(u32 index)
{
    u32* link = &m_buckets[bucket_of(m_blocks[index].number)];
    while (*link != index)
        link = &m_blocks[*link].hash_next;
    *link = m_blocks[index].hash_next;
    m_blocks[index].hash_next = no_block;
}

void BlockCache::list_unlink(List& list, u32 index)
{
    Block& block = m_blocks[index];
    if (block.previous != no_block)
        m_blocks[block.previous].next = block.next;
    else
        list.head = block.next;
    if (block.next != no_block)
        m_blocks[block.next].previous = block.previous;
    else
        list.tail = block.previous;
    block.previous = block.next = no_block;
}

void BlockCache::list_push_front(List& list, u32 index)
{
    Block& block = m_blocks[index];
    block.previous = no_block;
    block.next = list.head;
    if (list.head != no_block)
        m_blocks[list.head].previous = index;
    else
        list.tail = index;
    list.head = index;
}

void BlockCache::list_push_back(List& list, u32 index)
{
    Block& block = m_blocks[index];
    block.next = no_block;
    block.previous = list.tail;
    if (list.tail != no_block)
        m_blocks[list.tail].next = index;
    else
        list.head = index;
    list.tail = index;
}

void BlockCache::touch(u32 index)
{
    List& list = m_blocks[index].dirty ? m_dirty : m_clean;
    list_unlink(list, index);
    list_push_front(list, index);
    m_blocks[index].last_use = ++m_clock;
}

void BlockCache::mark_dirty(u32 index, bool metadata)
{
    Block& block = m_blocks[index];
    if (metadata && !block.metadata) {
        block.metadata = true;
        ++m_dirty_metadata_count;
    }
    if (!block.dirty) {
        list_unlink(m_clean, index);
        block.dirty = true;
        ++m_dirty_count;
        list_push_front(m_dirty, index);
        block.last_use = ++m_clock;
    } else {
        touch(index);
    }
}

// Returns a clean block's slot to the free chain.
void BlockCache::release(u32 index)
{
    Block& block = m_blocks[index];
    list_unlink(m_clean, index);
    index_remove(index);
    block.in_use = false;
    block.next = m_free_head;
    m_free_head = index;
    --m_cached_count;
}

// A slot for block `number` (not yet in the cache), entered in the index and
// the clean list; its data is left for the caller to fill. Takes a free slot,
// else the least recently used clean block, else (if `may_write_back`)
// writes every dirty block back first.
ErrorOr<u32> BlockCache::allocate(u64 number, bool may_write_back)
{
    if (m_free_head == no_block) {
        if (m_clean.tail == no_block) {
            if (!may_write_back)
                return Error(ErrorCode::NoSpace, "block cache: every block is dirty");
            if (m_dirty_count > m_dirty_metadata_count)
                TRY(write_back_data());
            else
                TRY(write_back_all());
        }
        release(m_clean.tail);
    }
    u32 index = m_free_head;
    Block& block = m_blocks[index];
    m_free_head = block.next;
    block.number = number;
    block.in_use = true;
    block.dirty = false;
    block.metadata = false;
    block.last_use = ++m_clock;
    index_insert(index);
    list_push_front(m_clean, index);
    ++m_cached_count;
    return index;
}

// ---- device transfers ----

ErrorOr<void> BlockCache::device_read(u64 sector, u64 count, u8* buffer)
{
    while (count) {
        u32 step = static_cast<u32>(lib::min<u64>(count, m_max_transfer));
        TRY(m_device.read(sector, step, buffer));
        sector += step;
        count -= step;
        buffer += static_cast<size_t>(step) * m_sector_size;
    }
    return {};
}

ErrorOr<void> BlockCache::device_write(u64 sector, u64 count, const u8* buffer)
{
    while (count) {
        u32 step = static_cast<u32>(lib::min<u64>(count, m_max_transfer));
        TRY(m_device.write(sector, step, buffer));
        sector += step;
        count -= step;
        buffer += static_cast<size_t>(step) * m_sector_size;
    }
    return {};
}

// Loads block `number` for a read miss. When the reader is sequential (it
// asks for the block after the one it read last), the following uncached
// blocks are read in the same device transfer, into free or clean slots only.
ErrorOr<u32> BlockCache::load_for_read(u64 number)
{
    u64 start_clock = m_clock;
    u32 index = TRY(allocate(number, true));
    u32 window = 1;
    if (number == m_sequential_next) {
        while (window < m_readahead_blocks && number + window < m_block_count && find(number + window) == no_block)
            ++window;
    }
    u8* target = window == 1 ? m_blocks[index].data : m_staging;
    auto result = device_read(number * m_sectors_per_block, run_bytes(number, window) / m_sector_size, target);
    if (result.is_error()) {
        release(index);
        return result.error();
    }
    ++m_statistics.blocks_read;
    if (window == 1)
        return index;
    __builtin_memcpy(m_blocks[index].data, m_staging, block_bytes(number));
    for (u32 k = 1; k < window; ++k) {
        // Never evict what this read-ahead just brought in (or the block
        // the caller asked for).
        if (m_free_head == no_block && (m_clean.tail == no_block || m_blocks[m_clean.tail].last_use > start_clock))
            break;
        auto ahead = allocate(number + k, false);
        if (ahead.is_error())
            break;
        __builtin_memcpy(m_blocks[ahead.value()].data, m_staging + static_cast<size_t>(k) * m_block_size,
            block_bytes(number + k));
        ++m_statistics.blocks_read;
    }
    // The requested block is the most recent: the caller uses it first.
    touch(index);
    return index;
}

// The block to modify for a write: cached, or a new slot that is read from
// the device unless the write covers all of it.
ErrorOr<u32> BlockCache::block_for_write(u64 number, bool whole)
{
    u32 index = find(number);
    if (index != no_block) {
        ++m_statistics.hits;
        return index;
    }
    ++m_statistics.misses;
    index = TRY(allocate(number, true));
    if (!whole) {
        auto result = device_read(number * m_sectors_per_block, block_sectors(number), m_blocks[index].data);
        if (result.is_error()) {
            release(index);
            return result.error();
        }
        ++m_statistics.blocks_read;
    }
    return index;
}

// How many blocks from `number` on are uncached and wholly covered by a
// request of `length` bytes starting at the beginning of `number`.
u64 BlockCache::bypass_run(u64 number, size_t length) const
{
    u64 count = 0;
    u64 remaining = length;
    while (number + count < m_block_count && remaining >= block_bytes(number + count)
        && find(number + count) == no_block) {
        remaining -= block_bytes(number + count);
        ++count;
    }
    return count;
}

ErrorOr<void> BlockCache::bypass_read(u64 number, u64 count, u8* buffer)
{
    if (address_of(buffer) % m_buffer_alignment == 0)
        return device_read(number * m_sectors_per_block, run_bytes(number, count) / m_sector_size, buffer);
    while (count) {
        u64 step = lib::min<u64>(count, m_staging_blocks);
        u64 bytes = run_bytes(number, step);
        TRY(device_read(number * m_sectors_per_block, bytes / m_sector_size, m_staging));
        __builtin_memcpy(buffer, m_staging, static_cast<size_t>(bytes));
        buffer += bytes;
        number += step;
        count -= step;
    }
    return {};
}

// Writes `count` uncached whole blocks from `source`, or filled with `value`
// when `source` is null.
ErrorOr<void> BlockCache::bypass_write(u64 number, u64 count, const u8* source, u8 value)
{
    if (source && address_of(source) % m_buffer_alignment == 0)
        return device_write(number * m_sectors_per_block, run_bytes(number, count) / m_sector_size, source);
    if (!source)
        __builtin_memset(m_staging, value, static_cast<size_t>(m_staging_blocks) * m_block_size);
    while (count) {
        u64 step = lib::min<u64>(count, m_staging_blocks);
        u64 bytes = run_bytes(number, step);
        if (source) {
            __builtin_memcpy(m_staging, source, static_cast<size_t>(bytes));
            source += bytes;
        }
        TRY(device_write(number * m_sectors_per_block, bytes / m_sector_size, m_staging));
        number += step;
        count -= step;
    }
    return {};
}

// ---- buffered access ----

ErrorOr<void> BlockCache::read(u64 offset, void* buffer, size_t length)
{
    if (!contains(offset, length))
        return Error(ErrorCode::OutOfRange, "read outside the volume");
    u8* out = static_cast<u8*>(buffer);
    while (length) {
        u64 number = offset / m_block_size;
        u32 within = static_cast<u32>(offset % m_block_size);
        if (within == 0) {
            u64 run = bypass_run(number, length);
            if (run >= min_bypass_blocks) {
                TRY(bypass_read(number, run, out));
                u64 bytes = run_bytes(number, run);
                m_statistics.misses += run;
                m_statistics.direct_bytes_read += bytes;
                m_sequential_next = number + run;
                out += bytes;
                offset += bytes;
                length -= static_cast<size_t>(bytes);
                continue;
            }
        }
        u32 index = find(number);
        if (index != no_block) {
            ++m_statistics.hits;
            touch(index);
        } else {
            ++m_statistics.misses;
            index = TRY(load_for_read(number));
        }
        size_t chunk = lib::min<size_t>(length, block_bytes(number) - within);
        __builtin_memcpy(out, m_blocks[index].data + within, chunk);
        m_sequential_next = number + 1;
        out += chunk;
        offset += chunk;
        length -= chunk;
    }
    return {};
}

ErrorOr<void> BlockCache::write_bytes(u64 offset, const u8* source, u8 value, size_t length, bool metadata)
{
    if (m_device.is_read_only())
        return Error(ErrorCode::ReadOnly, "the device is read-only");
    if (!contains(offset, length))
        return Error(ErrorCode::OutOfRange, "write outside the volume");
    while (length) {
        u64 number = offset / m_block_size;
        u32 within = static_cast<u32>(offset % m_block_size);
        // Metadata never bypasses the cache: it must wait for flush().
        if (within == 0 && !metadata) {
            u64 run = bypass_run(number, length);
            if (run >= min_bypass_blocks) {
                TRY(bypass_write(number, run, source, value));
                u64 bytes = run_bytes(number, run);
                m_statistics.misses += run;
                m_statistics.direct_bytes_written += bytes;
                if (source)
                    source += bytes;
                offset += bytes;
                length -= static_cast<size_t>(bytes);
                continue;
            }
        }
        size_t chunk = lib::min<size_t>(length, block_bytes(number) - within);
        u32 index = TRY(block_for_write(number, within == 0 && chunk == block_bytes(number)));
        if (source) {
            __builtin_memcpy(m_blocks[index].data + within, source, chunk);
            source += chunk;
        } else {
            __builtin_memset(m_blocks[index].data + within, value, chunk);
        }
        mark_dirty(index, metadata);
        offset += chunk;
        length -= chunk;
    }
    return {};
}

ErrorOr<void> BlockCache::write(u64 offset, const void* data, size_t length)
{
    if (length && !data)
        return Error(ErrorCode::InvalidArgument, "write from a null buffer");
    return write_bytes(offset, static_cast<const u8*>(data), 0, length, true);
}

ErrorOr<void> BlockCache::fill(u64 offset, u8 value, size_t length)
{
    return write_bytes(offset, nullptr, value, length, true);
}

ErrorOr<void> BlockCache::write_data(u64 offset, const void* data, size_t length)
{
    if (length && !data)
        return Error(ErrorCode::InvalidArgument, "write from a null buffer");
    return write_bytes(offset, static_cast<const u8*>(data), 0, length, false);
}

ErrorOr<void> BlockCache::fill_data(u64 offset, u8 value, size_t length)
{
    return write_bytes(offset, nullptr, value, length, false);
}

// ---- write-back ----

// Puts the in-use blocks numbered first..last (all of them, or only the
// dirty ones) into m_scratch and returns how many. Probes the index per
// block number or walks the lists, whichever is shorter.
u32 BlockCache::collect_range(u64 first, u64 last, bool dirty_only)
{
    u32 count = 0;
    u32 population = dirty_only ? m_dirty_count : m_cached_count;
    if (last - first < population) {
        for (u64 number = first; number <= last; ++number) {
            u32 index = find(number);
            if (index != no_block && (!dirty_only || m_blocks[index].dirty))
                m_scratch[count++] = index;
        }
        return count;
    }
    for (u32 index = m_dirty.head; index != no_block; index = m_blocks[index].next) {
        if (m_blocks[index].number >= first && m_blocks[index].number <= last)
            m_scratch[count++] = index;
    }
    if (!dirty_only) {
        for (u32 index = m_clean.head; index != no_block; index = m_blocks[index].next) {
            if (m_blocks[index].number >= first && m_blocks[index].number <= last)
                m_scratch[count++] = index;
        }
    }
    return count;
}

// Heap sort of m_scratch[0..count) by block number: in place, O(n log n),
// no recursion.
void BlockCache::sort_scratch(u32 count)
{
    auto key = [&](u32 position) { return m_blocks[m_scratch[position]].number; };
    auto sift_down = [&](u32 root, u32 end) {
        while (2 * root + 1 < end) {
            u32 child = 2 * root + 1;
            if (child + 1 < end && key(child + 1) > key(child))
                ++child;
            if (key(root) >= key(child))
                return;
            lib::swap(m_scratch[root], m_scratch[child]);
            root = child;
        }
    };
    for (u32 start = count / 2; start-- > 0;)
        sift_down(start, count);
    for (u32 end = count; end > 1; --end) {
        lib::swap(m_scratch[0], m_scratch[end - 1]);
        sift_down(0, end - 1);
    }
}

// Writes the dirty blocks m_scratch[0..count) (sorted by number) back, runs
// of consecutive blocks in one transfer through the staging buffer. Blocks
// are marked clean as their transfer succeeds but stay in the dirty list
// until requeue_cleaned(); the first failure stops the write-back and leaves
// the rest dirty.
ErrorOr<void> BlockCache::write_back_sorted(u32 count)
{
    u32 position = 0;
    while (position < count) {
        u32 end = position + 1;
        while (end < count && end - position < m_staging_blocks
            && m_blocks[m_scratch[end]].number == m_blocks[m_scratch[end - 1]].number + 1)
            ++end;
        u32 blocks = end - position;
        u64 first = m_blocks[m_scratch[position]].number;
        const u8* source = m_blocks[m_scratch[position]].data;
        if (blocks > 1) {
            for (u32 k = 0; k < blocks; ++k) {
                Block& block = m_blocks[m_scratch[position + k]];
                u8* target = m_staging + static_cast<size_t>(k) * m_block_size;
                __builtin_memcpy(target, block.data, block_bytes(block.number));
            }
            source = m_staging;
        }
        TRY(device_write(first * m_sectors_per_block, run_bytes(first, blocks) / m_sector_size, source));
        for (u32 k = position; k < end; ++k) {
            Block& block = m_blocks[m_scratch[k]];
            block.dirty = false;
            if (block.metadata) {
                block.metadata = false;
                --m_dirty_metadata_count;
            }
            --m_dirty_count;
            ++m_statistics.blocks_written;
        }
        position = end;
    }
    return {};
}

// Moves the blocks that write_back_sorted() cleaned from the dirty list to
// the clean list, merging by last use so eviction order stays true LRU.
void BlockCache::requeue_cleaned()
{
    List cleaned;
    for (u32 index = m_dirty.head; index != no_block;) {
        u32 next = m_blocks[index].next;
        if (!m_blocks[index].dirty) {
            list_unlink(m_dirty, index);
            list_push_back(cleaned, index);
        }
        index = next;
    }
    if (cleaned.head == no_block)
        return;
    List merged;
    u32 a = m_clean.head;
    u32 b = cleaned.head;
    while (a != no_block || b != no_block) {
        u32 take;
        if (b == no_block || (a != no_block && m_blocks[a].last_use >= m_blocks[b].last_use)) {
            take = a;
            a = m_blocks[a].next;
        } else {
            take = b;
            b = m_blocks[b].next;
        }
        list_push_back(merged, take);
    }
    m_clean = merged;
}

// Puts the dirty blocks of one kind (data or metadata) into m_scratch.
u32 BlockCache::collect_dirty(bool metadata)
{
    u32 count = 0;
    for (u32 index = m_dirty.head; index != no_block; index = m_blocks[index].next) {
        if (m_blocks[index].metadata == metadata)
            m_scratch[count++] = index;
    }
    return count;
}

ErrorOr<void> BlockCache::write_back_kind(bool metadata)
{
    u32 count = collect_dirty(metadata);
    if (count == 0)
        return {};
    sort_scratch(count);
    auto result = write_back_sorted(count);
    requeue_cleaned();
    return result;
}

ErrorOr<void> BlockCache::write_back_data() { return write_back_kind(false); }

// Data first, then metadata: see the top of this file.
ErrorOr<void> BlockCache::write_back_all()
{
    TRY(write_back_kind(false));
    return write_back_kind(true);
}

ErrorOr<void> BlockCache::write_back_range(u64 first, u64 last)
{
    u32 count = collect_range(first, last, true);
    if (count == 0)
        return {};
    sort_scratch(count);
    auto result = write_back_sorted(count);
    requeue_cleaned();
    return result;
}

ErrorOr<void> BlockCache::flush()
{
    TRY(write_back_all());
    return m_device.flush();
}

// ---- direct transfers ----

ErrorOr<void> BlockCache::read_direct(u64 offset, void* buffer, size_t length)
{
    u32 alignment = direct_alignment();
    if (offset % alignment || length % alignment || address_of(buffer) % alignment)
        return Error(ErrorCode::Misaligned, "direct read: offset, length or buffer not aligned");
    if (!contains(offset, length))
        return Error(ErrorCode::OutOfRange, "read outside the volume");
    if (length == 0)
        return {};
    TRY(write_back_range(offset / m_block_size, (offset + length - 1) / m_block_size));
    TRY(device_read(offset / m_sector_size, length / m_sector_size, static_cast<u8*>(buffer)));
    m_statistics.direct_bytes_read += length;
    return {};
}

ErrorOr<void> BlockCache::write_direct(u64 offset, const void* data, size_t length)
{
    if (m_device.is_read_only())
        return Error(ErrorCode::ReadOnly, "the device is read-only");
    u32 alignment = direct_alignment();
    if (offset % alignment || length % alignment || address_of(data) % alignment)
        return Error(ErrorCode::Misaligned, "direct write: offset, length or buffer not aligned");
    if (!contains(offset, length))
        return Error(ErrorCode::OutOfRange, "write outside the volume");
    if (length == 0)
        return {};
    auto result = device_write(offset / m_sector_size, length / m_sector_size, static_cast<const u8*>(data));
    u32 count = collect_range(offset / m_block_size, (offset + length - 1) / m_block_size, false);
    for (u32 k = 0; k < count; ++k) {
        u32 index = m_scratch[k];
        Block& block = m_blocks[index];
        if (result.is_error()) {
            // The device may hold any mix of old and new sectors now: a
            // clean copy can no longer be trusted. A dirty block keeps its
            // data and is written back later, which wins either way.
            if (!block.dirty)
                release(index);
            continue;
        }
        // Copy the overlap so the cached block matches what was written; a
        // dirty block stays dirty for the bytes outside the overlap.
        u64 block_start = block.number * m_block_size;
        u64 start = lib::max(block_start, offset);
        u64 end = lib::min(block_start + block_bytes(block.number), offset + length);
        const u8* source = static_cast<const u8*>(data) + (start - offset);
        __builtin_memcpy(block.data + (start - block_start), source, static_cast<size_t>(end - start));
    }
    if (result.is_error())
        return result.error();
    m_statistics.direct_bytes_written += length;
    return {};
}

void BlockCache::drop_clean()
{
    while (m_clean.tail != no_block)
        release(m_clean.tail);
}

BlockCacheStatistics BlockCache::statistics() const
{
    BlockCacheStatistics result = m_statistics;
    result.dirty_blocks = m_dirty_count;
    result.dirty_metadata_blocks = m_dirty_metadata_count;
    result.cached_blocks = m_cached_count;
    return result;
}

} // namespace fs
