// The kernel heap algorithm (the kernel wraps it as kmalloc/kfree and the
// global new/delete; tests run it on a plain buffer).
//
// Design: first fit over an explicit, doubly linked free list, with boundary
// tags (every block header records its own size and its left neighbour's) so
// that a freed block merges with both neighbours in O(1). First fit rather
// than segregated size classes because it is small enough to verify by
// reading, has no per-class tuning, and kernel allocations are few and
// long-lived; the free list can be split into size classes later without
// changing the block format.
//
// Memory comes in arenas (add_arena), which need not be contiguous; an arena
// is [Arena header][block][block]...[sentinel header]. Each block is
// [Block header][user bytes][slack]; block addresses and sizes are multiples
// of 16, so every user pointer is 16-byte aligned. Larger alignments (up to
// 4096) split a free block in front of the result.
//
// Defensive checks. Always: header magics tell used, free and foreign
// memory apart, so double frees, frees of pointers this heap never returned
// and smashed headers are reported instead of followed. With
// COLIBRI_HEAP_DEBUG (on by default) also: the slack after the user's bytes
// (at least 8 bytes) is filled with a canary that free, reallocate and
// validate check (buffer overflow), and freed memory is filled with a poison
// pattern that validate checks (write after free). Every problem goes to the
// FailureHandler with a message starting "heap: "; if the handler returns
// (tests), the offending block is left alone (leaked) so that the heap's own
// structures stay consistent.
//
// Not thread-safe: the kernel wraps it in a lock.
#pragma once

#include "lib/Types.h"

#ifndef COLIBRI_HEAP_DEBUG
#    define COLIBRI_HEAP_DEBUG 1
#endif

namespace mm {

namespace heap_detail {
struct Block;
struct Arena;
}

class Heap {
public:
    // Called on every detected problem. In the kernel it panics; in tests it
    // records the message. `address` is the pointer or block concerned.
    using FailureHandler = void (*)(const char* message, const void* address);
    // Called at most once per allocation that does not fit; may call
    // add_arena with at least `minimum_bytes`. Returns false if no memory.
    using GrowCallback = bool (*)(Heap&, size_t minimum_bytes);

    static constexpr size_t minimum_alignment = 16;
    static constexpr size_t maximum_alignment = 4096;
    // The byte written after the user's bytes, and over freed memory.
    static constexpr u8 canary_byte = 0xCB;
    static constexpr u8 poison_byte = 0xDD;

    struct Statistics {
        size_t arena_bytes;      // all bytes handed to add_arena (after alignment)
        size_t bytes_in_use;     // used blocks, headers and slack included
        size_t bytes_free;       // free blocks, headers included
        size_t allocations;      // successful allocate calls (and moving reallocates)
        size_t frees;            // successful frees (and moving reallocates)
        size_t live_allocations; // allocations - frees
        size_t free_blocks;      // length of the free list
        size_t largest_free_block; // bytes of the largest free block, header included
    };

    // Resets the heap to empty (forgets all arenas) and installs the
    // handlers. The failure handler must not be null.
    void initialize(FailureHandler failure_handler, GrowCallback grow = nullptr);

    // Hands [start, start + size) to the heap. The range is trimmed to 16-byte
    // alignment; one too small to hold a block, or overlapping an existing
    // arena (reported), is ignored.
    void add_arena(void* start, size_t size);

    // Returns `size` bytes aligned to `alignment` (raised to 16; must be a
    // power of two up to 4096, else nullptr). Size 0 yields a unique pointer.
    // When nothing fits, asks the grow callback once and retries; nullptr if
    // memory is still short.
    void* allocate(size_t size, size_t alignment = minimum_alignment);

    // Returns a block from allocate/reallocate. Null is ignored. Double
    // frees, foreign pointers and overflowed blocks are reported.
    void free(void* pointer);

    // Resizes an allocation, moving it if needed (the moved copy is 16-byte
    // aligned). Null behaves like allocate. On failure returns nullptr and
    // leaves the old allocation intact.
    void* reallocate(void* pointer, size_t size);

    // Walks every arena and the free list, checking headers, boundary tags,
    // canaries and poison; reports each problem found. True if all is well.
    bool validate();

    Statistics statistics() const;

    // The usable size of an allocation (what it was requested with).
    // 0 (and a report) for a pointer that is not a live allocation.
    size_t allocation_size(void* pointer);

    // Bytes of an arena not available to blocks (arena header, sentinel).
    // The minimum_bytes passed to the grow callback already includes it.
    static size_t arena_overhead();

private:
    using Block = heap_detail::Block;
    using Arena = heap_detail::Arena;

    Block* find_fit(size_t block_size, size_t alignment, uintptr_t& header_address);
    void* carve(Block* free_block, uintptr_t header_address, size_t block_size, size_t requested);
    // The used block behind `pointer` after every check, or null (reported).
    Block* checked_used_block(void* pointer);
    void report_bad_pointer(uintptr_t address);
    Arena* arena_containing(uintptr_t address) const;
    bool check_canary(Block* block);
    void write_canary(Block* block);
    void release_tail(Block* block, size_t new_size);
    void push_free(Block* block);
    void unlink_free(Block* block);
    void fail(const char* message, const void* address);

    FailureHandler m_failure_handler { nullptr };
    GrowCallback m_grow { nullptr };
    bool m_growing { false };
    Arena* m_arenas { nullptr };
    size_t m_arena_count { 0 };
    Block* m_free_list { nullptr };
    size_t m_free_block_count { 0 };
    size_t m_arena_bytes { 0 };
    size_t m_bytes_in_use { 0 };
    size_t m_bytes_free { 0 };
    size_t m_allocations { 0 };
    size_t m_frees { 0 };
};

} // namespace mm
