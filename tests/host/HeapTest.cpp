#include <gtest/gtest.h>

#include <cstdlib>
#include <cstring>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "kernel/mm/Heap.h"

using mm::Heap;

namespace {

std::vector<std::string> s_failures;

void record_failure(const char* message, const void*)
{
    s_failures.push_back(message);
}

// A 4096-aligned buffer used as arena memory.
struct Buffer {
    explicit Buffer(size_t size)
        : bytes(static_cast<u8*>(std::aligned_alloc(4096, size)))
        , size(size)
    {
    }
    ~Buffer() { std::free(bytes); }
    Buffer(const Buffer&) = delete;
    Buffer& operator=(const Buffer&) = delete;
    u8* bytes;
    size_t size;
};

class HeapTest : public ::testing::Test {
protected:
    void SetUp() override
    {
        s_failures.clear();
        heap.initialize(record_failure);
        heap.add_arena(arena.bytes, arena.size);
    }

    bool failed_with(const std::string& text)
    {
        for (auto& failure : s_failures) {
            if (failure.find(text) != std::string::npos)
                return true;
        }
        return false;
    }

    Buffer arena { 1 << 20 };
    Heap heap;
};

u8 pattern_for(size_t id, size_t index) { return static_cast<u8>(id * 131 + index * 7 + 1); }

} // namespace

TEST_F(HeapTest, AllocationsAreAlignedDistinctAndUsable)
{
    void* a = heap.allocate(1);
    void* b = heap.allocate(100);
    void* c = heap.allocate(0);
    void* d = heap.allocate(0);
    ASSERT_TRUE(a && b && c && d);
    for (void* p : { a, b, c, d })
        EXPECT_EQ(reinterpret_cast<uintptr_t>(p) % 16, 0u);
    EXPECT_NE(c, d); // size 0 still yields unique pointers
    std::memset(b, 0x5A, 100);
    EXPECT_EQ(heap.allocation_size(b), 100u);
    EXPECT_TRUE(heap.validate());
    auto stats = heap.statistics();
    EXPECT_EQ(stats.live_allocations, 4u);
    EXPECT_EQ(stats.bytes_in_use + stats.bytes_free + Heap::arena_overhead(), stats.arena_bytes);
    for (void* p : { a, b, c, d })
        heap.free(p);
    heap.free(nullptr);
    EXPECT_TRUE(heap.validate());
    EXPECT_TRUE(s_failures.empty());
}

TEST_F(HeapTest, LargeAlignments)
{
    std::vector<void*> pointers;
    for (size_t alignment = 16; alignment <= 4096; alignment *= 2) {
        for (size_t size : { size_t(1), size_t(24), size_t(4096), size_t(5000) }) {
            void* p = heap.allocate(size, alignment);
            ASSERT_NE(p, nullptr);
            EXPECT_EQ(reinterpret_cast<uintptr_t>(p) % alignment, 0u) << alignment;
            std::memset(p, 0x11, size);
            pointers.push_back(p);
        }
    }
    EXPECT_EQ(heap.allocate(8, 8192), nullptr); // above the maximum
    EXPECT_EQ(heap.allocate(8, 48), nullptr);   // not a power of two
    void* small = heap.allocate(8, 4);          // raised to 16
    ASSERT_NE(small, nullptr);
    EXPECT_EQ(reinterpret_cast<uintptr_t>(small) % 16, 0u);
    pointers.push_back(small);
    EXPECT_TRUE(heap.validate());
    for (void* p : pointers)
        heap.free(p);
    EXPECT_TRUE(heap.validate());
    EXPECT_EQ(heap.statistics().free_blocks, 1u);
    EXPECT_TRUE(s_failures.empty());
}

TEST_F(HeapTest, FreeingEverythingCoalescesIntoOneBlock)
{
    size_t const whole = heap.statistics().largest_free_block;
    EXPECT_EQ(whole, arena.size - Heap::arena_overhead());
    std::vector<void*> pointers;
    for (int i = 0; i < 300; ++i)
        pointers.push_back(heap.allocate(16 + i * 13));
    // Free in an interleaved order so that both left and right merges happen.
    for (size_t i = 0; i < pointers.size(); i += 2)
        heap.free(pointers[i]);
    EXPECT_GT(heap.statistics().free_blocks, 100u);
    EXPECT_TRUE(heap.validate());
    for (size_t i = 1; i < pointers.size(); i += 2)
        heap.free(pointers[i]);
    auto stats = heap.statistics();
    EXPECT_EQ(stats.free_blocks, 1u);
    EXPECT_EQ(stats.largest_free_block, whole);
    EXPECT_EQ(stats.bytes_in_use, 0u);
    EXPECT_EQ(stats.live_allocations, 0u);
    EXPECT_EQ(stats.allocations, 300u);
    EXPECT_EQ(stats.frees, 300u);
    EXPECT_TRUE(heap.validate());
    EXPECT_TRUE(s_failures.empty());
}

TEST_F(HeapTest, RandomAllocationsKeepTheirContents)
{
    std::mt19937 random(7);
    std::map<u8*, std::pair<size_t, size_t>> live; // pointer -> (size, id)
    size_t next_id = 0;
    for (int step = 0; step < 20000; ++step) {
        bool const allocate = live.empty() || random() % 100 < 55;
        if (allocate) {
            size_t const size = random() % 4 == 0 ? random() % 8000 : random() % 200;
            size_t const alignment = size_t(16) << (random() % 4 == 0 ? random() % 9 : 0);
            auto* p = static_cast<u8*>(heap.allocate(size, alignment));
            if (!p)
                continue; // the arena may be full; exhaustion is tested elsewhere
            ASSERT_EQ(reinterpret_cast<uintptr_t>(p) % alignment, 0u);
            size_t const id = next_id++;
            for (size_t i = 0; i < size; ++i)
                p[i] = pattern_for(id, i);
            ASSERT_TRUE(live.emplace(p, std::make_pair(size, id)).second) << "pointer handed out twice";
        } else {
            auto it = live.begin();
            std::advance(it, random() % live.size());
            auto [size, id] = it->second;
            for (size_t i = 0; i < size; ++i)
                ASSERT_EQ(it->first[i], pattern_for(id, i)) << "allocation contents changed";
            if (random() % 5 == 0) {
                size_t const new_size = random() % 500;
                auto* moved = static_cast<u8*>(heap.reallocate(it->first, new_size));
                if (!moved)
                    continue;
                for (size_t i = 0; i < std::min(size, new_size); ++i)
                    ASSERT_EQ(moved[i], pattern_for(id, i)) << "reallocate lost contents";
                for (size_t i = 0; i < new_size; ++i)
                    moved[i] = pattern_for(id, i);
                live.erase(it);
                live.emplace(moved, std::make_pair(new_size, id));
            } else {
                heap.free(it->first);
                live.erase(it);
            }
        }
        if (step % 1000 == 0)
            ASSERT_TRUE(heap.validate()) << (s_failures.empty() ? "" : s_failures.back());
    }
    EXPECT_EQ(heap.statistics().live_allocations, live.size());
    for (auto& [pointer, info] : live)
        heap.free(pointer);
    EXPECT_TRUE(heap.validate());
    EXPECT_EQ(heap.statistics().free_blocks, 1u);
    EXPECT_TRUE(s_failures.empty()) << s_failures.front();
}

TEST_F(HeapTest, ExhaustionReturnsNull)
{
    EXPECT_EQ(heap.allocate(2 << 20), nullptr);
    EXPECT_EQ(heap.allocate(~size_t(0)), nullptr);
    EXPECT_EQ(heap.allocate(~size_t(0) - 64), nullptr);
    std::vector<void*> pointers;
    while (void* p = heap.allocate(1000))
        pointers.push_back(p);
    EXPECT_GT(pointers.size(), 900u);
    EXPECT_EQ(heap.allocate(1000), nullptr);
    EXPECT_TRUE(heap.validate());
    heap.free(pointers.back());
    EXPECT_NE(heap.allocate(1000), nullptr); // the freed block is reused
    EXPECT_TRUE(s_failures.empty());
}

namespace {
Buffer* s_extra_arena = nullptr;
int s_grow_calls = 0;
size_t s_grow_minimum = 0;

bool grow_once(Heap& heap, size_t minimum_bytes)
{
    ++s_grow_calls;
    s_grow_minimum = minimum_bytes;
    if (!s_extra_arena || minimum_bytes > s_extra_arena->size)
        return false;
    heap.add_arena(s_extra_arena->bytes, s_extra_arena->size);
    s_extra_arena = nullptr;
    return true;
}
} // namespace

TEST(HeapGrowth, GrowCallbackAddsAnArena)
{
    s_failures.clear();
    Buffer first(64 * 1024);
    Buffer second(256 * 1024);
    s_extra_arena = &second;
    s_grow_calls = 0;
    Heap heap;
    heap.initialize(record_failure, grow_once);
    heap.add_arena(first.bytes, first.size);

    void* big = heap.allocate(100 * 1024);
    ASSERT_NE(big, nullptr);
    EXPECT_EQ(s_grow_calls, 1);
    EXPECT_GE(s_grow_minimum, 100u * 1024);
    EXPECT_GE(reinterpret_cast<u8*>(big), second.bytes);
    EXPECT_LT(reinterpret_cast<u8*>(big), second.bytes + second.size);
    EXPECT_EQ(heap.statistics().arena_bytes, first.size + second.size);

    // Small allocations still fit without growing.
    void* small = heap.allocate(100);
    ASSERT_NE(small, nullptr);
    EXPECT_EQ(s_grow_calls, 1);

    // No more memory: the callback is asked once, then nullptr.
    EXPECT_EQ(heap.allocate(512 * 1024), nullptr);
    EXPECT_EQ(s_grow_calls, 2);
    heap.free(big);
    heap.free(small);
    EXPECT_TRUE(heap.validate());
    EXPECT_EQ(heap.statistics().free_blocks, 2u); // one per arena: arenas are not adjacent
    EXPECT_TRUE(s_failures.empty());
}

TEST_F(HeapTest, ReallocateShrinksInPlaceAndGrowsByMoving)
{
    auto* p = static_cast<u8*>(heap.allocate(1000));
    ASSERT_NE(p, nullptr);
    for (int i = 0; i < 1000; ++i)
        p[i] = static_cast<u8>(i);
    auto* blocker = heap.allocate(16); // keeps p from growing in place
    ASSERT_NE(blocker, nullptr);
    EXPECT_EQ(heap.reallocate(p, 100), p);
    EXPECT_EQ(heap.allocation_size(p), 100u);
    EXPECT_TRUE(heap.validate());
    auto* q = static_cast<u8*>(heap.reallocate(p, 5000));
    ASSERT_NE(q, nullptr);
    EXPECT_NE(q, p);
    for (int i = 0; i < 100; ++i)
        ASSERT_EQ(q[i], static_cast<u8>(i));
    EXPECT_EQ(heap.reallocate(q, 10 << 20), nullptr); // too big: the old block stays
    EXPECT_EQ(heap.allocation_size(q), 5000u);
    auto* fresh = heap.reallocate(nullptr, 40);
    ASSERT_NE(fresh, nullptr);
    heap.free(fresh);
    heap.free(q);
    heap.free(blocker);
    EXPECT_TRUE(heap.validate());
    EXPECT_EQ(heap.statistics().free_blocks, 1u);
    EXPECT_TRUE(s_failures.empty());
}

TEST_F(HeapTest, DoubleFreeIsDetected)
{
    void* a = heap.allocate(64);
    void* b = heap.allocate(64);
    void* c = heap.allocate(64);
    heap.free(b);
    auto before = heap.statistics();
    heap.free(b);
    ASSERT_EQ(s_failures.size(), 1u);
    EXPECT_EQ(s_failures[0], "heap: double free");
    EXPECT_EQ(heap.statistics().frees, before.frees);
    // After b merged into its left neighbour, its header is gone; still a double free.
    heap.free(a);
    heap.free(b);
    ASSERT_EQ(s_failures.size(), 2u);
    EXPECT_TRUE(failed_with("double free"));
    heap.free(c);
    EXPECT_TRUE(heap.validate());
    EXPECT_EQ(heap.statistics().free_blocks, 1u);
}

TEST_F(HeapTest, ForeignAndInteriorPointersAreDetected)
{
    alignas(16) u8 on_stack[64] = {};
    heap.free(on_stack);
    ASSERT_EQ(s_failures.size(), 1u);
    EXPECT_EQ(s_failures[0], "heap: free of pointer not from this heap");

    auto* p = static_cast<u8*>(heap.allocate(256));
    heap.free(p + 32);
    ASSERT_EQ(s_failures.size(), 2u);
    EXPECT_EQ(s_failures[1], "heap: free of pointer into the middle of an allocation");
    heap.free(p + 3);
    ASSERT_EQ(s_failures.size(), 3u);
    EXPECT_EQ(s_failures[2], "heap: free of pointer into the middle of an allocation");
    EXPECT_EQ(heap.reallocate(on_stack, 10), nullptr);
    EXPECT_EQ(s_failures.size(), 4u);
    // None of it hurt the heap.
    EXPECT_TRUE(heap.validate());
    heap.free(p);
    EXPECT_EQ(s_failures.size(), 4u);
    EXPECT_EQ(heap.statistics().live_allocations, 0u);
}

#if COLIBRI_HEAP_DEBUG
TEST_F(HeapTest, OverflowIsDetectedAtFreeAndByValidate)
{
    auto* p = static_cast<u8*>(heap.allocate(20));
    auto* neighbour = heap.allocate(20);
    p[20] = 0; // one byte past the end
    EXPECT_FALSE(heap.validate());
    ASSERT_EQ(s_failures.size(), 1u);
    EXPECT_EQ(s_failures[0], "heap: buffer overflow past allocation");
    heap.free(p);
    ASSERT_EQ(s_failures.size(), 2u);
    EXPECT_EQ(s_failures[1], "heap: buffer overflow past allocation");
    // The damaged block was left alone; the rest of the heap still works.
    EXPECT_EQ(heap.statistics().live_allocations, 2u);
    heap.free(neighbour);
    void* other = heap.allocate(100);
    EXPECT_NE(other, nullptr);
    EXPECT_EQ(s_failures.size(), 2u);
}

TEST_F(HeapTest, WriteAfterFreeIsDetectedByValidate)
{
    auto* p = static_cast<u8*>(heap.allocate(200));
    void* keep = heap.allocate(16); // keep p from merging with the big free block
    heap.free(p);
    EXPECT_TRUE(heap.validate());
    EXPECT_EQ(p[150], Heap::poison_byte);
    p[150] = 1;
    EXPECT_FALSE(heap.validate());
    ASSERT_EQ(s_failures.size(), 1u);
    EXPECT_EQ(s_failures[0], "heap: write to freed memory (use after free)");
    (void)keep;
}
#endif

TEST_F(HeapTest, SmashedHeaderIsReportedNotFollowed)
{
    auto* p = static_cast<u8*>(heap.allocate(64));
    auto* q = static_cast<u8*>(heap.allocate(64));
    // Scribble over q's header from p (what a large overflow does).
    std::memset(q - 16, 0x41, 16);
    heap.free(q);
    ASSERT_FALSE(s_failures.empty());
    EXPECT_TRUE(failed_with("heap: "));
    s_failures.clear();
    EXPECT_FALSE(heap.validate());
    EXPECT_FALSE(s_failures.empty());
    (void)p;
}

TEST(HeapArenas, TinyMisalignedAndOverlappingArenas)
{
    s_failures.clear();
    Buffer buffer(8192);
    Heap heap;
    heap.initialize(record_failure);
    heap.add_arena(buffer.bytes + 3, 40); // too small after alignment: ignored
    EXPECT_EQ(heap.statistics().arena_bytes, 0u);
    EXPECT_EQ(heap.allocate(1), nullptr);
    heap.add_arena(buffer.bytes + 3, 4000); // trimmed to 16-byte alignment
    EXPECT_EQ(heap.statistics().arena_bytes, (4000u - 13u) / 16 * 16);
    void* p = heap.allocate(100);
    ASSERT_NE(p, nullptr);
    EXPECT_EQ(reinterpret_cast<uintptr_t>(p) % 16, 0u);
    EXPECT_TRUE(s_failures.empty());
    heap.add_arena(buffer.bytes + 2000, 4000); // overlaps the first
    ASSERT_EQ(s_failures.size(), 1u);
    EXPECT_EQ(s_failures[0], "heap: arena overlaps an existing arena");
    EXPECT_TRUE(heap.validate());
}
