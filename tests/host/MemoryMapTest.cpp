#include <gtest/gtest.h>

#include <cstring>
#include <random>
#include <vector>

#include "kernel/mm/MemoryMap.h"

using mm::MemoryMap;

namespace {

constexpr u64 gib4 = 0x1'0000'0000ull;

struct Expected {
    u64 base;
    u64 length;
};

void expect_ranges(const MemoryMap& map, std::vector<Expected> expected)
{
    ASSERT_EQ(map.range_count(), expected.size());
    for (size_t i = 0; i < expected.size(); ++i) {
        EXPECT_EQ(map.range(i).base, expected[i].base) << "range " << i;
        EXPECT_EQ(map.range(i).length, expected[i].length) << "range " << i;
    }
}

boot::BootInfo make_info(std::vector<boot::MemoryRange> ranges)
{
    boot::BootInfo info;
    std::memset(&info, 0, sizeof(info));
    info.has_memory_map = !ranges.empty();
    for (auto& range : ranges)
        info.ranges[info.range_count++] = range;
    return info;
}

// The invariants of the normalized map, checked after every operation.
void expect_normalized(const MemoryMap& map)
{
    u64 total = 0;
    for (size_t i = 0; i < map.range_count(); ++i) {
        const auto& range = map.range(i);
        EXPECT_EQ(range.base % 4096, 0u);
        EXPECT_EQ(range.length % 4096, 0u);
        EXPECT_GT(range.length, 0u);
        EXPECT_LE(range.end(), gib4);
        if (i > 0)
            EXPECT_LT(map.range(i - 1).end(), range.base) << "not merged or overlapping at " << i;
        total += range.length;
    }
    EXPECT_EQ(map.total_bytes(), total);
}

} // namespace

TEST(MemoryMap, QemuLikeMap)
{
    auto info = make_info({
        { 0, 0x9FC00, boot::MemoryType::Available },
        { 0x9FC00, 0x400, boot::MemoryType::Reserved },
        { 0xF0000, 0x10000, boot::MemoryType::Reserved },
        { 0x100000, 0x7EE0000, boot::MemoryType::Available },
        { 0x7FE0000, 0x20000, boot::MemoryType::Reserved },
        { 0xFFFC0000, 0x40000, boot::MemoryType::Reserved },
    });
    MemoryMap map = MemoryMap::from_boot_info(info);
    // 0x9FC00 rounds down to 0x9F000: the partial page is not usable.
    expect_ranges(map, { { 0, 0x9F000 }, { 0x100000, 0x7EE0000 } });
    EXPECT_EQ(map.highest_end(), 0x7FE0000u);
    expect_normalized(map);

    map.remove(0, 0x100000);        // first MiB
    map.remove(0x100000, 0x23456);  // kernel image, widened to 0x124000
    expect_ranges(map, { { 0x124000, 0x7FE0000 - 0x124000 } });
    EXPECT_TRUE(map.contains(0x200000, 0x1000));
    EXPECT_FALSE(map.contains(0x123000, 0x2000));
}

TEST(MemoryMap, ReservedWinsRegardlessOfOrder)
{
    // The reserved entry comes first, then an available entry overlapping it.
    auto info = make_info({
        { 0x200000, 0x100000, boot::MemoryType::Reserved },
        { 0x100000, 0x400000, boot::MemoryType::Available },
        { 0x380000, 0x800, boot::MemoryType::AcpiNvs },
        { 0x400000, 0x1000, boot::MemoryType::Bad },
    });
    MemoryMap map = MemoryMap::from_boot_info(info);
    expect_ranges(map, {
        { 0x100000, 0x100000 },
        { 0x300000, 0x80000 },
        { 0x381000, 0x7F000 },
        { 0x401000, 0xFF000 },
    });
    expect_normalized(map);
}

TEST(MemoryMap, OverlappingAndAdjacentAvailableEntriesMerge)
{
    auto info = make_info({
        { 0x300000, 0x100000, boot::MemoryType::Available },
        { 0x100000, 0x180000, boot::MemoryType::Available },
        { 0x200000, 0x100000, boot::MemoryType::Available }, // overlaps the previous one, touches the first
        { 0x500000, 0, boot::MemoryType::Available },        // zero length
    });
    MemoryMap map = MemoryMap::from_boot_info(info);
    expect_ranges(map, { { 0x100000, 0x300000 } });
}

TEST(MemoryMap, SubPageEntriesThatShareAPageCombine)
{
    MemoryMap map;
    map.add_available(0x1000, 0x800);
    EXPECT_EQ(map.range_count(), 0u); // half a page is not usable
    map.add_available(0x1800, 0x1800);
    expect_ranges(map, { { 0x1000, 0x2000 } });
    map.add_available(0x5001, 0x1FFF); // [0x5001, 0x7000): the first page is partial
    expect_ranges(map, { { 0x1000, 0x2000 }, { 0x6000, 0x1000 } });
}

TEST(MemoryMap, FourGibLimit)
{
    auto info = make_info({
        { 0x100000, 0x1000000, boot::MemoryType::Available },
        { 0xC0000000ull, 0x80000000ull, boot::MemoryType::Available }, // crosses 4 GiB
        { 0x100000000ull, 0x100000000ull, boot::MemoryType::Available }, // entirely above
        { ~0ull - 0xFFF, 0x10000, boot::MemoryType::Available },        // wraps 64 bits
    });
    MemoryMap map = MemoryMap::from_boot_info(info);
    expect_ranges(map, { { 0x100000, 0x1000000 }, { 0xC0000000ull, 0x40000000ull } });
    EXPECT_EQ(map.highest_end(), gib4);
    // A removal that wraps 64 bits removes up to the top.
    map.remove(0xF0000000ull, ~0ull);
    expect_ranges(map, { { 0x100000, 0x1000000 }, { 0xC0000000ull, 0x30000000ull } });
}

TEST(MemoryMap, FallbackToBasicMemory)
{
    boot::BootInfo info;
    std::memset(&info, 0, sizeof(info));
    info.has_basic_memory = true;
    info.mem_lower_kib = 639;
    info.mem_upper_kib = 64 * 1024 - 1024; // 63 MiB above 1 MiB
    MemoryMap map = MemoryMap::from_boot_info(info);
    expect_ranges(map, { { 0, 0x9F000 }, { 0x100000, 63ull * 1024 * 1024 } });

    // A mem_lower beyond conventional memory is clamped to 640 KiB.
    info.mem_lower_kib = 100000;
    map = MemoryMap::from_boot_info(info);
    expect_ranges(map, { { 0, 0xA0000 }, { 0x100000, 63ull * 1024 * 1024 } });

    // A map with entries but no available memory also falls back, and its
    // reserved entries still win.
    info.mem_lower_kib = 639;
    info.has_memory_map = true;
    info.range_count = 1;
    info.ranges[0] = { 0x200000, 0x1000, boot::MemoryType::Reserved };
    map = MemoryMap::from_boot_info(info);
    expect_ranges(map, { { 0, 0x9F000 }, { 0x100000, 0x100000 }, { 0x201000, 63ull * 1024 * 1024 - 0x101000 } });
}

TEST(MemoryMap, RemoveSplitsAndTrims)
{
    MemoryMap map;
    map.add_available(0x100000, 0x100000);
    map.remove(0x150000, 0x10000); // middle
    expect_ranges(map, { { 0x100000, 0x50000 }, { 0x160000, 0xA0000 } });
    map.remove(0xF0000, 0x20000); // head
    map.remove(0x1FF001, 0x10);   // tail, widened outward to the page
    expect_ranges(map, { { 0x110000, 0x40000 }, { 0x160000, 0x9F000 } });
    map.remove(0x140000, 0x30000); // spans the gap
    expect_ranges(map, { { 0x110000, 0x30000 }, { 0x170000, 0x8F000 } });
    map.remove(0, gib4);
    EXPECT_EQ(map.range_count(), 0u);
    EXPECT_EQ(map.total_bytes(), 0u);
    EXPECT_EQ(map.highest_end(), 0u);
}

TEST(MemoryMap, OverflowDropsTheHighestPieces)
{
    MemoryMap map;
    map.add_available(0, 0x10000000);
    // Punch 200 holes: 201 pieces would be needed, only 128 fit.
    for (u64 i = 0; i < 200; ++i)
        map.remove(0x100000 + i * 0x20000, 0x1000);
    EXPECT_EQ(map.range_count(), MemoryMap::max_ranges);
    EXPECT_GT(map.dropped_bytes(), 0u);
    expect_normalized(map);
    // What remains is still correct: no removed page came back.
    for (u64 i = 0; i < 200; ++i)
        EXPECT_FALSE(map.contains(0x100000 + i * 0x20000, 0x1000)) << i;
    EXPECT_TRUE(map.contains(0, 0x100000));
}

TEST(MemoryMap, RandomizedAgainstPageModel)
{
    // Model: one bool per page of the first 64 MiB. A page is usable when
    // the last add/remove covering it was an add, with adds rounded inward
    // and removes outward -- except that the map may combine two adds that
    // share a partial page, so adds here use page-aligned starts and ends
    // while removes are arbitrary.
    constexpr u64 pages = 16384;
    std::vector<bool> model(pages, false);
    std::mt19937_64 random(12345);
    MemoryMap map;
    for (int step = 0; step < 2000; ++step) {
        u64 const base = random() % (pages * 4096);
        bool const add = random() % 4 != 0;
        // Adds are long and removes short, so that the map stays well below
        // max_ranges pieces and the model needs no overflow rule.
        u64 const length = random() % ((add ? 1024 : 16) * 4096);
        if (add) {
            u64 const first = base / 4096;
            u64 const last = std::min<u64>((base + length) / 4096, pages);
            map.add_available(first * 4096, (last > first ? last - first : 0) * 4096);
            for (u64 page = first; page < last; ++page)
                model[page] = true;
        } else {
            map.remove(base, length);
            u64 const first = base / 4096;
            u64 const last = std::min<u64>((base + length + 4095) / 4096, pages);
            for (u64 page = first; page < last && length != 0; ++page)
                model[page] = false;
        }
        ASSERT_EQ(map.dropped_bytes(), 0u);
        if (step % 50 == 0) {
            expect_normalized(map);
            u64 model_total = 0;
            for (u64 page = 0; page < pages; ++page) {
                model_total += model[page] ? 4096 : 0;
                ASSERT_EQ(map.contains(page * 4096, 4096), model[page]) << "page " << page << " step " << step;
            }
            ASSERT_EQ(map.total_bytes(), model_total);
        }
    }
}
