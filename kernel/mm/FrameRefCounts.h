// Reference counts of physical frames: one 16-bit counter per 4 KiB frame in
// a table the caller provides (the kernel sizes it by the frame allocator).
// A frame is shared by every page table entry that maps it (copy-on-write
// after fork, shared mappings); it goes back to the allocator when its count
// reaches zero. The kernel's FrameProvider wraps this with a lock.
//
// Failures are reported through return values and never wrap around: a count
// that would exceed max_count, or drop below zero, is left unchanged, because
// a wrapped count would free a frame that is still mapped somewhere.
#pragma once

#include "lib/Types.h"

namespace mm {

class FrameRefCounts {
public:
    static constexpr u32 max_count = 0xFFFF;
    // What decrement() returns when the count was already zero (a bug in the
    // caller: a reference dropped twice).
    static constexpr u32 underflow = 0xFFFFFFFF;

    // Starts using `storage` (frame_count counters, owned by the caller) for
    // the frames [0, frame_count * 4096). The storage is used as it is:
    // callers zero it first when starting from scratch.
    void initialize(u16* storage, size_t frame_count);

    // The count of the frame containing `frame`; 0 for frames outside the table.
    u32 get(PhysicalAddress frame) const;
    // Sets the count. Returns false (and changes nothing) when the frame is
    // outside the table or `count` exceeds max_count.
    bool set(PhysicalAddress frame, u32 count);
    // Adds one reference and returns the new count, or 0 (count unchanged)
    // when the frame is outside the table or already at max_count.
    u32 increment(PhysicalAddress frame);
    // Drops one reference and returns the new count (0 = the frame is free
    // now), or `underflow` (count unchanged) when it was already zero or the
    // frame is outside the table.
    u32 decrement(PhysicalAddress frame);

    size_t frame_count() const { return m_frame_count; }

private:
    // Index of the counter for `frame`, or m_frame_count when outside.
    size_t index_of(PhysicalAddress frame) const;

    u16* m_counts { nullptr };
    size_t m_frame_count { 0 };
};

} // namespace mm
