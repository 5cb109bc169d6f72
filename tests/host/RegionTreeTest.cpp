#include <gtest/gtest.h>

#include "kernel/mm/RegionTree.h"
#include "tests/host/FakeMmu.h"

using mm::Region;
using mm::RegionTree;
namespace Protection = mm::Protection;

namespace {

constexpr uintptr_t P = 4096;

RegionTree make_tree(std::initializer_list<std::pair<uintptr_t, uintptr_t>> ranges)
{
    RegionTree tree;
    for (auto [start, end] : ranges)
        EXPECT_FALSE(tree.insert(Region::anonymous(start * P, end * P, Protection::Read, false)).is_error());
    return tree;
}

uintptr_t found(ErrorOr<uintptr_t> result)
{
    EXPECT_FALSE(result.is_error());
    return result.is_error() ? ~uintptr_t(0) : result.value() / P;
}

} // namespace

TEST(RegionTree, InsertKeepsOrderAndRejectsOverlap)
{
    RegionTree tree = make_tree({ { 10, 20 }, { 1, 5 }, { 30, 31 } });
    ASSERT_EQ(tree.size(), 3u);
    EXPECT_EQ(tree[0].start(), 1 * P);
    EXPECT_EQ(tree[1].start(), 10 * P);
    EXPECT_EQ(tree[2].start(), 30 * P);
    EXPECT_EQ(tree.insert(Region::anonymous(4 * P, 11 * P, 0, false)).error().code(), ErrorCode::AlreadyExists);
    EXPECT_EQ(tree.insert(Region::anonymous(19 * P, 21 * P, 0, false)).error().code(), ErrorCode::AlreadyExists);
    EXPECT_FALSE(tree.insert(Region::anonymous(5 * P, 10 * P, 0, false)).is_error()); // exactly the gap
    EXPECT_EQ(tree.size(), 4u);
    EXPECT_TRUE(tree.is_valid());
}

TEST(RegionTree, FindUsesHalfOpenRanges)
{
    RegionTree tree = make_tree({ { 1, 5 }, { 10, 20 } });
    EXPECT_EQ(tree.find(0), nullptr);
    EXPECT_EQ(tree.find(1 * P)->start(), 1 * P);
    EXPECT_EQ(tree.find(5 * P - 1)->start(), 1 * P);
    EXPECT_EQ(tree.find(5 * P), nullptr);
    EXPECT_EQ(tree.find(15 * P + 123)->start(), 10 * P);
    EXPECT_EQ(tree.find(20 * P), nullptr);
    EXPECT_EQ(tree.find(~uintptr_t(0)), nullptr);
}

TEST(RegionTree, FindFreePrefersTheHintThenFirstFit)
{
    RegionTree tree = make_tree({ { 2, 5 }, { 7, 20 }, { 22, 30 } });
    EXPECT_EQ(found(tree.find_free(5 * P, 2 * P, P, 100 * P)), 5u);   // hint fits exactly
    EXPECT_EQ(found(tree.find_free(5 * P, 3 * P, P, 100 * P)), 30u);  // next fitting gap above the hint
    EXPECT_EQ(found(tree.find_free(10 * P, 2 * P, P, 100 * P)), 20u); // hint inside a region: next gap
    EXPECT_EQ(found(tree.find_free(0, P, P, 100 * P)), 1u);           // hint below the lower bound
    EXPECT_EQ(found(tree.find_free(50 * P, 60 * P, P, 100 * P)), 30u); // nothing above the hint: first fit
    EXPECT_EQ(tree.find_free(0, 71 * P, P, 100 * P).error().code(), ErrorCode::NoMemory);
    EXPECT_EQ(found(tree.find_free(0, 70 * P, P, 100 * P)), 30u);
    EXPECT_EQ(found(tree.find_free(0, P, 0, 100 * P)), 0u);            // address 0 is a real answer
    EXPECT_EQ(tree.find_free(0, P, 2 * P, 5 * P).error().code(), ErrorCode::NoMemory);
    EXPECT_EQ(tree.find_free(0, 0, P, 100 * P).error().code(), ErrorCode::InvalidArgument);
    EXPECT_EQ(found(tree.find_free(0, 2 * P, 21 * P, 100 * P)), 30u); // gap [20,22) starts below the bound
}

TEST(RegionTree, SplitAdvancesFileOffsetsAndTakesReferences)
{
    fake::FakeFile file({ 1, 2, 3 });
    {
        RegionTree tree;
        ASSERT_FALSE(tree.insert(Region::file(4 * P, 10 * P, Protection::Read, false, file, 8 * P)).is_error());
        EXPECT_EQ(file.refs, 1);
        ASSERT_FALSE(tree.split_at(6 * P).is_error());
        ASSERT_FALSE(tree.split_at(6 * P).is_error()); // already a boundary
        ASSERT_FALSE(tree.split_at(50 * P).is_error()); // in a gap
        ASSERT_EQ(tree.size(), 2u);
        EXPECT_EQ(file.refs, 2);
        EXPECT_EQ(tree[0].end(), 6 * P);
        EXPECT_EQ(tree[0].offset(), 8 * P);
        EXPECT_EQ(tree[1].start(), 6 * P);
        EXPECT_EQ(tree[1].offset(), 10 * P);
        EXPECT_EQ(tree[1].file_offset_of(7 * P), 11 * P);
        tree.merge_around(0, 100 * P);
        ASSERT_EQ(tree.size(), 1u);
        EXPECT_EQ(tree[0].end(), 10 * P);
        EXPECT_EQ(file.refs, 1);
    }
    EXPECT_EQ(file.refs, 0);
}

TEST(RegionTree, MergeOnlyJoinsCompatibleNeighbours)
{
    fake::FakeFile file({});
    fake::FakeFile other({});
    RegionTree tree;
    ASSERT_FALSE(tree.insert(Region::anonymous(0, 2 * P, Protection::Read, false)).is_error());
    ASSERT_FALSE(tree.insert(Region::anonymous(2 * P, 3 * P, Protection::Read, false)).is_error());
    ASSERT_FALSE(tree.insert(Region::anonymous(3 * P, 4 * P, Protection::Read, true)).is_error());   // shared
    ASSERT_FALSE(tree.insert(Region::anonymous(4 * P, 5 * P, Protection::All, true)).is_error());    // other prot
    ASSERT_FALSE(tree.insert(Region::anonymous(6 * P, 7 * P, Protection::All, true)).is_error());    // not adjacent
    ASSERT_FALSE(tree.insert(Region::file(7 * P, 8 * P, Protection::All, true, file, 0)).is_error()); // backing
    ASSERT_FALSE(tree.insert(Region::file(8 * P, 9 * P, Protection::All, true, file, 2 * P)).is_error()); // gap in offsets
    ASSERT_FALSE(tree.insert(Region::file(9 * P, 10 * P, Protection::All, true, other, 3 * P)).is_error()); // other file
    ASSERT_FALSE(tree.insert(Region::device(10 * P, 11 * P, Protection::All, 0xE0000000)).is_error());
    ASSERT_FALSE(tree.insert(Region::device(11 * P, 12 * P, Protection::All, 0xE0001000)).is_error());
    tree.merge_around(0, 20 * P);
    ASSERT_EQ(tree.size(), 8u);
    EXPECT_EQ(tree[0].end(), 3 * P);
    EXPECT_EQ(tree[7].start(), 10 * P);
    EXPECT_EQ(tree[7].end(), 12 * P);
    EXPECT_TRUE(tree.is_valid());
}

TEST(RegionTree, ManyInsertionsStaySorted)
{
    RegionTree tree;
    for (uintptr_t i = 0; i < 200; ++i) {
        uintptr_t slot = (i * 37) % 200; // a permutation of 0..199
        ASSERT_FALSE(tree.insert(Region::anonymous(slot * 2 * P, (slot * 2 + 1) * P, 0, false)).is_error());
    }
    EXPECT_TRUE(tree.is_valid());
    ASSERT_EQ(tree.size(), 200u);
    for (uintptr_t slot = 0; slot < 200; ++slot) {
        ASSERT_NE(tree.find(slot * 2 * P), nullptr);
        EXPECT_EQ(tree.find((slot * 2 + 1) * P), nullptr);
    }
    tree.remove(10, 100);
    EXPECT_EQ(tree.size(), 100u);
    EXPECT_EQ(tree[10].start(), 220 * P);
    EXPECT_TRUE(tree.is_valid());
}
