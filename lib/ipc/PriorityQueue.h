// A four-level message queue: one MPSC ring per priority level plus a pending
// bitmask (bit p set: ring p may hold messages), so the receiver finds work
// with one load instead of polling every ring. Level 0 is the most urgent;
// within a level messages are FIFO. Any number of senders, one receiver.
//
// Layout of the region (all offsets fixed, no pointers):
//
//   line 0: magic, version, ring_bytes    written once by initialize()
//   line 1: pending mask                  senders set bits, the receiver clears
//   then four ring regions of ring_bytes bytes each (see Ring.h)
//
// The mask is never stale in the dangerous direction: once try_send() has
// returned true, the bit of that level stays set until the receiver has
// found the ring empty after the message was published. A bit may be set
// while its ring is empty (a harmless false positive, cleared by the next
// try_receive() that looks at it), so after a try_receive() that returns
// false with no sender active, the mask is exactly the set of non-empty rings
// (that is, zero).
//
// Why, in terms of the C++ memory model:
//   sender:   publish head (release store); seq_cst fence; load mask;
//             if the bit is clear: fetch_or(bit).
//   receiver: find ring p empty; fetch_and(~bit) (seq_cst); seq_cst fence;
//             re-load head; if the ring is not empty after all: fetch_or(bit).
// This is the store-buffering pattern with seq_cst fences on both sides, so
// either the sender's mask load observes the receiver's clear (and sets the
// bit again), or the receiver's head re-load observes the message (and sets
// the bit again). Skipping the fetch_or when the bit is already set keeps the
// mask's cache line shared instead of bouncing on every message.
#pragma once

#include "lib/ipc/Ring.h"

namespace lib::ipc {

constexpr u32 PriorityLevels = 4;
constexpr u32 PriorityQueueMagic = 0x51495250; // "PRIQ" in memory order
constexpr u32 PriorityQueueVersion = 1;

struct PriorityQueueHeader {
    alignas(CacheLine) u32 magic;
    u32 version;
    u32 ring_bytes;
    alignas(CacheLine) u32 pending;
};
static_assert(sizeof(PriorityQueueHeader) == 2 * CacheLine);
static_assert(__builtin_offsetof(PriorityQueueHeader, pending) == CacheLine);

class PriorityQueueView {
public:
    PriorityQueueView() = default;

    // Formats `bytes` bytes at `memory` (64-byte aligned) as an empty queue
    // whose four rings share the space equally.
    static ErrorOr<PriorityQueueView> initialize(void* memory, size_t bytes)
    {
        if (!memory || (reinterpret_cast<uintptr_t>(memory) & (CacheLine - 1)) != 0)
            return Error(ErrorCode::Misaligned, "queue memory must be 64-byte aligned");
        if (bytes < sizeof(PriorityQueueHeader))
            return Error(ErrorCode::InvalidArgument, "queue memory too small");
        size_t ring_bytes = ((bytes - sizeof(PriorityQueueHeader)) / PriorityLevels) & ~size_t(CacheLine - 1);
        if (ring_bytes > 0xffffffffu)
            ring_bytes = 0xffffffffu & ~size_t(CacheLine - 1);
        PriorityQueueView view;
        view.m_header = static_cast<PriorityQueueHeader*>(memory);
        view.m_ring_bytes = static_cast<u32>(ring_bytes);
        for (u32 level = 0; level < PriorityLevels; ++level)
            view.m_rings[level] = TRY(RingView::initialize(view.ring_memory(level), ring_bytes));
        __atomic_store_n(&view.m_header->pending, 0u, __ATOMIC_RELAXED);
        __atomic_store_n(&view.m_header->ring_bytes, view.m_ring_bytes, __ATOMIC_RELAXED);
        __atomic_store_n(&view.m_header->version, PriorityQueueVersion, __ATOMIC_RELAXED);
        __atomic_store_n(&view.m_header->magic, PriorityQueueMagic, __ATOMIC_RELEASE);
        return view;
    }

    // Attaches to a queue someone else initialized; nothing in the region is
    // trusted.
    static ErrorOr<PriorityQueueView> attach(void* memory, size_t bytes)
    {
        if (!memory || (reinterpret_cast<uintptr_t>(memory) & (CacheLine - 1)) != 0)
            return Error(ErrorCode::Misaligned, "queue memory must be 64-byte aligned");
        if (bytes < sizeof(PriorityQueueHeader))
            return Error(ErrorCode::InvalidArgument, "queue memory too small");
        PriorityQueueView view;
        view.m_header = static_cast<PriorityQueueHeader*>(memory);
        if (__atomic_load_n(&view.m_header->magic, __ATOMIC_ACQUIRE) != PriorityQueueMagic)
            return Error(ErrorCode::Corrupt, "queue magic");
        if (__atomic_load_n(&view.m_header->version, __ATOMIC_RELAXED) != PriorityQueueVersion)
            return Error(ErrorCode::Unsupported, "queue version");
        u32 ring_bytes = __atomic_load_n(&view.m_header->ring_bytes, __ATOMIC_RELAXED);
        if ((ring_bytes & (CacheLine - 1)) != 0
            || ring_bytes > (bytes - sizeof(PriorityQueueHeader)) / PriorityLevels)
            return Error(ErrorCode::Corrupt, "queue ring size");
        view.m_ring_bytes = ring_bytes;
        for (u32 level = 0; level < PriorityLevels; ++level)
            view.m_rings[level] = TRY(RingView::attach(view.ring_memory(level), ring_bytes));
        return view;
    }

    PriorityQueueHeader* header() const { return m_header; }
    const RingView& ring(u32 level) const { return m_rings[level]; }
    // A snapshot of the pending mask (for tests and for a waiter's sleep check).
    u32 pending() const { return __atomic_load_n(&m_header->pending, __ATOMIC_ACQUIRE); }

private:
    void* ring_memory(u32 level) const
    {
        return reinterpret_cast<u8*>(m_header + 1) + static_cast<size_t>(level) * m_ring_bytes;
    }

    PriorityQueueHeader* m_header { nullptr };
    u32 m_ring_bytes { 0 };
    RingView m_rings[PriorityLevels];
};

// A sender. Holds no per-sender state beyond the views, so one object may
// even be shared by several threads.
class PrioritySender {
public:
    PrioritySender() = default;
    explicit PrioritySender(const PriorityQueueView& queue, MpscProducer::YieldFunction yield = nullptr)
        : m_pending(&queue.header()->pending)
    {
        for (u32 level = 0; level < PriorityLevels; ++level)
            m_producers[level] = MpscProducer(queue.ring(level), yield);
    }

    // Sends a message at `level` (0 = most urgent). Returns false if that
    // level's ring is full; errors as for MpscProducer::try_send().
    ErrorOr<bool> try_send(u32 level, const void* message, u32 length)
    {
        if (level >= PriorityLevels)
            return Error(ErrorCode::InvalidArgument, "priority level");
        bool sent = TRY(m_producers[level].try_send(message, length));
        if (!sent)
            return false;
        u32 bit = 1u << level;
        // The head store is already done; the fence orders it before the
        // mask load (see the top of this file).
        __atomic_thread_fence(__ATOMIC_SEQ_CST);
        if ((__atomic_load_n(m_pending, __ATOMIC_RELAXED) & bit) == 0)
            __atomic_fetch_or(m_pending, bit, __ATOMIC_SEQ_CST);
        return true;
    }

private:
    u32* m_pending { nullptr };
    MpscProducer m_producers[PriorityLevels];
};

// The single receiver.
class PriorityReceiver {
public:
    PriorityReceiver() = default;
    explicit PriorityReceiver(const PriorityQueueView& queue, u32 release_batch = 0)
        : m_pending(&queue.header()->pending)
    {
        for (u32 level = 0; level < PriorityLevels; ++level)
            m_consumers[level] = RingConsumer(queue.ring(level), release_batch);
    }

    // Receives the oldest message of the most urgent level whose bit is set.
    // Returns false if no level has a message. `level` and `length` describe
    // the message (`length` also on OutOfRange, as for RingConsumer).
    ErrorOr<bool> try_receive(void* buffer, u32 buffer_size, u32& level, u32& length)
    {
        u32 mask = __atomic_load_n(m_pending, __ATOMIC_ACQUIRE) & AllLevels;
        while (mask != 0) {
            u32 candidate = static_cast<u32>(__builtin_ctz(mask));
            if (TRY(m_consumers[candidate].try_receive(buffer, buffer_size, length))) {
                level = candidate;
                return true;
            }
            // Ring `candidate` looked empty: clear its bit, then look again
            // in case a message was published meanwhile.
            u32 bit = 1u << candidate;
            __atomic_fetch_and(m_pending, ~bit, __ATOMIC_SEQ_CST);
            __atomic_thread_fence(__ATOMIC_SEQ_CST);
            if (TRY(m_consumers[candidate].has_message())) {
                __atomic_fetch_or(m_pending, bit, __ATOMIC_SEQ_CST);
                // Take it now: levels below `candidate` were found empty.
                if (TRY(m_consumers[candidate].try_receive(buffer, buffer_size, length))) {
                    level = candidate;
                    return true;
                }
            }
            mask &= ~bit;
            // A more urgent level may have become pending while we looked.
            mask |= __atomic_load_n(m_pending, __ATOMIC_ACQUIRE) & (bit - 1);
        }
        return false;
    }

private:
    static constexpr u32 AllLevels = (1u << PriorityLevels) - 1;

    u32* m_pending { nullptr };
    RingConsumer m_consumers[PriorityLevels];
};

} // namespace lib::ipc
