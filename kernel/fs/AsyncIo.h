// The kernel's side of the asynchronous I/O rings (cookbook recipe 4.1): the
// layout of the memory shared with a program, and the two queues in it seen
// from the kernel. The structures and the producer/consumer rules are the
// ABI in kernel/abi/native/Syscalls.h (AioRingHeader, AioSqe, AioCqe).
//
// The kernel reaches the ring through its own mapping of the same frames
// (the direct map, one pointer per page: the frames need not be
// contiguous), so touching it never faults and works with interrupts off.
// What the program writes there can change at any moment and can be
// nonsense; this class reads each index the program owns once per use and
// copies each submission once, so the rest of the kernel only ever sees
// values it has checked.
//
// Not thread-safe: the owner (kernel/abi/native/NativeAio.cpp) calls it
// with interrupts off. Portable, so host tests can drive it with ordinary
// memory standing in for the program.
#pragma once

#include "kernel/abi/native/Syscalls.h"
#include "lib/Error.h"
#include "lib/Types.h"

namespace fs {

constexpr u32 aio_page_size = 4096;

struct AioRingLayout {
    u32 sq_entries;
    u32 cq_entries; // twice sq_entries: room for a full SQ of results plus as many unread
    u32 sq_offset;  // from the start of the block; every part starts on a page
    u32 sq_size;
    u32 cq_offset;
    u32 cq_size;
    u32 size;       // whole pages
    u32 pages;
};

// The layout for `entries` submission slots: a power of two from 1 to
// AIO_MAX_ENTRIES, else InvalidArgument.
ErrorOr<AioRingLayout> aio_ring_layout(u32 entries);

class AioRings {
public:
    // Starts using the block whose pages are at `pages[0 .. layout.pages)`
    // (kernel pointers, kept alive by the caller) and writes a fresh header:
    // every index 0, the sizes and masks filled in.
    void attach(const AioRingLayout&, u8* const* pages);

    // Submissions the program has published and the kernel has not taken
    // yet. InvalidArgument when sq_tail claims more than the ring holds.
    ErrorOr<u32> pending_submissions() const;
    // Copies the entry at the kernel's head into `out` and advances the head
    // (the program may reuse the slot from then on). Only after
    // pending_submissions() said there is one.
    void take_submission(native::AioSqe& out);

    // Completions posted and not yet consumed by the program, as far as its
    // cq_head can be believed (a head beyond the tail or more than the ring
    // behind it counts as a full ring).
    u32 completions_ready() const;
    bool completion_room() const { return completions_ready() < m_layout.cq_entries; }
    // Posts one completion; false (nothing written) when the ring is full.
    bool post_completion(const native::AioCqe&);

    // The overflow counter and backlog flag the program sees.
    void count_overflow();
    u32 overflow() const { return m_overflow; }
    void set_backlog(bool);

    const AioRingLayout& layout() const { return m_layout; }

private:
    template<typename T>
    T* at(u32 offset) const
    {
        return reinterpret_cast<T*>(m_pages[offset / aio_page_size] + offset % aio_page_size);
    }
    native::AioRingHeader* header() const { return at<native::AioRingHeader>(0); }

    AioRingLayout m_layout {};
    u8* const* m_pages { nullptr };
    // The kernel's own copies of the indices it produces: what the program
    // writes over them in the shared header is ignored.
    u32 m_sq_head { 0 };
    u32 m_cq_tail { 0 };
    u32 m_overflow { 0 };
};

} // namespace fs
