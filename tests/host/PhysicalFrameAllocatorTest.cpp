#include <gtest/gtest.h>

#include <random>
#include <set>
#include <vector>

#include "kernel/mm/PhysicalFrameAllocator.h"

using mm::page_size;
using mm::PhysicalFrameAllocator;

namespace {

// An allocator with its own bitmap storage.
struct TestAllocator {
    explicit TestAllocator(PhysicalAddress highest_end)
        : storage(PhysicalFrameAllocator::bitmap_bytes_for(highest_end) / 4 + 1, 0xA5A5A5A5u)
    {
        allocator.initialize(storage.data(), PhysicalFrameAllocator::bitmap_bytes_for(highest_end), highest_end);
    }
    std::vector<u32> storage;
    PhysicalFrameAllocator allocator;
};

} // namespace

TEST(PhysicalFrameAllocator, BitmapSize)
{
    // Two bits per frame, rounded up to whole 32-frame words per bitmap.
    EXPECT_EQ(PhysicalFrameAllocator::bitmap_bytes_for(0), 0u);
    EXPECT_EQ(PhysicalFrameAllocator::bitmap_bytes_for(1), 8u);
    EXPECT_EQ(PhysicalFrameAllocator::bitmap_bytes_for(32 * page_size), 8u);
    EXPECT_EQ(PhysicalFrameAllocator::bitmap_bytes_for(33 * page_size), 16u);
    EXPECT_EQ(PhysicalFrameAllocator::bitmap_bytes_for(1ull << 30), 65536u); // 1 GiB
    // Clipped at 4 GiB.
    EXPECT_EQ(PhysicalFrameAllocator::bitmap_bytes_for(1ull << 36), PhysicalFrameAllocator::bitmap_bytes_for(1ull << 32));
}

TEST(PhysicalFrameAllocator, StartsEmptyAndAddsInward)
{
    TestAllocator test(0x100000);
    auto& allocator = test.allocator;
    EXPECT_EQ(allocator.total_frames(), 0u);
    EXPECT_EQ(allocator.free_frames(), 0u);
    auto nothing = allocator.allocate();
    ASSERT_TRUE(nothing.is_error());
    EXPECT_EQ(nothing.error().code(), ErrorCode::NoMemory);

    allocator.add_free_range(0x1800, 0x3000); // [0x1800, 0x4800): only 0x2000..0x4000 whole
    EXPECT_EQ(allocator.total_frames(), 2u);
    EXPECT_FALSE(allocator.is_free(0x1000));
    EXPECT_TRUE(allocator.is_free(0x2000));
    EXPECT_TRUE(allocator.is_free(0x3FFF));
    EXPECT_FALSE(allocator.is_free(0x4000));
    // Adding again counts nothing twice.
    allocator.add_free_range(0x2000, 0x2000);
    EXPECT_EQ(allocator.total_frames(), 2u);
    EXPECT_EQ(allocator.free_frames(), 2u);
    // Beyond the managed range is clipped.
    allocator.add_free_range(0xFF000, 0x10000000);
    EXPECT_EQ(allocator.total_frames(), 3u);
    EXPECT_FALSE(allocator.is_free(0x100000));
}

TEST(PhysicalFrameAllocator, AllocateUntilExhausted)
{
    TestAllocator test(0x40000);
    auto& allocator = test.allocator;
    allocator.add_free_range(0x10000, 0x10000); // 16 frames
    std::set<PhysicalAddress> seen;
    for (int i = 0; i < 16; ++i) {
        auto frame = allocator.allocate();
        ASSERT_FALSE(frame.is_error());
        EXPECT_EQ(frame.value() % page_size, 0u);
        EXPECT_GE(frame.value(), 0x10000u);
        EXPECT_LT(frame.value(), 0x20000u);
        EXPECT_TRUE(seen.insert(frame.value()).second);
        EXPECT_FALSE(allocator.is_free(frame.value()));
        EXPECT_TRUE(allocator.is_allocated(frame.value()));
    }
    auto exhausted = allocator.allocate();
    ASSERT_TRUE(exhausted.is_error());
    EXPECT_EQ(exhausted.error().code(), ErrorCode::NoMemory);
    EXPECT_EQ(allocator.free_frames(), 0u);
    EXPECT_EQ(allocator.used_frames(), 16u);
    EXPECT_EQ(allocator.total_frames(), 16u);
}

TEST(PhysicalFrameAllocator, ReservedFramesAreNeverHandedOut)
{
    TestAllocator test(0x200000);
    auto& allocator = test.allocator;
    allocator.add_free_range(0, 0x200000);
    allocator.reserve_range(0, 0x100000);       // first MiB
    allocator.reserve_range(0x100800, 0x1000);  // widened outward: 0x100000 and 0x101000
    EXPECT_EQ(allocator.total_frames(), 512u);
    EXPECT_EQ(allocator.free_frames(), 512u - 256u - 2u);
    EXPECT_EQ(allocator.used_frames(), 258u);
    size_t count = 0;
    while (true) {
        auto frame = allocator.allocate();
        if (frame.is_error())
            break;
        EXPECT_GE(frame.value(), 0x102000u);
        ++count;
    }
    EXPECT_EQ(count, 254u);
    // Freeing a reserved frame is refused.
    auto result = allocator.free(0x100000);
    ASSERT_TRUE(result.is_error());
    EXPECT_EQ(result.error().code(), ErrorCode::InvalidArgument);
    EXPECT_FALSE(allocator.is_free(0x100000));
    // Releasing a reservation makes the frames free again without counting them twice.
    allocator.add_free_range(0x100000, 0x2000);
    EXPECT_EQ(allocator.free_frames(), 2u);
    EXPECT_EQ(allocator.total_frames(), 512u);
}

TEST(PhysicalFrameAllocator, BadFreesAreRejected)
{
    TestAllocator test(0x100000);
    auto& allocator = test.allocator;
    allocator.add_free_range(0x10000, 0x10000);
    auto frame = allocator.allocate();
    ASSERT_FALSE(frame.is_error());
    PhysicalAddress const address = frame.value();

    auto unaligned = allocator.free(address + 4);
    ASSERT_TRUE(unaligned.is_error());
    EXPECT_EQ(unaligned.error().code(), ErrorCode::InvalidArgument);
    auto outside = allocator.free(0x200000);
    ASSERT_TRUE(outside.is_error());
    auto huge = allocator.free(~0ull & ~0xFFFull);
    ASSERT_TRUE(huge.is_error());
    auto never_ram = allocator.free(0x1000);
    ASSERT_TRUE(never_ram.is_error());
    auto never_allocated = allocator.free(address + page_size);
    ASSERT_TRUE(never_allocated.is_error());
    EXPECT_EQ(allocator.free_frames(), 15u);

    ASSERT_FALSE(allocator.free(address).is_error());
    EXPECT_EQ(allocator.free_frames(), 16u);
    auto double_free = allocator.free(address);
    ASSERT_TRUE(double_free.is_error());
    EXPECT_EQ(double_free.error().code(), ErrorCode::InvalidArgument);
    EXPECT_EQ(allocator.free_frames(), 16u);
}

TEST(PhysicalFrameAllocator, HintWrapsAround)
{
    TestAllocator test(0x100000);
    auto& allocator = test.allocator;
    allocator.add_free_range(0, 0x100000); // 256 frames, 8 words
    std::vector<PhysicalAddress> frames;
    for (int i = 0; i < 256; ++i)
        frames.push_back(allocator.allocate().release_value());
    EXPECT_TRUE(allocator.allocate().is_error());
    // Free one near the start; the hint sits at the end and must wrap.
    ASSERT_FALSE(allocator.free(0x3000).is_error());
    auto again = allocator.allocate();
    ASSERT_FALSE(again.is_error());
    EXPECT_EQ(again.value(), 0x3000u);
    // Free one in the last word too, then one in the first: both come back.
    ASSERT_FALSE(allocator.free(0xFF000).is_error());
    ASSERT_FALSE(allocator.free(0x1000).is_error());
    std::set<PhysicalAddress> back { allocator.allocate().release_value(), allocator.allocate().release_value() };
    EXPECT_EQ(back, (std::set<PhysicalAddress> { 0x1000, 0xFF000 }));
}

TEST(PhysicalFrameAllocator, HighestEndNotAMultipleOf32Frames)
{
    // 37.5 frames: the half frame and the padding bits of the second word
    // must never be handed out.
    PhysicalAddress const end = 37 * page_size + 0x800;
    TestAllocator test(end);
    auto& allocator = test.allocator;
    EXPECT_EQ(allocator.managed_frames(), 38u);
    allocator.add_free_range(0, ~0ull);
    EXPECT_EQ(allocator.total_frames(), 37u);
    std::set<PhysicalAddress> seen;
    while (true) {
        auto frame = allocator.allocate();
        if (frame.is_error())
            break;
        EXPECT_LT(frame.value() + page_size, end + 1);
        seen.insert(frame.value());
    }
    EXPECT_EQ(seen.size(), 37u);
    EXPECT_TRUE(allocator.allocate_contiguous(1).is_error());
}

TEST(PhysicalFrameAllocator, StorageSmallerThanNeededLimitsManagedFrames)
{
    std::vector<u32> storage(2, 0); // one word per bitmap: 32 frames
    PhysicalFrameAllocator allocator;
    allocator.initialize(storage.data(), 8, 0x100000);
    EXPECT_EQ(allocator.managed_frames(), 32u);
    allocator.add_free_range(0, 0x100000);
    EXPECT_EQ(allocator.total_frames(), 32u);
}

TEST(PhysicalFrameAllocator, ContiguousWithAlignment)
{
    TestAllocator test(0x400000);
    auto& allocator = test.allocator;
    allocator.add_free_range(0x1000, 0x3FF000); // frame 0 missing
    auto run = allocator.allocate_contiguous(16, 16);
    ASSERT_FALSE(run.is_error());
    EXPECT_EQ(run.value(), 0x10000u); // frames 1..15 are free but not aligned
    for (PhysicalAddress a = run.value(); a < run.value() + 16 * page_size; a += page_size)
        EXPECT_TRUE(allocator.is_allocated(a));

    // Fragment: allocate frame 0x21, so a 32-frame run aligned to 32 must skip to 0x40.
    allocator.reserve_range(0x21000, 1);
    auto aligned = allocator.allocate_contiguous(32, 32);
    ASSERT_FALSE(aligned.is_error());
    EXPECT_EQ(aligned.value(), 0x40000u);

    // An unaligned run uses the first fit.
    auto small = allocator.allocate_contiguous(3);
    ASSERT_FALSE(small.is_error());
    EXPECT_EQ(small.value(), 0x1000u);

    auto bad = allocator.allocate_contiguous(0);
    ASSERT_TRUE(bad.is_error());
    EXPECT_EQ(bad.error().code(), ErrorCode::InvalidArgument);
    auto bad_alignment = allocator.allocate_contiguous(1, 3);
    ASSERT_TRUE(bad_alignment.is_error());
    EXPECT_EQ(bad_alignment.error().code(), ErrorCode::InvalidArgument);
    auto too_big = allocator.allocate_contiguous(1024);
    ASSERT_TRUE(too_big.is_error());
    EXPECT_EQ(too_big.error().code(), ErrorCode::NoMemory);

    size_t const free_before = allocator.free_frames();
    // Freeing a run that includes a frame not allocated changes nothing.
    auto partial = allocator.free_contiguous(0x40000, 33);
    ASSERT_TRUE(partial.is_error());
    EXPECT_EQ(allocator.free_frames(), free_before);
    EXPECT_TRUE(allocator.is_allocated(0x40000));
    ASSERT_FALSE(allocator.free_contiguous(0x40000, 32).is_error());
    EXPECT_EQ(allocator.free_frames(), free_before + 32);
    EXPECT_TRUE(allocator.free_contiguous(0x40000, 1).is_error()); // double free
    EXPECT_TRUE(allocator.free_contiguous(0x3FF000, 2).is_error()); // runs past the end
}

TEST(PhysicalFrameAllocator, RandomizedAgainstReferenceModel)
{
    // 1000 frames of RAM in pieces, with a reserved hole, against std::set.
    PhysicalAddress const end = 1000 * page_size + 0x123;
    TestAllocator test(end);
    auto& allocator = test.allocator;
    allocator.add_free_range(0x3456, 300 * page_size);
    allocator.add_free_range(400 * page_size, ~0ull);
    allocator.reserve_range(500 * page_size, 20 * page_size - 1);

    std::set<PhysicalAddress> free_model;
    for (PhysicalAddress a = 0; a < 1000 * page_size; a += page_size) {
        bool const added = (a >= 0x4000 && a < 0x3456 + 300 * page_size - 0x456) || a >= 400 * page_size;
        bool const reserved = a >= 500 * page_size && a < 520 * page_size;
        if (added && !reserved)
            free_model.insert(a);
    }
    std::set<PhysicalAddress> allocated_model;
    ASSERT_EQ(allocator.free_frames(), free_model.size());

    std::mt19937 random(42);
    for (int step = 0; step < 20000; ++step) {
        int const action = random() % 10;
        if (action < 5) {
            auto frame = allocator.allocate();
            if (free_model.empty()) {
                ASSERT_TRUE(frame.is_error());
                continue;
            }
            ASSERT_FALSE(frame.is_error());
            ASSERT_EQ(free_model.erase(frame.value()), 1u) << "handed out a frame that was not free";
            allocated_model.insert(frame.value());
        } else if (action < 6) {
            size_t const count = 1 + random() % 8;
            size_t const alignment = size_t(1) << (random() % 4);
            auto run = allocator.allocate_contiguous(count, alignment);
            if (run.is_error())
                continue; // the model does not search runs; success is checked below
            ASSERT_EQ(run.value() / page_size % alignment, 0u);
            for (size_t i = 0; i < count; ++i) {
                ASSERT_EQ(free_model.erase(run.value() + i * page_size), 1u);
                allocated_model.insert(run.value() + i * page_size);
            }
        } else if (!allocated_model.empty()) {
            auto it = allocated_model.begin();
            std::advance(it, random() % allocated_model.size());
            PhysicalAddress const frame = *it;
            ASSERT_FALSE(allocator.free(frame).is_error());
            allocated_model.erase(it);
            free_model.insert(frame);
            ASSERT_TRUE(allocator.free(frame).is_error()); // and a double free fails
        }
        ASSERT_EQ(allocator.free_frames(), free_model.size());
        ASSERT_EQ(allocator.used_frames(), allocated_model.size() + 20);
    }
    for (PhysicalAddress a = 0; a < 1000 * page_size; a += page_size)
        ASSERT_EQ(allocator.is_free(a), free_model.count(a) == 1) << a;
}
