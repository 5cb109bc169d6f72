// Tests of lib/ipc/Ring.h and lib/ipc/PriorityQueue.h. The same file is also
// built with ThreadSanitizer by tests/tsan (which runs the *Threads* tests).
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <random>
#include <string>
#include <thread>
#include <unordered_set>
#include <vector>

#include "lib/ipc/PriorityQueue.h"
#include "lib/ipc/Ring.h"

using namespace lib::ipc;

namespace {

#if defined(__has_feature)
#    if __has_feature(thread_sanitizer)
constexpr u32 ThreadScale = 4; // TSan is several times slower: fewer messages
#    else
constexpr u32 ThreadScale = 1;
#    endif
#else
constexpr u32 ThreadScale = 1;
#endif

// A 64-byte aligned region of `bytes` bytes. The allocation is rounded up to
// a multiple of 64 (aligned_alloc's rule); tests use sizes that already are,
// so AddressSanitizer flags any access past the end.
struct Region {
    explicit Region(size_t bytes)
        : size(bytes)
        , memory(static_cast<u8*>(std::aligned_alloc(CacheLine, (bytes + CacheLine - 1) & ~size_t(CacheLine - 1))))
    {
        std::memset(memory, 0xee, size);
    }
    ~Region() { std::free(memory); }
    Region(const Region&) = delete;
    Region& operator=(const Region&) = delete;

    RingHeader* header() const { return reinterpret_cast<RingHeader*>(memory); }
    u8* data() const { return memory + sizeof(RingHeader); }

    size_t size;
    u8* memory;
};

RingView make_ring(Region& region, u32 start_index = 0)
{
    auto ring = RingView::initialize(region.memory, region.size);
    EXPECT_FALSE(ring.is_error());
    // Start the free-running indices elsewhere (as after a long run), so
    // index overflow is exercised too.
    region.header()->head = start_index;
    region.header()->tail = start_index;
    region.header()->reserve = start_index;
    return ring.release_value();
}

template<typename Producer>
bool send(Producer& producer, const std::vector<u8>& data)
{
    auto result = producer.try_send(data.data(), static_cast<u32>(data.size()));
    EXPECT_FALSE(result.is_error()) << (result.is_error() ? result.error().context() : "");
    return !result.is_error() && result.value();
}

bool receive(RingConsumer& consumer, std::vector<u8>& out)
{
    out.resize(1 << 16);
    u32 length = 0;
    auto result = consumer.try_receive(out.data(), static_cast<u32>(out.size()), length);
    EXPECT_FALSE(result.is_error()) << (result.is_error() ? result.error().context() : "");
    if (result.is_error() || !result.value())
        return false;
    out.resize(length);
    return true;
}

std::vector<u8> pattern(u32 length, u32 seed)
{
    std::vector<u8> data(length);
    for (u32 i = 0; i < length; ++i)
        data[i] = static_cast<u8>(seed * 131 + i * 7 + 1);
    return data;
}

u64 checksum(const u8* data, u32 length, u64 sum)
{
    for (u32 i = 0; i < length; ++i)
        sum = (sum ^ data[i]) * 1099511628211ull;
    return sum;
}

ErrorCode receive_error(RingConsumer& consumer)
{
    u8 buffer[512];
    u32 length = 0;
    auto result = consumer.try_receive(buffer, sizeof(buffer), length);
    EXPECT_TRUE(result.is_error());
    return result.is_error() ? result.error().code() : ErrorCode::InvalidArgument;
}

} // namespace

TEST(Ring, LayoutInitializeAndAttach)
{
    Region region(sizeof(RingHeader) + 1000);
    auto ring = make_ring(region);
    EXPECT_EQ(ring.capacity(), 512u);
    EXPECT_EQ(ring.max_message(), 504u);
    EXPECT_EQ(ring.data(), region.memory + 256);
    EXPECT_EQ(region.header()->magic, RingMagic);

    auto attached = RingView::attach(region.memory, region.size);
    ASSERT_FALSE(attached.is_error());
    EXPECT_EQ(attached.value().capacity(), 512u);
    // The attacher's region must hold the capacity the header claims.
    EXPECT_EQ(RingView::attach(region.memory, sizeof(RingHeader) + 256).error().code(), ErrorCode::Corrupt);

    region.header()->capacity = 384; // not a power of two
    EXPECT_EQ(RingView::attach(region.memory, region.size).error().code(), ErrorCode::Corrupt);
    region.header()->capacity = 8; // too small
    EXPECT_EQ(RingView::attach(region.memory, region.size).error().code(), ErrorCode::Corrupt);
    region.header()->capacity = 512;
    region.header()->version = 7;
    EXPECT_EQ(RingView::attach(region.memory, region.size).error().code(), ErrorCode::Unsupported);
    region.header()->magic = 0;
    EXPECT_EQ(RingView::attach(region.memory, region.size).error().code(), ErrorCode::Corrupt);

    EXPECT_EQ(RingView::initialize(region.memory + 8, region.size - 8).error().code(), ErrorCode::Misaligned);
    EXPECT_EQ(RingView::initialize(region.memory, sizeof(RingHeader) + 8).error().code(), ErrorCode::InvalidArgument);
    EXPECT_TRUE(RingView::initialize(nullptr, 4096).is_error());
}

// Every 8-aligned start position, every message length from 0 to the largest:
// messages that end before, exactly at and across the end of the buffer come
// back intact, and a record never touches bytes outside the data area.
TEST(Ring, WrapAroundEveryPositionAndSize)
{
    constexpr u32 capacity = 256;
    Region region(sizeof(RingHeader) + capacity);
    std::vector<u8> out;
    for (u32 start = 0; start < capacity; start += RecordAlign) {
        for (u32 length = 0; length <= capacity - RecordHeaderSize; ++length) {
            auto ring = make_ring(region, start - capacity * 3);
            RingProducer producer(ring);
            RingConsumer consumer(ring);
            auto data = pattern(length, length + start);
            ASSERT_TRUE(send(producer, data)) << "start " << start << " length " << length;
            ASSERT_TRUE(receive(consumer, out));
            ASSERT_EQ(out, data) << "start " << start << " length " << length;
            ASSERT_FALSE(receive(consumer, out));
            // The record occupies [start, start + record_size) mod capacity;
            // every other byte still holds the fill pattern.
            u32 size = record_size(length);
            for (u32 offset = 0; offset < capacity; ++offset) {
                bool inside = ((offset - start) & (capacity - 1)) < size;
                if (!inside)
                    ASSERT_EQ(region.data()[offset], 0xee) << "start " << start << " length " << length;
            }
            std::memset(region.data(), 0xee, capacity);
        }
    }
}

// Many laps with mixed sizes, starting just below the u32 index overflow.
TEST(Ring, ManyLapsAcrossIndexOverflow)
{
    Region region(sizeof(RingHeader) + 128);
    auto ring = make_ring(region, 0xffffff00u);
    RingProducer producer(ring);
    RingConsumer consumer(ring);
    std::deque<std::vector<u8>> expected;
    std::vector<u8> out;
    for (u32 i = 0; i < 30000; ++i) {
        auto data = pattern((i * 37) % 121, i);
        bool sent = send(producer, data);
        if (sent)
            expected.push_back(data);
        if (!sent || i % 3 == 0) {
            ASSERT_TRUE(receive(consumer, out));
            ASSERT_EQ(out, expected.front());
            expected.pop_front();
        }
    }
    while (!expected.empty()) {
        ASSERT_TRUE(receive(consumer, out));
        ASSERT_EQ(out, expected.front());
        expected.pop_front();
    }
    EXPECT_FALSE(receive(consumer, out));
    EXPECT_LT(region.header()->head, 0xffffff00u); // the indices did wrap
}

TEST(Ring, FullAndEmptyBoundaries)
{
    Region region(sizeof(RingHeader) + 256);
    auto ring = make_ring(region);
    RingProducer producer(ring);
    RingConsumer consumer(ring);
    std::vector<u8> out;
    EXPECT_FALSE(receive(consumer, out));
    EXPECT_FALSE(consumer.has_message().value());

    // One byte too large is refused outright; the largest fits an empty ring.
    auto refused = producer.try_send(pattern(249, 1).data(), 249);
    ASSERT_TRUE(refused.is_error());
    EXPECT_EQ(refused.error().code(), ErrorCode::OutOfRange);
    auto largest = pattern(248, 2);
    EXPECT_TRUE(send(producer, largest));
    EXPECT_TRUE(consumer.has_message().value());
    EXPECT_FALSE(send(producer, {})); // full: not even an empty message
    ASSERT_TRUE(receive(consumer, out));
    EXPECT_EQ(out, largest);
    EXPECT_FALSE(receive(consumer, out));

    // Sixteen 16-byte records fill it exactly; a seventeenth does not fit.
    for (u32 i = 0; i < 16; ++i)
        EXPECT_TRUE(send(producer, pattern(8, i))) << i;
    EXPECT_FALSE(send(producer, pattern(0, 0)));
    ASSERT_TRUE(receive(consumer, out));
    EXPECT_EQ(out, pattern(8, 0));
    EXPECT_FALSE(send(producer, pattern(9, 0))); // needs 24 bytes, 16 free
    EXPECT_TRUE(send(producer, pattern(8, 99)));  // exactly 16
    EXPECT_FALSE(send(producer, pattern(0, 0)));
    for (u32 i = 1; i < 16; ++i) {
        ASSERT_TRUE(receive(consumer, out));
        EXPECT_EQ(out, pattern(8, i));
    }
    ASSERT_TRUE(receive(consumer, out));
    EXPECT_EQ(out, pattern(8, 99));
    EXPECT_FALSE(receive(consumer, out));
    EXPECT_EQ(region.header()->head, region.header()->tail);
}

TEST(Ring, SmallReceiveBufferKeepsMessage)
{
    Region region(sizeof(RingHeader) + 256);
    auto ring = make_ring(region);
    RingProducer producer(ring);
    RingConsumer consumer(ring);
    auto data = pattern(40, 5);
    ASSERT_TRUE(send(producer, data));
    u8 small[16];
    u32 length = 0;
    auto result = consumer.try_receive(small, sizeof(small), length);
    ASSERT_TRUE(result.is_error());
    EXPECT_EQ(result.error().code(), ErrorCode::OutOfRange);
    EXPECT_EQ(length, 40u);
    std::vector<u8> out;
    ASSERT_TRUE(receive(consumer, out));
    EXPECT_EQ(out, data);
}

// A hostile or buggy peer scribbling on shared memory is reported as Corrupt.
TEST(Ring, CorruptedFramingIsDetected)
{
    Region region(sizeof(RingHeader) + 256);
    auto data = pattern(20, 3);
    auto* record = reinterpret_cast<RecordHeader*>(region.data());

    { // length changed, check not updated
        auto ring = make_ring(region);
        RingProducer producer(ring);
        RingConsumer consumer(ring);
        ASSERT_TRUE(send(producer, data));
        record->length = 21;
        EXPECT_EQ(receive_error(consumer), ErrorCode::Corrupt);
        EXPECT_EQ(receive_error(consumer), ErrorCode::Corrupt); // nothing consumed
        record->length = 20;
        std::vector<u8> out;
        ASSERT_TRUE(receive(consumer, out));
        EXPECT_EQ(out, data);
    }
    { // a consistent header that claims more than was published
        auto ring = make_ring(region);
        RingProducer producer(ring);
        RingConsumer consumer(ring);
        ASSERT_TRUE(send(producer, data));
        record->length = 200;
        record->check = record_check(200, 0);
        EXPECT_EQ(receive_error(consumer), ErrorCode::Corrupt);
    }
    { // a length larger than the ring (record_size would overflow)
        auto ring = make_ring(region);
        RingProducer producer(ring);
        RingConsumer consumer(ring);
        ASSERT_TRUE(send(producer, data));
        record->length = 0xfffffff9u;
        record->check = record_check(0xfffffff9u, 0);
        EXPECT_EQ(receive_error(consumer), ErrorCode::Corrupt);
    }
    { // head beyond the capacity, and head not 8-aligned
        auto ring = make_ring(region);
        RingConsumer consumer(ring);
        region.header()->head = 264;
        EXPECT_EQ(receive_error(consumer), ErrorCode::Corrupt);
        region.header()->head = 28;
        EXPECT_EQ(receive_error(consumer), ErrorCode::Corrupt);
        EXPECT_TRUE(consumer.has_message().is_error());
    }
    { // a stale record: the producer "publishes" a lap without writing it
        auto ring = make_ring(region);
        RingProducer producer(ring);
        RingConsumer consumer(ring);
        std::vector<u8> out;
        ASSERT_TRUE(send(producer, pattern(248, 1)));
        ASSERT_TRUE(receive(consumer, out));
        region.header()->head = 512;
        EXPECT_EQ(receive_error(consumer), ErrorCode::Corrupt);
    }
    { // an impossible tail from the consumer side
        auto ring = make_ring(region);
        RingProducer producer(ring);
        for (u32 i = 0; i < 8; ++i) // exactly full: the next send reads tail
            ASSERT_TRUE(send(producer, data));
        region.header()->tail = 0x80000000u;
        auto result = producer.try_send(data.data(), 20);
        ASSERT_TRUE(result.is_error());
        EXPECT_EQ(result.error().code(), ErrorCode::Corrupt);
        region.header()->tail = 4; // misaligned
        result = producer.try_send(data.data(), 20);
        ASSERT_TRUE(result.is_error());
        EXPECT_EQ(result.error().code(), ErrorCode::Corrupt);
    }
    { // MPSC: a reserve index that is out of range
        auto ring = make_ring(region);
        MpscProducer producer(ring);
        region.header()->reserve = 1000;
        auto result = producer.try_send(data.data(), 20);
        ASSERT_TRUE(result.is_error());
        EXPECT_EQ(result.error().code(), ErrorCode::Corrupt);
        // In range but misaligned (with a tail misaligned to match).
        region.header()->reserve = 3;
        region.header()->tail = 3;
        result = producer.try_send(data.data(), 20);
        ASSERT_TRUE(result.is_error());
        EXPECT_EQ(result.error().code(), ErrorCode::Corrupt);
    }
    { // endpoints attached to misaligned indices never access a record
      // misaligned (UBSan): the consumer reports Corrupt
        auto ring = make_ring(region, 5);
        RingProducer producer(ring);
        RingConsumer consumer(ring);
        EXPECT_EQ(receive_error(consumer), ErrorCode::Corrupt);
    }
}

// A hostile peer writes random garbage into the indices and the data while
// the consumer keeps receiving: the consumer reports messages that fit the
// buffer or errors, and never touches memory outside the region (ASan).
TEST(Ring, RandomGarbageNeverEscapesTheRegion)
{
    Region region(sizeof(RingHeader) + 256);
    std::mt19937 random(1234);
    u32 messages = 0, corrupt = 0;
    for (u32 round = 0; round < 2000; ++round) {
        auto ring = make_ring(region, random());
        RingProducer producer(ring);
        RingConsumer consumer(ring, round % 4 == 0 ? 64 : 0);
        for (u32 step = 0; step < 40; ++step) {
            switch (random() % 6) {
            case 0:
                region.data()[random() % 256] = static_cast<u8>(random());
                break;
            case 1:
                region.header()->head += (random() % 5) * 8 - 16;
                break;
            case 2:
                region.header()->tail = random();
                break;
            default: {
                auto data = pattern(random() % 60, step);
                (void)producer.try_send(data.data(), static_cast<u32>(data.size()));
                break;
            }
            }
            u8 buffer[64];
            u32 length = 0;
            auto result = consumer.try_receive(buffer, sizeof(buffer), length);
            if (result.is_error()) {
                corrupt += result.error().code() == ErrorCode::Corrupt;
                ASSERT_TRUE(result.error().code() == ErrorCode::Corrupt || result.error().code() == ErrorCode::OutOfRange);
            } else if (result.value()) {
                ASSERT_LE(length, sizeof(buffer));
                ++messages;
            }
        }
    }
    // Both outcomes happened, so the test exercised both paths.
    EXPECT_GT(messages, 1000u);
    EXPECT_GT(corrupt, 1000u);
}

// Producer batching: staged records are invisible until publish(), and a
// producer that finds the ring full publishes before reporting it.
TEST(Ring, BatchedPublication)
{
    Region region(sizeof(RingHeader) + 128);
    auto ring = make_ring(region);
    RingProducer producer(ring);
    RingConsumer consumer(ring);
    std::vector<u8> out;
    for (u32 i = 0; i < 3; ++i) {
        auto data = pattern(8, i);
        ASSERT_TRUE(producer.try_write(data.data(), 8).value());
    }
    EXPECT_FALSE(receive(consumer, out));
    EXPECT_EQ(region.header()->head, 0u);
    producer.publish();
    EXPECT_EQ(region.header()->head, 48u);
    for (u32 i = 3; i < 8; ++i) {
        auto data = pattern(8, i);
        ASSERT_TRUE(producer.try_write(data.data(), 8).value());
    }
    auto data = pattern(8, 8);
    EXPECT_FALSE(producer.try_write(data.data(), 8).value()); // full: publishes
    EXPECT_EQ(region.header()->head, 128u);
    for (u32 i = 0; i < 8; ++i) {
        ASSERT_TRUE(receive(consumer, out));
        EXPECT_EQ(out, pattern(8, i));
    }
    EXPECT_FALSE(receive(consumer, out));
}

// Consumer batching: tail moves in steps of release_batch bytes, and always
// when the consumer finds the ring empty.
TEST(Ring, BatchedRelease)
{
    Region region(sizeof(RingHeader) + 256);
    auto ring = make_ring(region);
    RingProducer producer(ring);
    RingConsumer consumer(ring, 64);
    std::vector<u8> out;
    for (u32 i = 0; i < 12; ++i)
        ASSERT_TRUE(send(producer, pattern(8, i)));
    for (u32 i = 0; i < 3; ++i)
        ASSERT_TRUE(receive(consumer, out));
    EXPECT_EQ(region.header()->tail, 0u); // 48 bytes pending, below the batch
    ASSERT_TRUE(receive(consumer, out));
    EXPECT_EQ(region.header()->tail, 64u);
    for (u32 i = 4; i < 12; ++i)
        ASSERT_TRUE(receive(consumer, out));
    EXPECT_EQ(region.header()->tail, 192u);
    EXPECT_FALSE(receive(consumer, out)); // empty: releases the rest
    EXPECT_EQ(region.header()->tail, 192u);
    ASSERT_TRUE(send(producer, pattern(0, 0)));
    ASSERT_TRUE(receive(consumer, out));
    EXPECT_EQ(region.header()->tail, 192u);
    EXPECT_FALSE(receive(consumer, out));
    EXPECT_EQ(region.header()->tail, 200u);
}

// Exhaustive over operation sequences with the real code: every sequence of
// up to `Depth` operations (sends of lengths around the record and ring
// boundaries, receives), starting near the u32 index overflow, against a
// reference FIFO that says exactly when a send must succeed.
TEST(Ring, ExhaustiveOperationSequences)
{
    constexpr u32 capacity = 32;
    constexpr int Depth = 6;
    const u32 lengths[] = { 0, 1, 8, 9, 16, 17, 24 };
    constexpr u32 operation_count = sizeof(lengths) / sizeof(lengths[0]) + 1; // + receive

    Region region(sizeof(RingHeader) + capacity);
    auto ring = make_ring(region, 0u - 40);

    struct State {
        RingProducer producer;
        RingConsumer consumer;
        std::deque<std::vector<u8>> expected;
        u32 used;
        u8 bytes[sizeof(RingHeader) + capacity];
    };
    u64 checked = 0;
    std::string failure;
    u32 tag = 0;

    auto explore = [&](auto& self, State& state, int depth) -> void {
        if (depth == Depth || !failure.empty())
            return;
        for (u32 op = 0; op < operation_count; ++op) {
            State saved = state;
            std::memcpy(saved.bytes, region.memory, sizeof(saved.bytes));
            ++checked;
            if (op + 1 < operation_count) {
                u32 length = lengths[op];
                auto data = pattern(length, ++tag);
                auto result = state.producer.try_send(data.data(), length);
                bool fits = state.used + record_size(length) <= capacity;
                if (result.is_error() || result.value() != fits) {
                    failure = "send of " + std::to_string(length) + " at depth " + std::to_string(depth);
                    return;
                }
                if (fits) {
                    state.expected.push_back(data);
                    state.used += record_size(length);
                }
            } else {
                u8 buffer[capacity];
                u32 length = 0;
                auto result = state.consumer.try_receive(buffer, sizeof(buffer), length);
                if (result.is_error() || result.value() == state.expected.empty()) {
                    failure = "receive at depth " + std::to_string(depth);
                    return;
                }
                if (result.value()) {
                    auto& want = state.expected.front();
                    if (length != want.size() || (length != 0 && std::memcmp(buffer, want.data(), length) != 0)) {
                        failure = "wrong message at depth " + std::to_string(depth);
                        return;
                    }
                    state.used -= record_size(length);
                    state.expected.pop_front();
                }
            }
            self(self, state, depth + 1);
            std::memcpy(region.memory, saved.bytes, sizeof(saved.bytes));
            state = saved;
        }
    };
    State root { RingProducer(ring), RingConsumer(ring), {}, 0, {} };
    explore(explore, root, 0);
    EXPECT_EQ(failure, "");
    EXPECT_GT(checked, 250000u); // 8 + 8^2 + ... + 8^6 operations
}

namespace {

// An explicit-state model of the SPSC protocol: the producer's and the
// consumer's code split into their individual shared-memory accesses (each
// header word, each payload byte, each index load and store), explored over
// every interleaving on a 64-byte ring. Sequentially consistent: it checks
// the protocol's logic (publish after write, release after read, cached
// indices, batching, wrap-around); the acquire/release orderings that make SC
// reasoning valid are checked by ThreadSanitizer on the real code.
struct ProtocolModel {
    static constexpr u32 Capacity = 64;
    // Mutations that the model must catch (proof that it can fail).
    enum class Bug { None, PublishBeforePayload, ReleaseBeforeRead, NoPublishWhenFull };

    std::vector<u32> lengths;
    u32 publish_every = 1; // producer publishes after this many records
    u32 release_batch = 0; // consumer releases at this many bytes
    Bug bug = Bug::None;

    // Ordered so that there is no padding: the raw bytes are the key.
    struct State {
        u32 head, tail; // shared
        u32 p_head, p_published, p_cached_tail;
        u32 c_tail, c_released, c_cached_head, c_length;
        u32 c_done; // index up to which the consumer has read every byte
        u16 p_byte, c_byte;
        u8 p_msg, p_phase, p_staged, c_msg, c_phase, unused[3];
        u8 ring[Capacity];

        std::string key() const { return std::string(reinterpret_cast<const char*>(this), sizeof(*this)); }
    };
    static_assert(sizeof(State) == 10 * 4 + 2 * 2 + 8 + Capacity);

    static u8 payload_byte(u32 message, u32 index) { return static_cast<u8>(message * 37 + index + 1); }
    u32 index_of(u32 at) const { return at & (Capacity - 1); }

    // Producer phases: 0 check space, 1 write length, 2 write check,
    // 3 payload bytes, 4 publish decision. Returns an error text or "".
    std::string step_producer(State& s) const
    {
        if (s.p_msg == lengths.size())
            return "";
        u32 length = lengths[s.p_msg];
        u32 size = record_size(length);
        auto write = [&](u32 at, u8 value) -> std::string {
            if (at - s.c_done >= Capacity)
                return "producer overwrote unread byte";
            s.ring[index_of(at)] = value;
            return "";
        };
        switch (s.p_phase) {
        case 0:
            if (Capacity - (s.p_head - s.p_cached_tail) >= size) {
                s.p_phase = 1;
            } else {
                s.p_cached_tail = s.tail;
                if (Capacity - (s.p_head - s.p_cached_tail) >= size) {
                    s.p_phase = 1;
                } else if (bug != Bug::NoPublishWhenFull) {
                    s.head = s.p_head; // full: publish what is staged
                    s.p_published = s.p_head;
                    s.p_staged = 0;
                }
            }
            return "";
        case 1:
            s.p_phase = 2;
            if (bug == Bug::PublishBeforePayload) {
                s.head = s.p_head + size;
                s.p_published = s.head;
            }
            return write(s.p_head, static_cast<u8>(length));
        case 2:
            s.p_phase = 3;
            s.p_byte = 0;
            return write(s.p_head + 4, static_cast<u8>(record_check(length, s.p_head)));
        case 3:
            if (s.p_byte < length) {
                auto error = write(s.p_head + RecordHeaderSize + s.p_byte, payload_byte(s.p_msg, s.p_byte));
                ++s.p_byte;
                return error;
            }
            s.p_head += size;
            s.p_phase = 4;
            return "";
        default:
            ++s.p_staged;
            ++s.p_msg;
            s.p_phase = 0;
            if (s.p_staged >= publish_every || s.p_msg == lengths.size()) {
                s.head = s.p_head;
                s.p_published = s.p_head;
                s.p_staged = 0;
            }
            return "";
        }
    }

    // Consumer phases: 0 check for data, 1 read length, 2 read check,
    // 3 payload bytes, 4 release decision.
    std::string step_consumer(State& s) const
    {
        if (s.c_msg == lengths.size())
            return "";
        switch (s.c_phase) {
        case 0:
            if (s.c_cached_head != s.c_tail) {
                s.c_phase = 1;
                return "";
            }
            if (s.c_released != s.c_tail) { // found empty: release first
                s.tail = s.c_tail;
                s.c_released = s.c_tail;
                return "";
            }
            if (s.head - s.c_tail > Capacity)
                return "consumer saw an impossible head";
            s.c_cached_head = s.head;
            if (s.c_cached_head != s.c_tail)
                s.c_phase = 1;
            return "";
        case 1:
            s.c_length = s.ring[index_of(s.c_tail)];
            if (s.c_length != lengths[s.c_msg])
                return "consumer read a wrong length";
            if (record_size(s.c_length) > s.c_cached_head - s.c_tail)
                return "record extends past the published head";
            s.c_phase = 2;
            return "";
        case 2:
            if (s.ring[index_of(s.c_tail + 4)] != static_cast<u8>(record_check(s.c_length, s.c_tail)))
                return "consumer read a wrong check";
            s.c_phase = 3;
            s.c_byte = 0;
            if (bug == Bug::ReleaseBeforeRead) {
                s.tail = s.c_tail + record_size(s.c_length);
                s.c_released = s.tail;
            }
            return "";
        case 3:
            if (s.c_byte < s.c_length) {
                if (s.ring[index_of(s.c_tail + RecordHeaderSize + s.c_byte)] != payload_byte(s.c_msg, s.c_byte))
                    return "consumer read a torn payload byte";
                ++s.c_byte;
                return "";
            }
            s.c_tail += record_size(s.c_length);
            s.c_done = s.c_tail;
            s.c_phase = 4;
            return "";
        default:
            ++s.c_msg;
            s.c_phase = 0;
            if (s.c_tail - s.c_released >= release_batch) {
                s.tail = s.c_tail;
                s.c_released = s.c_tail;
            }
            return "";
        }
    }

    // Explores every interleaving; returns "" or the first violation found.
    std::string check(u64& states) const
    {
        State initial {};
        std::memset(&initial, 0, sizeof(initial));
        initial.p_cached_tail = 0u - Capacity;
        std::unordered_set<std::string> seen;
        std::vector<State> stack { initial };
        seen.insert(initial.key());
        bool finished = false;
        while (!stack.empty()) {
            State s = stack.back();
            stack.pop_back();
            bool done = s.p_msg == lengths.size() && s.c_msg == lengths.size();
            finished |= done;
            State after_p = s, after_c = s;
            auto error = step_producer(after_p);
            if (error.empty())
                error = step_consumer(after_c);
            if (!error.empty())
                return error;
            bool p_moved = after_p.key() != s.key();
            bool c_moved = after_c.key() != s.key();
            if (!done && !p_moved && !c_moved)
                return "deadlock: neither side can make progress";
            for (State* next : { &after_p, &after_c }) {
                if (seen.insert(next->key()).second)
                    stack.push_back(*next);
            }
        }
        states = seen.size();
        return finished ? "" : "the final state is unreachable";
    }
};

} // namespace

TEST(RingModel, EveryInterleavingOfTheProtocol)
{
    // Sizes chosen to wrap in every way on a 64-byte ring (five laps):
    // payloads that end before, at and across the end, the largest message,
    // empty messages.
    std::vector<u32> lengths { 5, 13, 0, 24, 9, 16, 3, 1, 20, 56, 7, 30, 2 };
    struct Config {
        u32 publish_every, release_batch;
    } configs[] = { { 1, 0 }, { 2, 0 }, { 1, 16 }, { 3, 24 }, { 2, 32 } };
    for (auto config : configs) {
        ProtocolModel model { lengths, config.publish_every, config.release_batch };
        u64 states = 0;
        EXPECT_EQ(model.check(states), "") << config.publish_every << "/" << config.release_batch;
        EXPECT_GT(states, 2000u);
        std::printf("[ model ] publish every %u, release batch %u: %llu states\n", config.publish_every,
            config.release_batch, states);
    }
}

TEST(RingModel, CatchesBrokenProtocols)
{
    std::vector<u32> lengths { 5, 13, 0, 24, 9, 16 };
    u64 states = 0;
    ProtocolModel early_publish { lengths, 1, 0, ProtocolModel::Bug::PublishBeforePayload };
    EXPECT_NE(early_publish.check(states), "");
    ProtocolModel early_release { lengths, 1, 0, ProtocolModel::Bug::ReleaseBeforeRead };
    EXPECT_EQ(early_release.check(states), "producer overwrote unread byte");
    ProtocolModel hoarding { lengths, 3, 0, ProtocolModel::Bug::NoPublishWhenFull };
    EXPECT_EQ(hoarding.check(states), "deadlock: neither side can make progress");
}

namespace {

u32 stream_length(u32 i) { return 4 + (i * 7919u) % 297; }

void fill_message(u8* message, u32 i, u32 length)
{
    std::memcpy(message, &i, 4);
    for (u32 j = 4; j < length; ++j)
        message[j] = static_cast<u8>(i * 13 + j);
}

// Streams `count` variable-length messages from one thread to another over a
// ring of `capacity` bytes; checks sequence, length and a running checksum.
void stream_between_threads(u32 count, u32 capacity, u32 publish_every, u32 release_batch)
{
    Region region(sizeof(RingHeader) + capacity);
    auto ring = make_ring(region, 0u - capacity * 5 / 2);
    std::atomic<bool> failed { false };
    u64 received_sum = 0;
    u32 received = 0;
    std::thread consumer_thread([&] {
        RingConsumer consumer(ring, release_batch);
        u8 buffer[512];
        while (received < count && !failed.load(std::memory_order_relaxed)) {
            u32 length = 0;
            auto result = consumer.try_receive(buffer, sizeof(buffer), length);
            if (result.is_error()) {
                failed = true;
                break;
            }
            if (!result.value()) {
                std::this_thread::yield();
                continue;
            }
            u32 sequence;
            std::memcpy(&sequence, buffer, 4);
            if (sequence != received || length != stream_length(received)) {
                failed = true;
                break;
            }
            received_sum = checksum(buffer, length, received_sum);
            ++received;
        }
    });
    RingProducer producer(ring);
    u8 message[512];
    u64 sent_sum = 0;
    for (u32 i = 0; i < count && !failed; ++i) {
        u32 length = stream_length(i);
        fill_message(message, i, length);
        sent_sum = checksum(message, length, sent_sum);
        for (;;) {
            auto result = producer.try_write(message, length);
            if (result.is_error()) {
                failed = true;
                break;
            }
            if (result.value())
                break;
            if (failed)
                break;
            std::this_thread::yield();
        }
        if (i % publish_every == 0)
            producer.publish();
    }
    producer.publish();
    consumer_thread.join();
    ASSERT_FALSE(failed.load());
    EXPECT_EQ(received, count);
    EXPECT_EQ(received_sum, sent_sum);
}

} // namespace

TEST(RingThreads, TwoMillionMessagesWithChecksums)
{
    stream_between_threads(2000000 / ThreadScale, 4096, 1, 0);
}

TEST(RingThreads, BatchedBothSidesTinyRing)
{
    // A 1 KiB ring (messages of up to 300 bytes) is full most of the time;
    // the producer publishes every 7 messages, the consumer releases 256 bytes
    // at a time.
    stream_between_threads(1000000 / ThreadScale, 1024, 7, 256);
}

TEST(RingThreads, MpscFourProducers)
{
    constexpr u32 producers = 4;
    const u32 per_producer = 250000 / ThreadScale;
    Region region(sizeof(RingHeader) + 2048);
    auto ring = make_ring(region, 0u - 3000);
    std::atomic<bool> failed { false };
    std::vector<std::thread> threads;
    u64 sent_sums[producers] = {};
    for (u32 p = 0; p < producers; ++p) {
        threads.emplace_back([&, p] {
            MpscProducer producer(ring, [] { std::this_thread::yield(); });
            u8 message[256];
            u64 sum = 0;
            for (u32 i = 0; i < per_producer && !failed; ++i) {
                u32 length = 8 + (i * 13 + p) % 120;
                std::memcpy(message, &p, 4);
                std::memcpy(message + 4, &i, 4);
                for (u32 j = 8; j < length; ++j)
                    message[j] = static_cast<u8>(p * 17 + i + j);
                sum = checksum(message, length, sum);
                for (;;) {
                    auto result = producer.try_send(message, length);
                    if (result.is_error())
                        failed = true;
                    if (result.is_error() || result.value())
                        break;
                    std::this_thread::yield();
                }
            }
            sent_sums[p] = sum;
        });
    }
    RingConsumer consumer(ring);
    u32 next[producers] = {};
    u64 sums[producers] = {};
    u32 total = 0;
    u8 buffer[256];
    while (total < producers * per_producer && !failed) {
        u32 length = 0;
        auto result = consumer.try_receive(buffer, sizeof(buffer), length);
        if (result.is_error()) {
            failed = true;
            break;
        }
        if (!result.value()) {
            std::this_thread::yield();
            continue;
        }
        u32 p, i;
        std::memcpy(&p, buffer, 4);
        std::memcpy(&i, buffer + 4, 4);
        if (p >= producers || i != next[p] || length != 8 + (i * 13 + p) % 120) {
            failed = true;
            break;
        }
        sums[p] = checksum(buffer, length, sums[p]);
        ++next[p];
        ++total;
    }
    for (auto& thread : threads)
        thread.join();
    ASSERT_FALSE(failed.load());
    for (u32 p = 0; p < producers; ++p)
        EXPECT_EQ(sums[p], sent_sums[p]);
    EXPECT_FALSE(consumer.has_message().value());
}

namespace {

struct Queue {
    explicit Queue(u32 ring_capacity)
        : region(sizeof(PriorityQueueHeader) + PriorityLevels * RingView::region_size(ring_capacity))
    {
        auto made = PriorityQueueView::initialize(region.memory, region.size);
        EXPECT_FALSE(made.is_error());
        view = made.release_value();
    }
    Region region;
    PriorityQueueView view;
};

} // namespace

TEST(PriorityQueue, LayoutAndAttach)
{
    Queue queue(1024);
    for (u32 level = 0; level < PriorityLevels; ++level)
        EXPECT_EQ(queue.view.ring(level).capacity(), 1024u);
    auto attached = PriorityQueueView::attach(queue.region.memory, queue.region.size);
    ASSERT_FALSE(attached.is_error());
    EXPECT_EQ(attached.value().ring(3).header(), queue.view.ring(3).header());
    auto* header = reinterpret_cast<PriorityQueueHeader*>(queue.region.memory);
    header->ring_bytes = 1u << 20; // larger than the region
    EXPECT_EQ(PriorityQueueView::attach(queue.region.memory, queue.region.size).error().code(), ErrorCode::Corrupt);
    header->ring_bytes = RingView::region_size(1024);
    queue.view.ring(2).header()->magic = 0;
    EXPECT_EQ(PriorityQueueView::attach(queue.region.memory, queue.region.size).error().code(), ErrorCode::Corrupt);
}

TEST(PriorityQueue, MostUrgentFirstFifoWithinLevel)
{
    Queue queue(1024);
    PrioritySender sender(queue.view);
    PriorityReceiver receiver(queue.view);
    const u32 levels[] = { 3, 1, 2, 0, 3, 1, 0, 2, 2 };
    for (u32 i = 0; i < 9; ++i) {
        ASSERT_TRUE(sender.try_send(levels[i], &i, 4).value());
        u32 expected_mask = 0;
        for (u32 j = 0; j <= i; ++j)
            expected_mask |= 1u << levels[j];
        EXPECT_EQ(queue.view.pending(), expected_mask);
    }
    EXPECT_EQ(sender.try_send(4, "x", 1).error().code(), ErrorCode::InvalidArgument);
    const u32 expected[][2] = { { 0, 3 }, { 0, 6 }, { 1, 1 }, { 1, 5 }, { 2, 2 }, { 2, 7 }, { 2, 8 }, { 3, 0 }, { 3, 4 } };
    for (auto& [level, index] : expected) {
        u32 value = 0, got_level = 0, length = 0;
        ASSERT_TRUE(receiver.try_receive(&value, 4, got_level, length).value());
        EXPECT_EQ(got_level, level);
        EXPECT_EQ(value, index);
        EXPECT_EQ(length, 4u);
    }
    // The mask still has stale bits for levels drained by the last
    // receives; a receive that finds nothing clears them all.
    u32 value, level, length;
    auto result = receiver.try_receive(&value, 4, level, length);
    ASSERT_FALSE(result.is_error());
    EXPECT_FALSE(result.value());
    EXPECT_EQ(queue.view.pending(), 0u);

    // A more urgent message sent later still overtakes queued ones.
    u32 a = 1, b = 2;
    ASSERT_TRUE(sender.try_send(2, &a, 4).value());
    ASSERT_TRUE(sender.try_send(1, &b, 4).value());
    ASSERT_TRUE(receiver.try_receive(&value, 4, level, length).value());
    EXPECT_EQ(level, 1u);
    EXPECT_EQ(value, 2u);
}

TEST(PriorityQueue, FullLevelAndHostileMask)
{
    Queue queue(64);
    PrioritySender sender(queue.view);
    PriorityReceiver receiver(queue.view);
    u8 message[24] = {};
    EXPECT_TRUE(sender.try_send(1, message, 24).value());
    EXPECT_TRUE(sender.try_send(1, message, 24).value());
    EXPECT_FALSE(sender.try_send(1, message, 24).value()); // level 1 full
    EXPECT_TRUE(sender.try_send(0, message, 24).value());  // others unaffected
    // Bits for levels that do not exist, and for empty levels, are ignored.
    __atomic_fetch_or(&queue.view.header()->pending, 0xfffffff0u | 0x8u, __ATOMIC_SEQ_CST);
    u32 level, length;
    u8 buffer[64];
    for (u32 expected : { 0u, 1u, 1u }) {
        ASSERT_TRUE(receiver.try_receive(buffer, sizeof(buffer), level, length).value());
        EXPECT_EQ(level, expected);
    }
    EXPECT_FALSE(receiver.try_receive(buffer, sizeof(buffer), level, length).value());
    EXPECT_EQ(queue.view.pending() & 0xfu, 0u);
}

// Ping-pong: each sender posts one message and waits until the receiver has
// taken it, so the receiver keeps finding rings empty and clearing bits while
// senders set them: the clear/re-check race happens constantly. A message
// stranded behind a clear bit is never seen by the receiver (it only looks at
// flagged levels) and the test fails at the deadline.
TEST(PriorityQueueThreads, PendingMaskNeverStrandsAMessage)
{
    Queue queue(256);
    constexpr u32 senders = 4;
    const u32 rounds = 40000 / ThreadScale;
    std::atomic<u32> acknowledged[senders] = {};
    std::atomic<bool> stop { false };
    std::vector<std::thread> threads;
    for (u32 s = 0; s < senders; ++s) {
        threads.emplace_back([&, s] {
            PrioritySender sender(queue.view, [] { std::this_thread::yield(); });
            for (u32 i = 0; i < rounds && !stop; ++i) {
                u32 message[2] = { s, i };
                auto result = sender.try_send(s, message, sizeof(message));
                if (result.is_error() || !result.value()) {
                    stop = true;
                    return;
                }
                while (acknowledged[s].load(std::memory_order_acquire) != i + 1 && !stop)
                    std::this_thread::yield();
            }
        });
    }
    PriorityReceiver receiver(queue.view);
    u32 total = 0;
    bool wrong = false;
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while (total < senders * rounds && !wrong) {
        u32 message[2], level, length;
        auto result = receiver.try_receive(message, sizeof(message), level, length);
        if (result.is_error()) {
            wrong = true;
            break;
        }
        if (!result.value()) {
            if (std::chrono::steady_clock::now() > deadline)
                break;
            std::this_thread::yield();
            continue;
        }
        if (level != message[0] || acknowledged[level].load() != message[1]) {
            wrong = true;
            break;
        }
        acknowledged[level].store(message[1] + 1, std::memory_order_release);
        ++total;
    }
    stop = true;
    for (auto& thread : threads)
        thread.join();
    EXPECT_FALSE(wrong);
    EXPECT_EQ(total, senders * rounds);
    if (total != senders * rounds) {
        // Distinguish a stranded message from a slow machine.
        for (u32 level = 0; level < PriorityLevels; ++level) {
            auto* ring = queue.view.ring(level).header();
            ADD_FAILURE() << "level " << level << ": head " << ring->head << " tail " << ring->tail << " pending "
                          << queue.view.pending() << " acknowledged " << acknowledged[level].load();
        }
    }
    u32 message[2], level, length;
    auto result = receiver.try_receive(message, sizeof(message), level, length);
    ASSERT_FALSE(result.is_error());
    EXPECT_FALSE(result.value());
    EXPECT_EQ(queue.view.pending(), 0u);
}

// Senders stream to all levels at once. Nothing is lost, each sender's
// messages are FIFO within a level, and priority holds: when the receiver
// takes a level-L message, every more urgent message whose send had
// completed before the receive began has already been received.
TEST(PriorityQueueThreads, ConcurrentStreamsKeepPriority)
{
    Queue queue(2048);
    constexpr u32 senders = 3;
    const u32 per_sender = 60000 / ThreadScale;
    std::atomic<u32> sent[PriorityLevels] = {};
    std::atomic<bool> failed { false };
    std::vector<std::thread> threads;
    for (u32 s = 0; s < senders; ++s) {
        threads.emplace_back([&, s] {
            PrioritySender sender(queue.view, [] { std::this_thread::yield(); });
            for (u32 i = 0; i < per_sender && !failed; ++i) {
                u32 level = (i * 7 + s) % PriorityLevels;
                u32 message[3] = { s, i, level };
                for (;;) {
                    auto result = sender.try_send(level, message, sizeof(message));
                    if (result.is_error())
                        failed = true;
                    if (result.is_error() || result.value())
                        break;
                    std::this_thread::yield();
                }
                sent[level].fetch_add(1, std::memory_order_release);
            }
        });
    }
    PriorityReceiver receiver(queue.view, 128);
    u32 received[PriorityLevels] = {};
    u32 last[senders][PriorityLevels];
    std::memset(last, 0xff, sizeof(last));
    u32 total = 0;
    std::string error;
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(120);
    while (total < senders * per_sender && error.empty() && !failed) {
        u32 known_sent[PriorityLevels];
        for (u32 l = 0; l < PriorityLevels; ++l)
            known_sent[l] = sent[l].load(std::memory_order_acquire);
        u32 message[3], level, length;
        auto result = receiver.try_receive(message, sizeof(message), level, length);
        if (result.is_error()) {
            error = "receive error";
            break;
        }
        if (!result.value()) {
            if (std::chrono::steady_clock::now() > deadline)
                error = "timed out";
            continue;
        }
        if (length != sizeof(message) || message[0] >= senders || message[2] != level) {
            error = "bad message";
            break;
        }
        u32& previous = last[message[0]][level];
        if (previous != 0xffffffffu && message[1] <= previous) {
            error = "FIFO order broken";
            break;
        }
        previous = message[1];
        for (u32 l = 0; l < level; ++l) {
            if (known_sent[l] > received[l])
                error = "a more urgent message was overtaken";
        }
        ++received[level];
        ++total;
    }
    for (auto& thread : threads)
        thread.join();
    EXPECT_FALSE(failed.load());
    EXPECT_EQ(error, "");
    EXPECT_EQ(total, senders * per_sender);
    u32 message[3], level, length;
    EXPECT_FALSE(receiver.try_receive(message, sizeof(message), level, length).value());
    EXPECT_EQ(queue.view.pending(), 0u);
}
