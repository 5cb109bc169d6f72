#include <gtest/gtest.h>

#include <vector>

#include "kernel/mm/FrameRefCounts.h"

using mm::FrameRefCounts;

namespace {

struct Counts {
    Counts(size_t frames) : storage(frames, 0) { counts.initialize(storage.data(), frames); }
    std::vector<u16> storage;
    FrameRefCounts counts;
};

} // namespace

TEST(FrameRefCounts, CountsUpAndDownPerFrame)
{
    Counts c(8);
    EXPECT_EQ(c.counts.get(0x3000), 0u);
    EXPECT_TRUE(c.counts.set(0x3000, 1));
    EXPECT_EQ(c.counts.increment(0x3000), 2u);
    EXPECT_EQ(c.counts.increment(0x3FFF), 3u); // any address inside the frame
    EXPECT_EQ(c.counts.get(0x2000), 0u);
    EXPECT_EQ(c.counts.get(0x4000), 0u);
    EXPECT_EQ(c.counts.decrement(0x3000), 2u);
    EXPECT_EQ(c.counts.decrement(0x3000), 1u);
    EXPECT_EQ(c.counts.decrement(0x3000), 0u);
    EXPECT_EQ(c.storage[3], 0u);
}

TEST(FrameRefCounts, DecrementOfZeroIsReportedAndDoesNotWrap)
{
    Counts c(4);
    EXPECT_EQ(c.counts.decrement(0x1000), FrameRefCounts::underflow);
    EXPECT_EQ(c.counts.get(0x1000), 0u);
}

TEST(FrameRefCounts, SaturationIsRefused)
{
    Counts c(4);
    EXPECT_TRUE(c.counts.set(0x2000, FrameRefCounts::max_count - 1));
    EXPECT_EQ(c.counts.increment(0x2000), FrameRefCounts::max_count);
    EXPECT_EQ(c.counts.increment(0x2000), 0u);
    EXPECT_EQ(c.counts.get(0x2000), FrameRefCounts::max_count);
    EXPECT_FALSE(c.counts.set(0x2000, FrameRefCounts::max_count + 1));
    EXPECT_EQ(c.counts.get(0x2000), FrameRefCounts::max_count);
}

TEST(FrameRefCounts, FramesOutsideTheTableAreRejected)
{
    Counts c(4);
    EXPECT_FALSE(c.counts.set(0x4000, 1));
    EXPECT_EQ(c.counts.increment(0x4000), 0u);
    EXPECT_EQ(c.counts.decrement(0x4000), FrameRefCounts::underflow);
    EXPECT_EQ(c.counts.get(0x1'0000'0000ull), 0u);
    EXPECT_EQ(c.counts.increment(0x1'0000'3000ull), 0u); // must not alias frame 3
    EXPECT_EQ(c.storage[3], 0u);
}
