#include <gtest/gtest.h>

#include <random>
#include <vector>

#include "kernel/gui/DirtyRegion.h"

using gui::DirtyRegion;
using gui::Rect;

namespace {

constexpr Rect screen { 0, 0, 640, 480 };

// Checks the documented invariants; returns a description of the first
// broken one, or "" when all hold.
std::string broken_invariant(const DirtyRegion& region)
{
    if (region.count() > DirtyRegion::capacity)
        return "more rectangles than the capacity";
    for (size_t i = 0; i < region.count(); ++i) {
        if (region[i].is_empty())
            return "an empty rectangle is listed";
        if (!region.bounds().contains(region[i]))
            return "a rectangle leaves the bounds";
        for (size_t j = 0; j < region.count(); ++j) {
            if (i != j && region[i].contains(region[j]))
                return "a rectangle contains another";
        }
    }
    return "";
}

// A pixel map of what was added, to check that nothing is ever lost.
class Coverage {
public:
    explicit Coverage(const Rect& bounds) : m_bounds(bounds), m_added(size_t(bounds.area()), false) { }

    void add(const Rect& rect)
    {
        Rect const clipped = rect.intersected(m_bounds);
        for (i32 y = clipped.y; y < clipped.bottom(); ++y)
            for (i32 x = clipped.x; x < clipped.right(); ++x)
                m_added[index(x, y)] = true;
    }

    // The number of added pixels that no rectangle of `region` covers.
    size_t lost(const DirtyRegion& region) const
    {
        std::vector<bool> covered(m_added.size(), false);
        for (const Rect& rect : region)
            for (i32 y = rect.y; y < rect.bottom(); ++y)
                for (i32 x = rect.x; x < rect.right(); ++x)
                    covered[index(x, y)] = true;
        size_t lost = 0;
        for (size_t i = 0; i < m_added.size(); ++i)
            lost += m_added[i] && !covered[i];
        return lost;
    }

    i64 added_area() const
    {
        i64 total = 0;
        for (bool pixel : m_added)
            total += pixel;
        return total;
    }

private:
    size_t index(i32 x, i32 y) const { return size_t(y - m_bounds.y) * size_t(m_bounds.width) + size_t(x - m_bounds.x); }

    Rect m_bounds;
    std::vector<bool> m_added;
};

} // namespace

TEST(DirtyRegion, StartsEmptyAndIgnoresEmptyOrOutsideRectangles)
{
    DirtyRegion region(screen);
    EXPECT_TRUE(region.is_empty());
    region.add({ 10, 10, 0, 5 });
    region.add({ 10, 10, 5, -3 });
    region.add({ 700, 10, 20, 20 });   // right of the screen
    region.add({ -50, -50, 50, 50 });  // touches the corner from outside
    EXPECT_TRUE(region.is_empty());
    EXPECT_EQ(region.total_area(), 0);
    EXPECT_TRUE(region.bounding_rect().is_empty());
}

TEST(DirtyRegion, ClipsToTheBounds)
{
    DirtyRegion region(screen);
    region.add({ -10, 470, 30, 40 });
    ASSERT_EQ(region.count(), 1u);
    EXPECT_EQ(region[0], (Rect { 0, 470, 20, 10 }));
    region.add({ -0x7FFFFFFF, -0x7FFFFFFF, 0x7FFFFFFF, 0x7FFFFFFF }); // hostile: huge, must not overflow
    EXPECT_EQ(broken_invariant(region), "");
}

TEST(DirtyRegion, ContainedRectanglesAreDropped)
{
    DirtyRegion region(screen);
    region.add({ 100, 100, 200, 100 });
    region.add({ 150, 120, 10, 10 });
    ASSERT_EQ(region.count(), 1u);
    EXPECT_EQ(region[0], (Rect { 100, 100, 200, 100 }));
    // A bigger one swallows the smaller ones already listed.
    region.add({ 400, 60, 10, 10 });
    region.add({ 50, 50, 400, 300 });
    ASSERT_EQ(region.count(), 1u);
    EXPECT_EQ(region[0], (Rect { 50, 50, 400, 300 }));
}

TEST(DirtyRegion, AdjacentAndOverlappingRectanglesMerge)
{
    DirtyRegion region(screen);
    region.add({ 0, 0, 100, 50 });
    region.add({ 100, 0, 100, 50 }); // shares the right edge: no waste at all
    ASSERT_EQ(region.count(), 1u);
    EXPECT_EQ(region[0], (Rect { 0, 0, 200, 50 }));
    region.add({ 150, 20, 100, 30 }); // overlaps, sticks out right: waste 50x20
    ASSERT_EQ(region.count(), 1u);
    EXPECT_EQ(region[0], (Rect { 0, 0, 250, 50 }));
    EXPECT_EQ(region.total_area(), 250 * 50);
}

TEST(DirtyRegion, NearRectanglesMergeAndDistantOnesStaySeparate)
{
    DirtyRegion region(screen);
    region.add({ 10, 10, 20, 20 });
    region.add({ 34, 10, 20, 20 }); // 4-pixel gap: waste 4x20
    ASSERT_EQ(region.count(), 1u);
    EXPECT_EQ(region[0], (Rect { 10, 10, 44, 20 }));

    region.add({ 400, 300, 20, 20 }); // far away: merging would waste a lot
    EXPECT_EQ(region.count(), 2u);
    EXPECT_EQ(region.total_area(), 44 * 20 + 20 * 20);
}

TEST(DirtyRegion, AMergeCanReachTheNextRectangle)
{
    DirtyRegion region(screen);
    region.add({ 0, 0, 100, 100 });
    region.add({ 200, 0, 100, 100 });
    EXPECT_EQ(region.count(), 2u);
    // Bridges the gap between the two: everything becomes one rectangle.
    region.add({ 90, 0, 120, 100 });
    ASSERT_EQ(region.count(), 1u);
    EXPECT_EQ(region[0], (Rect { 0, 0, 300, 100 }));
}

TEST(DirtyRegion, MergeWasteCountsOnlyUncoveredPixels)
{
    EXPECT_EQ(DirtyRegion::merge_waste({ 0, 0, 10, 10 }, { 10, 0, 10, 10 }), 0);
    EXPECT_EQ(DirtyRegion::merge_waste({ 0, 0, 10, 10 }, { 5, 5, 10, 10 }), 15 * 15 - (100 + 100 - 25));
    EXPECT_EQ(DirtyRegion::merge_waste({ 0, 0, 10, 10 }, { 2, 2, 3, 3 }), 0);
    EXPECT_EQ(DirtyRegion::merge_waste({ 0, 0, 10, 10 }, {}), 0);
}

TEST(DirtyRegion, FullListMergesTheCheapestPair)
{
    DirtyRegion region(screen);
    // A grid of 40x40 squares, 70 and more pixels apart: none is near another.
    std::vector<Rect> added;
    for (i32 row = 0; row < 4; ++row)
        for (i32 column = 0; column < 4; ++column)
            added.push_back({ column * 150, row * 110, 40, 40 });
    for (const Rect& rect : added)
        region.add(rect);
    ASSERT_EQ(region.count(), DirtyRegion::capacity);
    EXPECT_EQ(region.total_area(), 16 * 1600);

    // One more between the first two of column 0, 30 pixels above the
    // second: too far to merge for free (waste 30x40), but the list is full,
    // and no other pair is as cheap.
    region.add({ 0, 75, 40, 5 });
    EXPECT_EQ(region.count(), DirtyRegion::capacity);
    EXPECT_EQ(broken_invariant(region), "");
    bool found = false;
    for (const Rect& rect : region)
        found |= rect == Rect { 0, 75, 40, 75 };
    EXPECT_TRUE(found);
    EXPECT_EQ(region.total_area(), 15 * 1600 + 40 * 75);
}

TEST(DirtyRegion, ManyRandomRectanglesStayBoundedAndLoseNothing)
{
    std::mt19937 random(1234);
    for (int round = 0; round < 10; ++round) {
        DirtyRegion region(screen);
        Coverage coverage(screen);
        int const additions = 1 + int(random() % 300);
        for (int i = 0; i < additions; ++i) {
            // Mostly small rectangles, some large, some hanging off the edges.
            i32 const limit = (random() % 10 == 0) ? 400 : 40;
            Rect rect { i32(random() % 700) - 30, i32(random() % 540) - 30, i32(random() % limit) + 1,
                i32(random() % limit) + 1 };
            region.add(rect);
            coverage.add(rect);
            ASSERT_EQ(broken_invariant(region), "") << "round " << round << " addition " << i;
        }
        EXPECT_EQ(coverage.lost(region), 0u) << "round " << round;
        EXPECT_LE(region.total_area(), screen.area() * 2) << "round " << round;
    }
}

TEST(DirtyRegion, ScatteredSmallChangesCostFarLessThanTheScreen)
{
    // What a desktop produces: a few small areas (a clock, a cursor, a text
    // caret) changing in distant places. The list must not grow them into
    // one screen-sized rectangle.
    DirtyRegion region(screen);
    Coverage coverage(screen);
    Rect const changes[] = { { 600, 460, 30, 12 }, { 300, 200, 12, 20 }, { 10, 10, 8, 16 }, { 320, 460, 60, 12 },
        { 301, 201, 12, 20 } };
    for (const Rect& change : changes) {
        region.add(change);
        coverage.add(change);
    }
    EXPECT_EQ(coverage.lost(region), 0u);
    EXPECT_LE(region.count(), 5u);
    EXPECT_LT(region.total_area(), 4 * coverage.added_area());
}

TEST(DirtyRegion, ARowOfCharactersBecomesOneRectangle)
{
    // A text line drawn character by character (8x16 cells).
    DirtyRegion region(screen);
    for (i32 column = 0; column < 60; ++column)
        region.add({ 8 * column, 32, 8, 16 });
    ASSERT_EQ(region.count(), 1u);
    EXPECT_EQ(region[0], (Rect { 0, 32, 480, 16 }));
}

TEST(DirtyRegion, ResetAndAddAll)
{
    DirtyRegion region(screen);
    region.add({ 1, 1, 5, 5 });
    region.add_all();
    ASSERT_EQ(region.count(), 1u);
    EXPECT_EQ(region[0], screen);
    EXPECT_EQ(region.bounding_rect(), screen);
    region.clear();
    EXPECT_TRUE(region.is_empty());
    region.add({ 1, 1, 5, 5 });
    region.reset({ 0, 0, 100, 100 });
    EXPECT_TRUE(region.is_empty());
    region.add({ 90, 90, 20, 20 });
    ASSERT_EQ(region.count(), 1u);
    EXPECT_EQ(region[0], (Rect { 90, 90, 10, 10 }));

    DirtyRegion unbounded; // default bounds are empty: nothing is ever dirty
    unbounded.add({ 0, 0, 10, 10 });
    EXPECT_TRUE(unbounded.is_empty());
}
