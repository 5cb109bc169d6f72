// The kernel's view of the asynchronous I/O rings (kernel/fs/AsyncIo.h),
// with heap pages standing in for the memory shared with a program, and
// the test playing the program, sometimes a hostile one.
#include "kernel/fs/AsyncIo.h"

#include <gtest/gtest.h>

#include <cstring>
#include <vector>

using namespace native;

namespace {

struct Block {
    explicit Block(u32 entries)
        : layout(fs::aio_ring_layout(entries).release_value())
    {
        // Separate allocations: the kernel's pages need not be contiguous.
        for (u32 i = 0; i < layout.pages; ++i) {
            storage.emplace_back(fs::aio_page_size, 0xCD);
            pages.push_back(storage.back().data());
        }
        rings.attach(layout, pages.data());
    }
    AioRingHeader& header() { return *reinterpret_cast<AioRingHeader*>(pages[0]); }
    AioSqe& sqe(u32 index)
    {
        u32 offset = layout.sq_offset + (index & (layout.sq_entries - 1)) * sizeof(AioSqe);
        return *reinterpret_cast<AioSqe*>(pages[offset / fs::aio_page_size] + offset % fs::aio_page_size);
    }
    AioCqe& cqe(u32 index)
    {
        u32 offset = layout.cq_offset + (index & (layout.cq_entries - 1)) * sizeof(AioCqe);
        return *reinterpret_cast<AioCqe*>(pages[offset / fs::aio_page_size] + offset % fs::aio_page_size);
    }

    fs::AioRingLayout layout;
    std::vector<std::vector<u8>> storage;
    std::vector<u8*> pages;
    fs::AioRings rings;
};

} // namespace

TEST(AsyncIoLayout, RejectsBadSizes)
{
    EXPECT_TRUE(fs::aio_ring_layout(0).is_error());
    EXPECT_TRUE(fs::aio_ring_layout(3).is_error());
    EXPECT_TRUE(fs::aio_ring_layout(2048).is_error());
    EXPECT_FALSE(fs::aio_ring_layout(1).is_error());
}

TEST(AsyncIoLayout, PagesForTheLargestRing)
{
    auto layout = fs::aio_ring_layout(1024).release_value();
    EXPECT_EQ(layout.cq_entries, 2048u);
    EXPECT_EQ(layout.sq_offset, 4096u);
    EXPECT_EQ(layout.sq_size, 1024u * 64);
    EXPECT_EQ(layout.cq_offset, 4096u + 65536);
    EXPECT_EQ(layout.cq_size, 2048u * 16);
    EXPECT_EQ(layout.size, layout.cq_offset + 32768);
    EXPECT_EQ(layout.pages * 4096, layout.size);
    // The smallest one still gives each part its own page.
    auto small = fs::aio_ring_layout(1).release_value();
    EXPECT_EQ(small.pages, 3u);
}

TEST(AsyncIoRings, AttachWritesAFreshHeader)
{
    Block block(8);
    EXPECT_EQ(block.header().sq_head, 0u);
    EXPECT_EQ(block.header().sq_tail, 0u);
    EXPECT_EQ(block.header().cq_tail, 0u);
    EXPECT_EQ(block.header().sq_mask, 7u);
    EXPECT_EQ(block.header().cq_entries, 16u);
    EXPECT_EQ(block.header().flags, 0u);
}

TEST(AsyncIoRings, SubmissionsAreCopiedOnceInOrderAcrossTheWrap)
{
    Block block(4);
    u32 next = 0;
    for (u32 round = 0; round < 5; ++round) {
        for (u32 i = 0; i < 3; ++i) {
            block.sqe(block.header().sq_tail) = AioSqe {};
            block.sqe(block.header().sq_tail).user_data = 100 + round * 3 + i;
            ++block.header().sq_tail;
        }
        EXPECT_EQ(block.rings.pending_submissions().value(), 3u);
        for (u32 i = 0; i < 3; ++i) {
            AioSqe copy;
            block.rings.take_submission(copy);
            // The program scribbling over the slot afterwards changes nothing.
            block.sqe(next).user_data = 0xBAD;
            EXPECT_EQ(copy.user_data, 100 + next);
            ++next;
        }
        EXPECT_EQ(block.header().sq_head, next);
        EXPECT_EQ(block.rings.pending_submissions().value(), 0u);
    }
}

TEST(AsyncIoRings, HostileSqTailIsAnError)
{
    Block block(4);
    block.header().sq_tail = 5; // more than the ring holds
    EXPECT_TRUE(block.rings.pending_submissions().is_error());
    block.header().sq_tail = 0xFFFFFFFF; // "behind" the head
    EXPECT_TRUE(block.rings.pending_submissions().is_error());
    block.header().sq_tail = 4;
    EXPECT_EQ(block.rings.pending_submissions().value(), 4u);
}

TEST(AsyncIoRings, KernelIgnoresTheProgramOverwritingItsIndices)
{
    Block block(4);
    block.header().sq_tail = 1;
    AioSqe copy;
    block.rings.take_submission(copy);
    block.header().sq_head = 77; // the program writes the kernel's index
    EXPECT_EQ(block.rings.pending_submissions().value(), 0u);
    EXPECT_TRUE(block.rings.post_completion({ 1, 0, 0 }));
    block.header().cq_tail = 99;
    EXPECT_TRUE(block.rings.post_completion({ 2, 0, 0 }));
    EXPECT_EQ(block.header().cq_tail, 2u);
    EXPECT_EQ(block.cqe(1).user_data, 2u);
}

TEST(AsyncIoRings, CompletionsFillTheRingThenRefuse)
{
    Block block(2); // CQ of 4
    for (u64 i = 0; i < 4; ++i)
        EXPECT_TRUE(block.rings.post_completion({ i, static_cast<i32>(i), 0 }));
    EXPECT_FALSE(block.rings.completion_room());
    EXPECT_FALSE(block.rings.post_completion({ 9, 0, 0 }));
    EXPECT_EQ(block.header().cq_tail, 4u);
    EXPECT_EQ(block.rings.completions_ready(), 4u);
    block.header().cq_head = 3; // the program consumed three
    EXPECT_EQ(block.rings.completions_ready(), 1u);
    for (u64 i = 4; i < 7; ++i)
        EXPECT_TRUE(block.rings.post_completion({ i, 0, 0 }));
    EXPECT_FALSE(block.rings.post_completion({ 9, 0, 0 }));
    for (u32 i = 3; i < 7; ++i)
        EXPECT_EQ(block.cqe(i).user_data, i);
}

TEST(AsyncIoRings, HostileCqHeadCountsAsFull)
{
    Block block(2);
    EXPECT_TRUE(block.rings.post_completion({ 1, 0, 0 }));
    block.header().cq_head = 1000; // claims more was read than ever written
    EXPECT_EQ(block.rings.completions_ready(), 4u);
    EXPECT_FALSE(block.rings.post_completion({ 2, 0, 0 }));
    block.header().cq_head = 1;
    EXPECT_TRUE(block.rings.post_completion({ 2, 0, 0 }));
}

TEST(AsyncIoRings, OverflowCounterAndBacklogFlag)
{
    Block block(1);
    block.rings.count_overflow();
    block.rings.count_overflow();
    block.rings.set_backlog(true);
    EXPECT_EQ(block.header().cq_overflow, 2u);
    EXPECT_EQ(block.rings.overflow(), 2u);
    EXPECT_EQ(block.header().flags, u32(AIO_RING_CQ_BACKLOG));
    block.rings.set_backlog(false);
    EXPECT_EQ(block.header().flags, 0u);
}
