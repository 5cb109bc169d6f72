#include "kernel/mm/Heap.h"

#include "lib/Utility.h"

namespace mm::heap_detail {

// A block header: 16 bytes on i686, 32 on the 64-bit host.
struct alignas(16) Block {
    u32 magic;            // used_magic or free_magic; anything else is not a block
    size_t size;          // whole block, header included; a multiple of 16
    size_t previous_size; // size of the left neighbour, 0 for an arena's first block
    size_t requested;     // used blocks: the size the caller asked for
};

struct alignas(16) Arena {
    u32 magic;
    size_t size; // whole arena, header and sentinel included
    Arena* next;
};

// Free blocks keep their free-list links right after the header.
struct FreeLinks {
    Block* next;
    Block* previous;
};

} // namespace mm::heap_detail

namespace mm {

using heap_detail::Arena;
using heap_detail::Block;
using heap_detail::FreeLinks;

namespace {

constexpr u32 used_magic = 0xA110C8EDu;
constexpr u32 free_magic = 0xF4EEB10Cu;
constexpr u32 sentinel_magic = 0x5E7E1E55u;
constexpr u32 arena_magic = 0xA4E4A000u;

constexpr size_t granule = 16;
constexpr size_t header_size = sizeof(Block);
constexpr size_t arena_header_size = sizeof(Arena);
constexpr size_t links_size = sizeof(FreeLinks);
// Every block must be able to turn free and hold its links.
constexpr size_t minimum_block_size = lib::align_up(header_size + links_size, granule);
#if COLIBRI_HEAP_DEBUG
constexpr bool debug_checks = true;
constexpr size_t canary_minimum = 8;
#else
constexpr bool debug_checks = false;
constexpr size_t canary_minimum = 0;
#endif
// A request larger than this cannot be satisfied, and refusing it early keeps
// the size arithmetic below from overflowing.
constexpr size_t maximum_request = ~size_t(0) / 4;

static_assert(header_size % granule == 0, "user pointers must stay 16-byte aligned");
static_assert(arena_header_size % granule == 0, "blocks must start 16-byte aligned");

uintptr_t address_of(const void* pointer) { return reinterpret_cast<uintptr_t>(pointer); }
Block* block_at(uintptr_t address) { return reinterpret_cast<Block*>(address); }
FreeLinks& links_of(Block* block) { return *reinterpret_cast<FreeLinks*>(address_of(block) + header_size); }
Block* next_block(Block* block) { return block_at(address_of(block) + block->size); }
uintptr_t first_block_address(const Arena* arena) { return address_of(arena) + arena_header_size; }
uintptr_t sentinel_address(const Arena* arena) { return address_of(arena) + arena->size - header_size; }

size_t block_size_for(size_t requested)
{
    return lib::max(lib::align_up(header_size + requested + canary_minimum, granule), minimum_block_size);
}

void fill_bytes(uintptr_t start, uintptr_t end, u8 value)
{
    for (uintptr_t address = start; address < end; ++address)
        *reinterpret_cast<u8*>(address) = value;
}

// True when every byte of [start, end) holds `value`.
bool all_bytes_are(uintptr_t start, uintptr_t end, u8 value)
{
    for (uintptr_t address = start; address < end; ++address) {
        if (*reinterpret_cast<const u8*>(address) != value)
            return false;
    }
    return true;
}

void copy_bytes(void* destination, const void* source, size_t length)
{
    auto* to = static_cast<u8*>(destination);
    auto* from = static_cast<const u8*>(source);
    for (size_t i = 0; i < length; ++i)
        to[i] = from[i];
}

// Freed memory is poisoned except for the header and the free-list links.
void poison_free_payload(Block* block)
{
    if (debug_checks)
        fill_bytes(address_of(block) + header_size + links_size, address_of(block) + block->size, Heap::poison_byte);
}

} // namespace

size_t Heap::arena_overhead()
{
    return arena_header_size + header_size;
}

void Heap::fail(const char* message, const void* address)
{
    if (m_failure_handler)
        m_failure_handler(message, address);
}

void Heap::initialize(FailureHandler failure_handler, GrowCallback grow)
{
    *this = Heap {};
    m_failure_handler = failure_handler;
    m_grow = grow;
}

void Heap::add_arena(void* start, size_t size)
{
    uintptr_t const begin = lib::align_up(address_of(start), uintptr_t(granule));
    if (begin < address_of(start) || size < begin - address_of(start))
        return;
    size = lib::align_down(size - (begin - address_of(start)), granule);
    if (size < arena_overhead() + minimum_block_size)
        return;
    if (begin + size < begin)
        return; // wraps the address space
    for (Arena* arena = m_arenas; arena; arena = arena->next) {
        if (begin < address_of(arena) + arena->size && address_of(arena) < begin + size) {
            fail("heap: arena overlaps an existing arena", start);
            return;
        }
    }

    auto* arena = reinterpret_cast<Arena*>(begin);
    arena->magic = arena_magic;
    arena->size = size;
    arena->next = m_arenas;
    m_arenas = arena;
    ++m_arena_count;
    m_arena_bytes += size;

    Block* block = block_at(first_block_address(arena));
    block->magic = free_magic;
    block->size = size - arena_overhead();
    block->previous_size = 0;
    block->requested = 0;
    poison_free_payload(block);
    push_free(block);
    m_bytes_free += block->size;

    Block* sentinel = block_at(sentinel_address(arena));
    sentinel->magic = sentinel_magic;
    sentinel->size = 0;
    sentinel->previous_size = block->size;
    sentinel->requested = 0;
}

void Heap::push_free(Block* block)
{
    FreeLinks& links = links_of(block);
    links.previous = nullptr;
    links.next = m_free_list;
    if (m_free_list)
        links_of(m_free_list).previous = block;
    m_free_list = block;
    ++m_free_block_count;
}

void Heap::unlink_free(Block* block)
{
    FreeLinks& links = links_of(block);
    if (links.previous)
        links_of(links.previous).next = links.next;
    else
        m_free_list = links.next;
    if (links.next)
        links_of(links.next).previous = links.previous;
    --m_free_block_count;
}

Block* Heap::find_fit(size_t block_size, size_t alignment, uintptr_t& header_address)
{
    // Bounded by the free-block count so that a corrupted (cyclic) list
    // cannot hang the kernel.
    Block* block = m_free_list;
    for (size_t visited = 0; block && visited < m_free_block_count; ++visited, block = links_of(block).next) {
        if (block->magic != free_magic) {
            fail("heap: corrupted free list", block);
            return nullptr;
        }
        uintptr_t const start = address_of(block);
        uintptr_t const end = start + block->size;
        uintptr_t header = lib::align_up(start + header_size, uintptr_t(alignment)) - header_size;
        // A gap in front of the aligned block must be able to stand as a
        // free block of its own.
        if (header != start && header - start < minimum_block_size)
            header = lib::align_up(start + minimum_block_size + header_size, uintptr_t(alignment)) - header_size;
        if (header < end && end - header >= block_size) {
            header_address = header;
            return block;
        }
    }
    return nullptr;
}

void* Heap::carve(Block* free_block, uintptr_t header_address, size_t block_size, size_t requested)
{
    unlink_free(free_block);
    uintptr_t const start = address_of(free_block);
    uintptr_t const end = start + free_block->size;
    size_t previous_size = free_block->previous_size;
    m_bytes_free -= free_block->size;

    if (header_address != start) {
        // Keep the gap in front as a (smaller) free block; its payload is
        // still poisoned.
        free_block->size = header_address - start;
        push_free(free_block);
        m_bytes_free += free_block->size;
        previous_size = free_block->size;
    }

    Block* block = block_at(header_address);
    size_t remaining = end - header_address;
    if (remaining - block_size >= minimum_block_size) {
        // Split off the tail. Its right neighbour is not free (free blocks
        // are always coalesced), so no merge is needed.
        Block* tail = block_at(header_address + block_size);
        tail->magic = free_magic;
        tail->size = remaining - block_size;
        tail->previous_size = block_size;
        tail->requested = 0;
        push_free(tail);
        m_bytes_free += tail->size;
        next_block(tail)->previous_size = tail->size;
        remaining = block_size;
    }

    block->magic = used_magic;
    block->size = remaining;
    block->previous_size = previous_size;
    block->requested = requested;
    next_block(block)->previous_size = block->size;
    write_canary(block);

    m_bytes_in_use += block->size;
    ++m_allocations;
    return reinterpret_cast<void*>(header_address + header_size);
}

void* Heap::allocate(size_t size, size_t alignment)
{
    alignment = lib::max(alignment, minimum_alignment);
    if (!lib::is_power_of_two(alignment) || alignment > maximum_alignment || size > maximum_request)
        return nullptr;
    size_t const block_size = block_size_for(size);

    uintptr_t header_address = 0;
    Block* block = find_fit(block_size, alignment, header_address);
    if (!block && m_grow && !m_growing) {
        // Enough for the block, the worst alignment gap and a new arena's
        // bookkeeping. m_growing stops a callback that allocates from here
        // from recursing.
        m_growing = true;
        bool const grew = m_grow(*this, block_size + alignment + minimum_block_size + arena_overhead());
        m_growing = false;
        if (grew)
            block = find_fit(block_size, alignment, header_address);
    }
    if (!block)
        return nullptr;
    return carve(block, header_address, block_size, size);
}

Arena* Heap::arena_containing(uintptr_t address) const
{
    Arena* arena = m_arenas;
    for (size_t i = 0; arena && i < m_arena_count; ++i, arena = arena->next) {
        if (address >= first_block_address(arena) && address < sentinel_address(arena))
            return arena;
    }
    return nullptr;
}

void Heap::write_canary(Block* block)
{
    if (debug_checks) {
        uintptr_t const user = address_of(block) + header_size;
        fill_bytes(user + block->requested, address_of(block) + block->size, canary_byte);
    }
}

bool Heap::check_canary(Block* block)
{
    if (!debug_checks)
        return true;
    uintptr_t const user = address_of(block) + header_size;
    return all_bytes_are(user + block->requested, address_of(block) + block->size, canary_byte);
}

void Heap::report_bad_pointer(uintptr_t address)
{
    auto* pointer = reinterpret_cast<const void*>(address);
    Arena* arena = arena_containing(address);
    if (!arena) {
        fail("heap: free of pointer not from this heap", pointer);
        return;
    }
    // The pointer is inside an arena but has no used header: walk the arena
    // to say what it points into. This is the error path only.
    uintptr_t const sentinel = sentinel_address(arena);
    uintptr_t current = first_block_address(arena);
    while (current < sentinel) {
        Block* block = block_at(current);
        if ((block->magic != used_magic && block->magic != free_magic) || block->size < minimum_block_size
            || block->size % granule != 0 || block->size > sentinel - current) {
            fail("heap: corrupted block header", block);
            return;
        }
        if (address >= current && address < current + block->size) {
            if (block->magic == free_magic)
                fail("heap: double free (pointer into free memory)", pointer);
            else
                fail("heap: free of pointer into the middle of an allocation", pointer);
            return;
        }
        current += block->size;
    }
    fail("heap: free of pointer not from this heap", pointer);
}

Block* Heap::checked_used_block(void* pointer)
{
    uintptr_t const address = address_of(pointer);
    if (address % granule != 0) {
        if (arena_containing(address))
            fail("heap: free of pointer into the middle of an allocation", pointer);
        else
            fail("heap: free of pointer not from this heap", pointer);
        return nullptr;
    }
    Arena* arena = arena_containing(address);
    if (!arena || address - first_block_address(arena) < header_size) {
        fail("heap: free of pointer not from this heap", pointer);
        return nullptr;
    }
    Block* block = block_at(address - header_size);
    if (block->magic == free_magic) {
        fail("heap: double free", pointer);
        return nullptr;
    }
    if (block->magic != used_magic) {
        report_bad_pointer(address);
        return nullptr;
    }
    uintptr_t const room = sentinel_address(arena) - address_of(block);
    if (block->size % granule != 0 || block->size < minimum_block_size || block->size > room
        || block->requested > block->size - header_size) {
        fail("heap: corrupted block header", block);
        return nullptr;
    }
    if (!check_canary(block)) {
        fail("heap: buffer overflow past allocation", pointer);
        return nullptr;
    }
    Block* next = next_block(block);
    if ((next->magic != used_magic && next->magic != free_magic && next->magic != sentinel_magic)
        || next->previous_size != block->size) {
        fail("heap: corrupted block header after allocation", next);
        return nullptr;
    }
    return block;
}

void Heap::free(void* pointer)
{
    if (!pointer)
        return;
    Block* block = checked_used_block(pointer);
    if (!block)
        return;

    m_bytes_in_use -= block->size;
    ++m_frees;
    block->magic = free_magic;
    block->requested = 0;
    // Poison what the user owned; merged neighbours are already poisoned
    // apart from their headers and links, which are poisoned as they vanish.
    poison_free_payload(block);

    Block* next = next_block(block);
    if (next->magic == free_magic) {
        unlink_free(next);
        m_bytes_free -= next->size;
        block->size += next->size;
        if (debug_checks)
            fill_bytes(address_of(next), address_of(next) + header_size + links_size, poison_byte);
    }
    if (block->previous_size != 0) {
        Block* previous = block_at(address_of(block) - block->previous_size);
        if (previous->magic == free_magic) {
            unlink_free(previous);
            m_bytes_free -= previous->size;
            previous->size += block->size;
            if (debug_checks)
                fill_bytes(address_of(block), address_of(block) + header_size + links_size, poison_byte);
            block = previous;
        }
    }
    next_block(block)->previous_size = block->size;
    push_free(block);
    m_bytes_free += block->size;
}

void Heap::release_tail(Block* block, size_t new_size)
{
    // Turns the end of a used block into a free block, merging it with a free
    // right neighbour. The caller made sure the tail is at least a minimum block.
    Block* tail = block_at(address_of(block) + new_size);
    Block* next = next_block(block);
    size_t tail_size = block->size - new_size;
    m_bytes_in_use -= tail_size;
    block->size = new_size;
    if (next->magic == free_magic) {
        unlink_free(next);
        m_bytes_free -= next->size;
        tail_size += next->size;
        if (debug_checks)
            fill_bytes(address_of(next), address_of(next) + header_size + links_size, poison_byte);
    }
    tail->magic = free_magic;
    tail->size = tail_size;
    tail->previous_size = new_size;
    tail->requested = 0;
    // Only the part that was the user's needs poisoning; a merged neighbour
    // is poisoned already.
    if (debug_checks)
        fill_bytes(address_of(tail) + header_size + links_size, address_of(next), poison_byte);
    next_block(tail)->previous_size = tail_size;
    push_free(tail);
    m_bytes_free += tail_size;
}

void* Heap::reallocate(void* pointer, size_t size)
{
    if (!pointer)
        return allocate(size);
    if (size > maximum_request)
        return nullptr;
    Block* block = checked_used_block(pointer);
    if (!block)
        return nullptr;
    size_t const block_size = block_size_for(size);
    if (block_size <= block->size) {
        // Shrink (or grow within the slack) in place.
        if (block->size - block_size >= minimum_block_size)
            release_tail(block, block_size);
        block->requested = size;
        write_canary(block);
        return pointer;
    }
    void* moved = allocate(size);
    if (!moved)
        return nullptr;
    copy_bytes(moved, pointer, block->requested);
    free(pointer);
    return moved;
}

size_t Heap::allocation_size(void* pointer)
{
    Block* block = pointer ? checked_used_block(pointer) : nullptr;
    return block ? block->requested : 0;
}

bool Heap::validate()
{
    bool ok = true;
    size_t free_blocks_seen = 0;
    Arena* arena = m_arenas;
    for (size_t arena_index = 0; arena && arena_index < m_arena_count; ++arena_index, arena = arena->next) {
        if (arena->magic != arena_magic) {
            fail("heap: corrupted arena header", arena);
            return false;
        }
        uintptr_t const sentinel = sentinel_address(arena);
        uintptr_t current = first_block_address(arena);
        size_t previous_size = 0;
        bool previous_free = false;
        bool walk_ok = true;
        while (current < sentinel) {
            Block* block = block_at(current);
            if ((block->magic != used_magic && block->magic != free_magic) || block->size % granule != 0
                || block->size < minimum_block_size || block->size > sentinel - current) {
                fail("heap: corrupted block header", block);
                walk_ok = false;
                break;
            }
            if (block->previous_size != previous_size) {
                fail("heap: corrupted block header (boundary tag mismatch)", block);
                walk_ok = false;
                break;
            }
            bool const is_free = block->magic == free_magic;
            if (is_free) {
                ++free_blocks_seen;
                if (previous_free) {
                    fail("heap: adjacent free blocks not coalesced", block);
                    ok = false;
                }
                if (debug_checks
                    && !all_bytes_are(current + header_size + links_size, current + block->size, poison_byte)) {
                    fail("heap: write to freed memory (use after free)", block);
                    ok = false;
                }
            } else {
                if (block->requested > block->size - header_size) {
                    fail("heap: corrupted block header", block);
                    walk_ok = false;
                    break;
                }
                if (!check_canary(block)) {
                    fail("heap: buffer overflow past allocation", reinterpret_cast<void*>(current + header_size));
                    ok = false;
                }
            }
            previous_free = is_free;
            previous_size = block->size;
            current += block->size;
        }
        if (walk_ok) {
            Block* end = block_at(sentinel);
            if (current != sentinel || end->magic != sentinel_magic || end->previous_size != previous_size) {
                fail("heap: corrupted arena end", end);
                walk_ok = false;
            }
        }
        ok = ok && walk_ok;
    }

    // The free list must hold exactly the free blocks found by the walk.
    size_t listed = 0;
    for (Block* block = m_free_list; block; block = links_of(block).next) {
        if (listed == m_free_block_count || block->magic != free_magic || !arena_containing(address_of(block))) {
            fail("heap: corrupted free list", block);
            return false;
        }
        ++listed;
    }
    if (ok && listed != free_blocks_seen) {
        fail("heap: free list does not match the blocks", m_free_list);
        return false;
    }
    return ok;
}

Heap::Statistics Heap::statistics() const
{
    Statistics result {};
    result.arena_bytes = m_arena_bytes;
    result.bytes_in_use = m_bytes_in_use;
    result.bytes_free = m_bytes_free;
    result.allocations = m_allocations;
    result.frees = m_frees;
    result.live_allocations = m_allocations - m_frees;
    result.free_blocks = m_free_block_count;
    Block* block = m_free_list;
    for (size_t i = 0; block && i < m_free_block_count; ++i, block = links_of(block).next)
        result.largest_free_block = lib::max(result.largest_free_block, block->size);
    return result;
}

} // namespace mm
