// The physical frame allocator: hands out 4 KiB frames of RAM.
//
// Why a bitmap and not a buddy allocator (for now): the state is tiny and
// flat (2 bits per 4 KiB frame, 64 KiB for 1 GiB of RAM, placed by the kernel
// right after its image, no metadata inside free frames that a stray write
// could corrupt); free is O(1); single-frame allocation, by far the common
// case (page tables, demand-zero pages, COW copies), is fast thanks to a
// next-free hint and skipping whole 32-frame words that have no free frame.
// Contiguous runs, where a buddy allocator shines, are rare for us (DMA
// buffers, the kernel heap's arenas) and a linear scan is acceptable there.
// Should they become hot, a buddy layer can sit on top of this one.
//
// Why two bits per frame rather than one: with a single "in use" bit the
// allocator could not tell a frame it handed out from a frame that was
// reserved (the kernel image, the first MiB) or that is not RAM at all, so
// freeing a reserved frame would silently put it into circulation. Each frame
// is in exactly one of four states:
//
//   absent    never added as RAM (holes, MMIO, beyond the memory map)
//   free      available for allocation
//   allocated handed out by allocate*/ owned by a caller
//   reserved  RAM withheld by reserve_range (kernel image, modules, bitmap)
//
// Not thread-safe: the kernel wraps it in a lock.
#pragma once

#include "lib/Error.h"
#include "lib/Types.h"

namespace mm {

constexpr size_t page_size = 4096;

class PhysicalFrameAllocator {
public:
    // Largest extent managed: 32-bit paging without PAE reaches 4 GiB.
    static constexpr PhysicalAddress addressable_limit = 0x1'0000'0000ull;

    // Bytes of bitmap storage needed to manage frames below `highest_end`
    // (rounded up to whole frames, clipped at 4 GiB); a multiple of 4.
    static size_t bitmap_bytes_for(PhysicalAddress highest_end);

    // Starts managing the frames below `highest_end`, all absent. The storage
    // (u32-aligned, owned by the caller, not touched by anything else) should
    // hold bitmap_bytes_for(highest_end) bytes; if it is smaller, only as many
    // frames as it can describe are managed. May be called again to start over.
    void initialize(u32* bitmap_storage, size_t storage_bytes, PhysicalAddress highest_end);

    // Makes the whole frames inside [base, base + length) free, clipped to the
    // managed range. For RAM from the memory map, and later for releasing a
    // reservation (e.g. the modules once the ramdisk is copied). Allocated
    // frames in the range are left allocated: their owner frees them.
    void add_free_range(PhysicalAddress base, u64 length);

    // Withholds every frame touching [base, base + length) (widened to whole
    // frames) that is currently free. Absent frames stay absent (they are
    // never handed out anyway); allocated frames stay with their owner.
    void reserve_range(PhysicalAddress base, u64 length);

    // One free frame, or NoMemory.
    ErrorOr<PhysicalAddress> allocate();

    // `frame_count` physically contiguous free frames whose first frame
    // number is a multiple of `alignment_frames` (a power of two). NoMemory
    // when no such run exists, InvalidArgument for a zero count or an
    // alignment that is not a power of two.
    ErrorOr<PhysicalAddress> allocate_contiguous(size_t frame_count, size_t alignment_frames = 1);

    // Returns an allocated frame. InvalidArgument (and no change) when the
    // address is not frame-aligned, outside the managed range, or the frame
    // is not allocated: already free (double free), reserved, or absent.
    ErrorOr<void> free(PhysicalAddress frame);

    // Returns `frame_count` frames starting at `base`. All or nothing: if any
    // of them could not be freed by free(), nothing is freed.
    ErrorOr<void> free_contiguous(PhysicalAddress base, size_t frame_count);

    // True when the frame containing `address` is free.
    bool is_free(PhysicalAddress address) const;
    // True when the frame containing `address` is allocated.
    bool is_allocated(PhysicalAddress address) const;

    // Frames that were ever added as free: usable RAM (free + allocated +
    // reserved-after-adding).
    size_t total_frames() const { return m_total_frames; }
    size_t free_frames() const { return m_free_frames; }
    // total_frames() - free_frames(): allocated plus reserved RAM.
    size_t used_frames() const { return m_total_frames - m_free_frames; }
    // Frames the bitmap describes (free or not).
    size_t managed_frames() const { return m_frame_count; }

private:
    enum class State : u8 { Absent, Free, Allocated, Reserved };

    State state_of(size_t frame) const;
    void set_state(size_t frame, State state);
    // Bitmask of the free frames in bitmap word `word`.
    u32 free_mask(size_t word) const;
    // Range [first, last) of whole frames inside [base, base + length), or
    // all frames touching it when `outward`; clipped to the managed range.
    void frame_span(PhysicalAddress base, u64 length, bool outward, size_t& first, size_t& last) const;
    ErrorOr<void> check_allocated(PhysicalAddress frame) const;

    // Two parallel bitmaps of m_word_count words each. For frame f in word w,
    // bit b: (m_high bit, m_low bit) = absent 00, free 01, allocated 11,
    // reserved 10. A frame is free exactly when low & ~high is set.
    u32* m_low { nullptr };
    u32* m_high { nullptr };
    size_t m_word_count { 0 };
    size_t m_frame_count { 0 };
    PhysicalAddress m_end { 0 }; // highest_end as given, clipped to what is managed
    size_t m_total_frames { 0 };
    size_t m_free_frames { 0 };
    size_t m_next_word { 0 }; // where the next single-frame search starts
};

} // namespace mm
