// Message rings: variable-length messages over a power-of-two byte buffer that
// may live in memory shared between address spaces (kernel and user program,
// or two user programs). Header-only and freestanding: no allocation, no
// blocking, no C++ runtime, only the compiler's __atomic builtins.
//
// Layout of a ring region (a RingHeader, then `capacity` data bytes):
//
//   line 0: magic, version, capacity     written once by initialize()
//   line 1: head     bytes published by the producer side
//   line 2: tail     bytes released by the consumer
//   line 3: reserve  bytes reserved by multi-producer senders (MPSC only)
//
// Every index has a cache line of its own so the producer's and the
// consumer's stores do not invalidate each other's lines. Indices are
// free-running u32 byte counters (offsets, never pointers); a byte's place in
// the buffer is index & (capacity - 1). capacity is a power of two of at most
// 2^31, so head - tail (mod 2^32) is the number of bytes in use.
//
// Framing. A message is a record: an 8-byte RecordHeader {length, check}
// followed by the payload, padded to a multiple of 8. check mixes the length
// with the record's own free-running index (record_check()), so a scribbled
// header and a stale record from an earlier lap are both caught. The consumer
// reads a header exactly once into private variables and refuses a length
// that does not fit inside what the producer has published, so a hostile peer
// writing garbage into the shared region makes try_receive() return
// ErrorCode::Corrupt; it can never make the consumer read or write outside
// the region. The same goes for the indices: each side validates the other
// side's index before using it, and the capacity is copied out of shared
// memory once, at attach time.
//
// Wrap-around: records are 8-aligned and the capacity is a multiple of 8, so
// a header never straddles the end of the buffer; a payload that does is
// copied in two pieces (split, not padded). Hence no space is lost to padding
// records and any message of up to capacity - 8 bytes fits in an empty ring.
// The price: a message is not always contiguous in the buffer, so there is no
// in-place (zero-copy) read; try_receive() copies the message out.
//
// Ordering. The producer writes a record with plain stores and publishes head
// with a release store; the consumer acquire-loads head, copies records out
// and then publishes tail with a release store; the producer acquire-loads
// tail before reusing space. Each side keeps a private cached copy of the
// other side's index and re-reads the shared one only when the copy says
// "full" (producer) or "empty" (consumer). The caches live in the endpoint
// objects, never in shared memory.
//
// Batching. The producer can stage several records with try_write() and
// publish them with one store (publish()); try_send() is try_write() plus
// publish(). The consumer may release tail in batches of `release_batch`
// bytes. Both are deadlock-free by construction: a producer that finds the
// ring full publishes what it staged before returning false, and a consumer
// that finds the ring empty releases what it consumed before returning false,
// so neither side ever waits for the other while holding back its own index.
#pragma once

#include "lib/Error.h"
#include "lib/Types.h"

namespace lib::ipc {

constexpr u32 CacheLine = 64;
constexpr u32 RingMagic = 0x474e4952; // "RING" in memory order
constexpr u32 RingVersion = 1;
constexpr u32 RecordAlign = 8;
constexpr u32 MinRingCapacity = 16;
constexpr u32 MaxRingCapacity = 1u << 31;

struct RecordHeader {
    u32 length;
    u32 check;
};
static_assert(sizeof(RecordHeader) == RecordAlign);

constexpr u32 RecordHeaderSize = sizeof(RecordHeader);

struct RingHeader {
    alignas(CacheLine) u32 magic;
    u32 version;
    u32 capacity;
    alignas(CacheLine) u32 head;
    alignas(CacheLine) u32 tail;
    alignas(CacheLine) u32 reserve;
};
// Shared between a 32-bit kernel, 32-bit programs and 64-bit host tests: the
// layout must not depend on the target.
static_assert(sizeof(RingHeader) == 4 * CacheLine);
static_assert(__builtin_offsetof(RingHeader, head) == 1 * CacheLine);
static_assert(__builtin_offsetof(RingHeader, tail) == 2 * CacheLine);
static_assert(__builtin_offsetof(RingHeader, reserve) == 3 * CacheLine);

// Bytes a record for a `length`-byte message takes in the ring. Callers
// guarantee length <= MaxRingCapacity, so this cannot overflow.
constexpr u32 record_size(u32 length)
{
    return RecordHeaderSize + ((length + RecordAlign - 1) & ~(RecordAlign - 1));
}

// The check word of a record of `length` bytes starting at free-running index
// `at`. Not a cryptographic check (a hostile peer can compute it too): it
// catches accidental corruption and stale data; memory safety comes from the
// bounds checks, not from this.
constexpr u32 record_check(u32 length, u32 at)
{
    return ~length ^ (at * 0x9e3779b1u) ^ 0x5a17c0deu;
}

// True if `used` (a difference of two indices read from shared memory) can be
// the number of bytes in use of a ring of `capacity` bytes.
constexpr bool is_valid_used(u32 used, u32 capacity)
{
    return used <= capacity && (used & (RecordAlign - 1)) == 0;
}

inline void cpu_relax()
{
#if defined(__i386__) || defined(__x86_64__)
    __builtin_ia32_pause();
#endif
}

// Copies `length` bytes. Messages are usually small, and a call to the C
// library's memcpy costs more than the copy itself at these sizes, so short
// copies are done inline, a word at a time.
inline void copy_bytes(void* destination, const void* source, u32 length)
{
    auto* to = static_cast<u8*>(destination);
    auto* from = static_cast<const u8*>(source);
    if (length > 256) {
        __builtin_memcpy(to, from, length);
        return;
    }
    // 16-byte pieces: one vector move on the host, four word moves in the
    // kernel (built without SSE).
    for (; length >= 16; length -= 16, to += 16, from += 16) {
        u8 piece[16];
        __builtin_memcpy(piece, from, 16);
        __builtin_memcpy(to, piece, 16);
    }
    if (length >= 8) {
        u8 piece[8];
        __builtin_memcpy(piece, from, 8);
        __builtin_memcpy(to, piece, 8);
        length -= 8, to += 8, from += 8;
    }
    for (; length > 0; --length)
        *to++ = *from++;
}

// A validated view of a ring region: where the header and the data are, and
// the capacity, copied out of shared memory once. Copy freely.
class RingView {
public:
    RingView() = default;

    // Bytes of region needed for a ring of `capacity` data bytes.
    static constexpr size_t region_size(u32 capacity) { return sizeof(RingHeader) + capacity; }

    // Formats `bytes` bytes at `memory` (64-byte aligned) as an empty ring
    // with the largest power-of-two capacity that fits. Nobody else may use
    // the region while it is being initialized.
    static ErrorOr<RingView> initialize(void* memory, size_t bytes)
    {
        if (!memory || (reinterpret_cast<uintptr_t>(memory) & (CacheLine - 1)) != 0)
            return Error(ErrorCode::Misaligned, "ring memory must be 64-byte aligned");
        if (bytes < region_size(MinRingCapacity))
            return Error(ErrorCode::InvalidArgument, "ring memory too small");
        size_t available = bytes - sizeof(RingHeader);
        u32 capacity = MinRingCapacity;
        while (capacity < MaxRingCapacity && static_cast<size_t>(capacity) * 2 <= available)
            capacity *= 2;
        auto* header = static_cast<RingHeader*>(memory);
        __atomic_store_n(&header->head, 0u, __ATOMIC_RELAXED);
        __atomic_store_n(&header->tail, 0u, __ATOMIC_RELAXED);
        __atomic_store_n(&header->reserve, 0u, __ATOMIC_RELAXED);
        __atomic_store_n(&header->capacity, capacity, __ATOMIC_RELAXED);
        __atomic_store_n(&header->version, RingVersion, __ATOMIC_RELAXED);
        // Last, with release: a peer that sees the magic sees the rest.
        __atomic_store_n(&header->magic, RingMagic, __ATOMIC_RELEASE);
        return RingView(header, capacity);
    }

    // Attaches to a ring that someone else initialized in the `bytes` bytes at
    // `memory`. The header is not trusted: Corrupt if it does not describe a
    // ring that fits in the region.
    static ErrorOr<RingView> attach(void* memory, size_t bytes)
    {
        if (!memory || (reinterpret_cast<uintptr_t>(memory) & (CacheLine - 1)) != 0)
            return Error(ErrorCode::Misaligned, "ring memory must be 64-byte aligned");
        if (bytes < region_size(MinRingCapacity))
            return Error(ErrorCode::InvalidArgument, "ring memory too small");
        auto* header = static_cast<RingHeader*>(memory);
        if (__atomic_load_n(&header->magic, __ATOMIC_ACQUIRE) != RingMagic)
            return Error(ErrorCode::Corrupt, "ring magic");
        if (__atomic_load_n(&header->version, __ATOMIC_RELAXED) != RingVersion)
            return Error(ErrorCode::Unsupported, "ring version");
        u32 capacity = __atomic_load_n(&header->capacity, __ATOMIC_RELAXED);
        if (capacity < MinRingCapacity || capacity > MaxRingCapacity || (capacity & (capacity - 1)) != 0
            || capacity > bytes - sizeof(RingHeader))
            return Error(ErrorCode::Corrupt, "ring capacity");
        return RingView(header, capacity);
    }

    bool is_valid() const { return m_header != nullptr; }
    u32 capacity() const { return m_capacity; }
    // The largest message an empty ring accepts.
    u32 max_message() const { return m_capacity - RecordHeaderSize; }
    RingHeader* header() const { return m_header; }
    u8* data() const { return reinterpret_cast<u8*>(m_header + 1); }

    // Copies `length` bytes into the ring at free-running index `at`,
    // wrapping at the end. length <= capacity.
    void copy_in(u32 at, const void* source, u32 length) const
    {
        if (length == 0) // an empty message may come with a null pointer
            return;
        u32 offset = at & (m_capacity - 1);
        u32 first = min(m_capacity - offset, length);
        copy_bytes(data() + offset, source, first);
        if (first < length)
            copy_bytes(data(), static_cast<const u8*>(source) + first, length - first);
    }

    void copy_out(u32 at, void* destination, u32 length) const
    {
        if (length == 0) // an empty message may come with a null pointer
            return;
        u32 offset = at & (m_capacity - 1);
        u32 first = min(m_capacity - offset, length);
        copy_bytes(destination, data() + offset, first);
        if (first < length)
            copy_bytes(static_cast<u8*>(destination) + first, data(), length - first);
    }

    // Writes a whole record (header and payload) at index `at` (8-aligned).
    void write_record(u32 at, const void* message, u32 length) const
    {
        auto* record = reinterpret_cast<RecordHeader*>(data() + (at & (m_capacity - 1)));
        __atomic_store_n(&record->length, length, __ATOMIC_RELAXED);
        __atomic_store_n(&record->check, record_check(length, at), __ATOMIC_RELAXED);
        copy_in(at + RecordHeaderSize, message, length);
    }

    // Reads the record header at index `at` (8-aligned) exactly once: the
    // caller validates and uses the private copy, so a peer rewriting the
    // header meanwhile cannot change what was validated.
    RecordHeader read_record_header(u32 at) const
    {
        auto* record = reinterpret_cast<const RecordHeader*>(data() + (at & (m_capacity - 1)));
        return { __atomic_load_n(&record->length, __ATOMIC_RELAXED), __atomic_load_n(&record->check, __ATOMIC_RELAXED) };
    }

private:
    RingView(RingHeader* header, u32 capacity)
        : m_header(header)
        , m_capacity(capacity)
    {
    }

    RingHeader* m_header { nullptr };
    u32 m_capacity { 0 };
};

// The single consumer of a ring (of the SPSC and the MPSC variant alike).
class RingConsumer {
public:
    RingConsumer() = default;

    // `release_batch`: tail is published once at least this many consumed
    // bytes are pending (0: after every message), and always when the ring is
    // found empty. Larger batches mean fewer stores to the shared tail line;
    // at most capacity / 2 is honoured so the producer never sees the ring
    // more than half "falsely full".
    explicit RingConsumer(RingView ring, u32 release_batch = 0)
        : m_ring(ring)
        , m_release_batch(min(release_batch, ring.capacity() / 2))
        // Rounded down: a misaligned index in the shared header (corrupt)
        // must not lead to a misaligned record access; it shows up as Corrupt
        // at the first receive instead.
        , m_tail(__atomic_load_n(&ring.header()->tail, __ATOMIC_RELAXED) & ~(RecordAlign - 1))
        , m_released_tail(m_tail)
        , m_cached_head(m_tail)
    {
    }

    // Receives the oldest message into `buffer` (`buffer_size` bytes).
    // Returns false if the ring is empty. On success `length` is the message
    // length. If the buffer is too small the message stays queued, `length`
    // says how large it is and the error is OutOfRange. Corrupt if the
    // producer's index or the record's framing is impossible; nothing is
    // consumed then, and the ring stays unusable.
    ErrorOr<bool> try_receive(void* buffer, u32 buffer_size, u32& length)
    {
        u32 available = m_cached_head - m_tail;
        if (available == 0) {
            release();
            available = TRY(refresh_head());
            if (available == 0)
                return false;
        }
        RecordHeader record = m_ring.read_record_header(m_tail);
        if (record.check != record_check(record.length, m_tail) || record.length > m_ring.max_message()
            || record_size(record.length) > available)
            return Error(ErrorCode::Corrupt, "ring record framing");
        length = record.length;
        if (record.length > buffer_size)
            return Error(ErrorCode::OutOfRange, "receive buffer too small");
        m_ring.copy_out(m_tail + RecordHeaderSize, buffer, record.length);
        m_tail += record_size(record.length);
        if (m_tail - m_released_tail >= m_release_batch)
            release();
        return true;
    }

    // Publishes the consumed space to the producer now.
    void release()
    {
        if (m_released_tail == m_tail)
            return;
        // Release: our reads of the records happen before the producer,
        // having acquired this tail, overwrites them.
        __atomic_store_n(&m_ring.header()->tail, m_tail, __ATOMIC_RELEASE);
        m_released_tail = m_tail;
    }

    // Re-reads the shared head: true if a published message is waiting.
    // Corrupt if the head is impossible.
    ErrorOr<bool> has_message()
    {
        if (m_cached_head != m_tail)
            return true;
        return TRY(refresh_head()) != 0;
    }

    const RingView& ring() const { return m_ring; }

private:
    // Acquire-loads head, validates it and caches it; returns the published
    // bytes not yet consumed.
    ErrorOr<u32> refresh_head()
    {
        u32 head = __atomic_load_n(&m_ring.header()->head, __ATOMIC_ACQUIRE);
        u32 available = head - m_tail;
        if (!is_valid_used(available, m_ring.capacity()))
            return Error(ErrorCode::Corrupt, "ring head out of range");
        m_cached_head = head; // only a validated value is cached
        return available;
    }

    RingView m_ring;
    u32 m_release_batch { 0 };
    u32 m_tail { 0 };          // next record to read
    u32 m_released_tail { 0 }; // the tail last published
    u32 m_cached_head { 0 };   // validated copy of the shared head
};

// The single producer of an SPSC ring.
class RingProducer {
public:
    RingProducer() = default;
    explicit RingProducer(RingView ring)
        : m_ring(ring)
        , m_head(__atomic_load_n(&ring.header()->head, __ATOMIC_RELAXED) & ~(RecordAlign - 1)) // as for the consumer
        , m_published_head(m_head)
        , m_cached_tail(m_head - ring.capacity()) // "full" until tail is read
    {
    }

    // Writes one message into the ring without publishing it (see publish()).
    // Returns false if there is not enough free space now (after publishing
    // what was staged, so the consumer can make room); OutOfRange if the
    // message could never fit; Corrupt if the consumer's tail is impossible.
    ErrorOr<bool> try_write(const void* message, u32 length)
    {
        if (length > m_ring.max_message())
            return Error(ErrorCode::OutOfRange, "message larger than ring");
        u32 size = record_size(length);
        if (m_ring.capacity() - (m_head - m_cached_tail) < size) {
            u32 tail = __atomic_load_n(&m_ring.header()->tail, __ATOMIC_ACQUIRE);
            if (!is_valid_used(m_head - tail, m_ring.capacity()))
                return Error(ErrorCode::Corrupt, "ring tail out of range");
            m_cached_tail = tail; // only a validated value is cached
            if (m_ring.capacity() - (m_head - tail) < size) {
                publish();
                return false;
            }
        }
        m_ring.write_record(m_head, message, length);
        m_head += size;
        return true;
    }

    // Makes every written record visible to the consumer.
    void publish()
    {
        if (m_published_head == m_head)
            return;
        // Release: the record bytes happen before the consumer, having
        // acquired this head, reads them.
        __atomic_store_n(&m_ring.header()->head, m_head, __ATOMIC_RELEASE);
        m_published_head = m_head;
    }

    // Writes and publishes one message (try_write() then publish()).
    ErrorOr<bool> try_send(const void* message, u32 length)
    {
        bool written = TRY(try_write(message, length));
        if (written)
            publish();
        return written;
    }

    const RingView& ring() const { return m_ring; }

private:
    RingView m_ring;
    u32 m_head { 0 };           // where the next record goes
    u32 m_published_head { 0 }; // the head last published
    u32 m_cached_tail { 0 };    // validated copy of the shared tail
};

// One of several producers of an MPSC ring. Any number of MpscProducer
// objects (in any number of threads or address spaces) may share a ring; the
// consumer is the ordinary RingConsumer.
//
// A sender reserves [start, start + size) by compare-and-swap on `reserve`
// after checking the space against `tail`, writes its record, waits until
// `head` == start (every earlier reservation is published) and stores
// head = start + size. Publication is thus in reservation order and the
// consumer never sees a hole. The wait is bounded by earlier senders' copies,
// never by the consumer; but a sender stopped between reserving and
// publishing stalls the senders after it (they spin, calling the optional
// yield function now and then). Senders must therefore not be killed inside
// try_send(), and should not be preempted there for long: in the kernel it
// runs with preemption disabled. Untrusted senders each get a ring of their
// own (SPSC) instead of sharing one.
class MpscProducer {
public:
    // Waiting for earlier senders spins; every 64 spins it calls `yield` if
    // given (a scheduler yield), since the sender being waited for may be
    // descheduled on this very CPU.
    using YieldFunction = void (*)();

    MpscProducer() = default;
    explicit MpscProducer(RingView ring, YieldFunction yield = nullptr)
        : m_ring(ring)
        , m_yield(yield)
    {
    }

    // Returns false if the ring has no room now; OutOfRange if the message
    // could never fit; Corrupt if the shared indices are impossible.
    ErrorOr<bool> try_send(const void* message, u32 length)
    {
        if (length > m_ring.max_message())
            return Error(ErrorCode::OutOfRange, "message larger than ring");
        RingHeader* header = m_ring.header();
        u32 capacity = m_ring.capacity();
        u32 size = record_size(length);
        u32 start = 0;
        u32 previous_tail = 0, previous_start = 1; // no pair read yet
        for (;;) {
            // tail first: it was released by a consumer that had acquired a
            // head no larger than a reserve value that happened before, so
            // the reserve read next is >= this tail. It may be more than
            // `capacity` ahead of it, though, if we were delayed between the
            // two loads while the consumer and other senders moved on; that
            // pair is retried. Only the same impossible pair read twice in a
            // row means corruption (the invariant reserve - tail <= capacity
            // holds at every instant of a sound ring).
            u32 tail = __atomic_load_n(&header->tail, __ATOMIC_ACQUIRE);
            start = __atomic_load_n(&header->reserve, __ATOMIC_RELAXED);
            if (!is_valid_used(start - tail, capacity) || (start & (RecordAlign - 1)) != 0) {
                if (tail == previous_tail && start == previous_start)
                    return Error(ErrorCode::Corrupt, "ring reserve out of range");
                previous_tail = tail;
                previous_start = start;
                continue;
            }
            if (capacity - (start - tail) < size)
                return false;
            if (__atomic_compare_exchange_n(&header->reserve, &start, start + size, true, __ATOMIC_RELAXED,
                    __ATOMIC_RELAXED))
                break;
        }
        m_ring.write_record(start, message, length);
        for (u32 spins = 1;; ++spins) {
            // Acquire: the earlier sender's record (released with its head
            // store) happens before our release store below, so a consumer
            // that acquires our head sees it too.
            u32 head = __atomic_load_n(&header->head, __ATOMIC_ACQUIRE);
            if (head == start)
                break;
            if (start - head > capacity)
                return Error(ErrorCode::Corrupt, "ring head passed a reservation");
            if (m_yield && spins % 64 == 0)
                m_yield();
            else
                cpu_relax();
        }
        __atomic_store_n(&header->head, start + size, __ATOMIC_RELEASE);
        return true;
    }

    const RingView& ring() const { return m_ring; }

private:
    RingView m_ring;
    YieldFunction m_yield { nullptr };
};

} // namespace lib::ipc
