#include <gtest/gtest.h>

#include <cstring>
#include <map>
#include <vector>
#include <random>

#include "kernel/mm/AddressSpace.h"
#include "tests/host/FakeMmu.h"

using mm::AddressSpace;
using mm::FaultAccess;
using mm::FaultOutcome;
namespace Protection = mm::Protection;

namespace {

constexpr uintptr_t P = 4096;
constexpr u8 RW = Protection::Read | Protection::Write;

// One simulated process: its page table and its address space.
struct Space {
    explicit Space(fake::FakeFrameProvider& frames)
        : frames(frames)
        , space(mmu, frames)
    {
    }

    // Does what the CPU does for a load: fault until present, then read.
    // Returns -1 when the fault is not resolved.
    int read(uintptr_t address)
    {
        uintptr_t page = address & ~(P - 1);
        if (!mmu.query(page).present) {
            if (space.handle_fault(address, FaultAccess::Read, false) != FaultOutcome::Resolved)
                return -1;
        }
        auto mapping = mmu.query(page);
        EXPECT_TRUE(mapping.present);
        return frames.contents(mapping.frame)[address - page];
    }

    // A store: faults while not present or read-only.
    FaultOutcome write(uintptr_t address, u8 value)
    {
        uintptr_t page = address & ~(P - 1);
        auto mapping = mmu.query(page);
        if (!mapping.present || !mapping.writable) {
            auto outcome = space.handle_fault(address, FaultAccess::Write, mapping.present);
            if (outcome != FaultOutcome::Resolved)
                return outcome;
            mapping = mmu.query(page);
            EXPECT_TRUE(mapping.present && mapping.writable);
        }
        frames.contents(mapping.frame)[address - page] = value;
        return FaultOutcome::Resolved;
    }

    fake::FakeFrameProvider& frames;
    fake::FakeMmu mmu;
    AddressSpace space;
};

// Every frame's count equals the number of page-table entries mapping it, and
// (COW invariant C1) a writable private page has count 1.
void check_frames(fake::FakeFrameProvider& frames, std::initializer_list<Space*> spaces)
{
    std::map<PhysicalAddress, u32> entries;
    for (Space* s : spaces) {
        size_t resident = 0;
        for (auto& [address, mapping] : s->mmu.pages) {
            const mm::Region* region = s->space.find_region(address);
            ASSERT_NE(region, nullptr) << "page mapped outside every region: " << address;
            if (region->backing() == mm::Backing::Device)
                continue;
            ++entries[mapping.frame];
            ++resident;
            if (mapping.writable && !region->is_shared())
                EXPECT_EQ(frames.ref_count(mapping.frame), 1u) << "writable COW-shared page at " << address;
            if (mapping.writable)
                EXPECT_TRUE(region->allows_write());
        }
        EXPECT_EQ(s->space.resident_pages(), resident);
        EXPECT_TRUE(s->space.regions().is_valid());
    }
    EXPECT_EQ(entries.size(), frames.live());
    for (auto& [frame, count] : entries)
        EXPECT_EQ(frames.ref_count(frame), count) << "frame " << frame;
}

} // namespace

TEST(AddressSpace, DemandZeroReadsZeroAndCounts)
{
    fake::FakeFrameProvider frames;
    Space s(frames);
    auto address = s.space.map_anonymous(0, 3 * P, RW, false, false);
    ASSERT_FALSE(address.is_error());
    EXPECT_EQ(address.value(), mm::mmap_lower_bound);
    EXPECT_EQ(frames.live(), 0u); // nothing until touched
    EXPECT_EQ(s.read(address.value() + 5), 0);
    EXPECT_EQ(s.read(address.value() + P + 4095), 0);
    EXPECT_EQ(s.space.statistics().demand_zero, 2u);
    EXPECT_EQ(s.space.statistics().total, 2u);
    EXPECT_EQ(s.space.resident_pages(), 2u);
    EXPECT_EQ(s.write(address.value() + 7, 42), FaultOutcome::Resolved);
    EXPECT_EQ(s.read(address.value() + 7), 42);
    EXPECT_EQ(s.space.statistics().total, 2u); // page already present and writable
    check_frames(frames, { &s });
    s.space.clear();
    EXPECT_EQ(frames.live(), 0u);
    EXPECT_EQ(s.mmu.pages.size(), 0u);
}

TEST(AddressSpace, ArgumentChecks)
{
    fake::FakeFrameProvider frames;
    Space s(frames);
    EXPECT_EQ(s.space.map_anonymous(0, 0, RW, false, false).error().code(), ErrorCode::InvalidArgument);
    EXPECT_EQ(s.space.map_anonymous(0x1001, P, RW, false, true).error().code(), ErrorCode::InvalidArgument);
    EXPECT_EQ(s.space.map_anonymous(mm::user_space_end - P, 2 * P, RW, false, true).error().code(),
        ErrorCode::InvalidArgument);
    EXPECT_EQ(s.space.map_anonymous(0, P, 8, false, false).error().code(), ErrorCode::InvalidArgument);
    EXPECT_EQ(s.space.map_anonymous(0, mm::user_space_end, RW, false, false).error().code(), ErrorCode::NoMemory);
    EXPECT_EQ(s.space.unmap(0x10, P).error().code(), ErrorCode::InvalidArgument);
    EXPECT_FALSE(s.space.unmap(0x10000, P).is_error()); // nothing there: fine
    EXPECT_EQ(s.space.region_count(), 0u);
    // Length rounds up; a free hint is honoured, an unaligned one rounds down.
    auto mapped = s.space.map_anonymous(0x50123, 10, RW, false, false);
    ASSERT_FALSE(mapped.is_error());
    EXPECT_EQ(mapped.value(), 0x50000u);
    EXPECT_EQ(s.space.find_region(0x50000)->end(), 0x51000u);
    auto next = s.space.map_anonymous(0x50000, P, RW, false, false);
    ASSERT_FALSE(next.is_error());
    EXPECT_EQ(next.value(), 0x51000u); // hint taken: next gap above it
}

TEST(AddressSpace, FaultClassification)
{
    fake::FakeFrameProvider frames;
    Space s(frames);
    ASSERT_FALSE(s.space.map_anonymous(0x10000, P, Protection::Read, false, true).is_error());
    ASSERT_FALSE(s.space.map_anonymous(0x20000, P, Protection::None, false, true).is_error());
    EXPECT_EQ(s.space.handle_fault(0xC0001000, FaultAccess::Read, false), FaultOutcome::KernelAddress);
    EXPECT_EQ(s.space.handle_fault(0x30000, FaultAccess::Read, false), FaultOutcome::OutsideRegions);
    EXPECT_EQ(s.space.handle_fault(0x20000, FaultAccess::Read, false), FaultOutcome::ProtectionViolation);
    EXPECT_EQ(s.space.handle_fault(0x10000, FaultAccess::Write, false), FaultOutcome::ProtectionViolation);
    EXPECT_EQ(s.space.handle_fault(0x10000, FaultAccess::Execute, false), FaultOutcome::Resolved);
    EXPECT_FALSE(s.mmu.query(0x10000).writable);
    const auto& stats = s.space.statistics();
    EXPECT_EQ(stats.total, 5u);
    EXPECT_EQ(stats.protection, 4u);
    EXPECT_EQ(stats.demand_zero, 1u);
}

TEST(AddressSpace, ForkThenBothWriteTheSamePage)
{
    fake::FakeFrameProvider frames;
    Space parent(frames);
    Space child(frames);
    uintptr_t a = parent.space.map_anonymous(0, 2 * P, RW, false, false).release_value();
    ASSERT_EQ(parent.write(a, 1), FaultOutcome::Resolved);
    ASSERT_EQ(parent.write(a + P, 9), FaultOutcome::Resolved);
    ASSERT_FALSE(parent.space.clone_into(child.space).is_error());
    EXPECT_EQ(frames.live(), 2u);
    EXPECT_FALSE(parent.mmu.query(a).writable); // read-only in both
    EXPECT_FALSE(child.mmu.query(a).writable);
    EXPECT_EQ(frames.ref_count(parent.mmu.query(a).frame), 2u);
    check_frames(frames, { &parent, &child });
    EXPECT_EQ(child.read(a), 1);

    ASSERT_EQ(parent.write(a, 2), FaultOutcome::Resolved); // count 2: copy
    EXPECT_EQ(frames.live(), 3u);
    EXPECT_EQ(frames.ref_count(child.mmu.query(a).frame), 1u);
    ASSERT_EQ(child.write(a, 3), FaultOutcome::Resolved); // count 1: just made writable
    EXPECT_EQ(frames.live(), 3u);
    EXPECT_EQ(parent.read(a), 2);
    EXPECT_EQ(child.read(a), 3);
    EXPECT_EQ(parent.space.statistics().cow, 1u);
    EXPECT_EQ(child.space.statistics().cow, 1u);
    EXPECT_EQ(child.read(a + P), 9); // untouched page still shared
    check_frames(frames, { &parent, &child });

    child.space.clear();
    check_frames(frames, { &parent });
    parent.space.clear();
    EXPECT_EQ(frames.live(), 0u);
}

TEST(AddressSpace, SharedAnonymousMappingIsSharedBothWaysAfterFork)
{
    fake::FakeFrameProvider frames;
    Space parent(frames);
    Space child(frames);
    uintptr_t a = parent.space.map_anonymous(0, P, RW, true, false).release_value();
    ASSERT_EQ(parent.write(a, 5), FaultOutcome::Resolved);
    ASSERT_FALSE(parent.space.clone_into(child.space).is_error());
    EXPECT_TRUE(parent.mmu.query(a).writable);
    ASSERT_EQ(child.write(a, 6), FaultOutcome::Resolved);
    EXPECT_EQ(parent.read(a), 6);
    ASSERT_EQ(parent.write(a + 1, 7), FaultOutcome::Resolved);
    EXPECT_EQ(child.read(a + 1), 7);
    EXPECT_EQ(frames.live(), 1u);
    check_frames(frames, { &parent, &child });
}

TEST(AddressSpace, UnmapTheMiddleLeavesBothEndsUsable)
{
    fake::FakeFrameProvider frames;
    Space s(frames);
    uintptr_t a = s.space.map_anonymous(0x100000, 5 * P, RW, false, true).release_value();
    for (int i = 0; i < 5; ++i)
        ASSERT_EQ(s.write(a + i * P, static_cast<u8>(10 + i)), FaultOutcome::Resolved);
    ASSERT_FALSE(s.space.unmap(a + P, 3 * P - 100).is_error()); // length rounds up to 3 pages
    EXPECT_EQ(s.space.region_count(), 2u);
    EXPECT_EQ(frames.live(), 2u);
    EXPECT_EQ(s.read(a), 10);
    EXPECT_EQ(s.read(a + 4 * P), 14);
    EXPECT_EQ(s.read(a + 2 * P), -1);
    EXPECT_EQ(s.space.statistics().protection, 1u);
    ASSERT_EQ(s.write(a + 4 * P + 1, 99), FaultOutcome::Resolved);
    check_frames(frames, { &s });
}

TEST(AddressSpace, ProtectReadOnlyThenWriteIsAViolation)
{
    fake::FakeFrameProvider frames;
    Space s(frames);
    uintptr_t a = s.space.map_anonymous(0, 3 * P, RW, false, false).release_value();
    ASSERT_EQ(s.write(a + P, 1), FaultOutcome::Resolved);
    ASSERT_FALSE(s.space.protect(a + P, P, Protection::Read).is_error());
    EXPECT_EQ(s.space.region_count(), 3u);
    EXPECT_FALSE(s.mmu.query(a + P).writable);
    EXPECT_EQ(s.write(a + P, 2), FaultOutcome::ProtectionViolation);
    EXPECT_EQ(s.read(a + P), 1);
    EXPECT_EQ(s.write(a, 2), FaultOutcome::Resolved);
    ASSERT_FALSE(s.space.protect(a + P, P, RW).is_error());
    EXPECT_EQ(s.space.region_count(), 1u); // merged back
    EXPECT_TRUE(s.mmu.query(a + P).writable); // count 1: may be writable at once
    EXPECT_EQ(s.space.protect(a + 2 * P, 2 * P, Protection::Read).error().code(), ErrorCode::NotFound);
    EXPECT_TRUE(s.space.find_region(a + 2 * P)->allows_write()); // unchanged
    check_frames(frames, { &s });
}

TEST(AddressSpace, ProtectAcrossTwoRegionsThenMergeBack)
{
    fake::FakeFrameProvider frames;
    Space s(frames);
    ASSERT_FALSE(s.space.map_anonymous(0x10000, 4 * P, RW, false, true).is_error());
    ASSERT_FALSE(s.space.map_anonymous(0x14000, 4 * P, RW, false, true).is_error());
    EXPECT_EQ(s.space.region_count(), 2u);
    ASSERT_FALSE(s.space.protect(0x12000, 4 * P, Protection::Read).is_error());
    EXPECT_EQ(s.space.region_count(), 3u); // [10,12) rw, [12,16) r (merged), [16,18) rw
    EXPECT_EQ(s.space.find_region(0x12000)->end(), 0x16000u);
    ASSERT_FALSE(s.space.protect(0x12000, 4 * P, RW).is_error());
    EXPECT_EQ(s.space.region_count(), 1u);
    EXPECT_EQ(s.space.find_region(0x10000)->end(), 0x18000u);
}

TEST(AddressSpace, ProtectNeverMakesACowSharedPageWritable)
{
    fake::FakeFrameProvider frames;
    Space parent(frames);
    Space child(frames);
    uintptr_t a = parent.space.map_anonymous(0, P, RW, false, false).release_value();
    ASSERT_EQ(parent.write(a, 1), FaultOutcome::Resolved);
    ASSERT_FALSE(parent.space.clone_into(child.space).is_error());
    ASSERT_FALSE(parent.space.protect(a, P, Protection::Read).is_error());
    ASSERT_FALSE(parent.space.protect(a, P, RW).is_error());
    EXPECT_FALSE(parent.mmu.query(a).writable);
    ASSERT_EQ(parent.write(a, 2), FaultOutcome::Resolved);
    EXPECT_EQ(child.read(a), 1);
    check_frames(frames, { &parent, &child });
}

TEST(AddressSpace, FixedMappingReplacesWhatWasThere)
{
    fake::FakeFrameProvider frames;
    fake::FakeFile file(std::vector<u8>(3 * P, 0xAB));
    Space s(frames);
    ASSERT_FALSE(s.space.map_file(0x10000, 3 * P, RW, false, true, file, 0).is_error());
    EXPECT_EQ(file.refs, 1);
    for (int i = 0; i < 3; ++i)
        ASSERT_EQ(s.write(0x10000 + i * P, 1), FaultOutcome::Resolved);
    auto replaced = s.space.map_anonymous(0x11000, P, Protection::Read, false, true);
    ASSERT_FALSE(replaced.is_error());
    EXPECT_EQ(replaced.value(), 0x11000u);
    EXPECT_EQ(s.space.region_count(), 3u);
    EXPECT_EQ(file.refs, 2); // both file pieces hold a reference
    EXPECT_EQ(s.read(0x11000), 0);
    EXPECT_EQ(s.read(0x12001), 0xAB); // the upper file piece still reads the file
    EXPECT_EQ(s.read(0x12000), 1);
    EXPECT_EQ(s.space.find_region(0x12000)->offset(), 2 * P);
    check_frames(frames, { &s });
    s.space.clear();
    EXPECT_EQ(file.refs, 0);
    EXPECT_EQ(frames.live(), 0u);
}

TEST(AddressSpace, FileMappingReadsTheFileAndZeroTail)
{
    fake::FakeFrameProvider frames;
    std::vector<u8> data(P + 1500);
    for (size_t i = 0; i < data.size(); ++i)
        data[i] = static_cast<u8>(i * 7 + 3);
    fake::FakeFile file(data);
    Space s(frames);
    uintptr_t a = s.space.map_file(0, 3 * P, Protection::Read, false, false, file, 0).release_value();
    EXPECT_EQ(s.read(a + 10), data[10]);
    EXPECT_EQ(s.read(a + 4095), data[4095]); // past the 1000-byte short reads
    EXPECT_EQ(s.read(a + P + 1499), data[P + 1499]);
    EXPECT_EQ(s.read(a + P + 1500), 0); // past end of file
    EXPECT_EQ(s.read(a + P + 4095), 0);
    EXPECT_EQ(s.read(a + 2 * P), 0); // whole page beyond the file
    EXPECT_EQ(s.space.statistics().file, 3u);
    // An offset mapping starts at the right byte; a private write stays private.
    fake::FakeFile other(data);
    uintptr_t b = s.space.map_file(0, P, RW, false, false, other, P).release_value();
    EXPECT_EQ(s.read(b + 1), data[P + 1]);
    ASSERT_EQ(s.write(b + 1, 0), FaultOutcome::Resolved);
    EXPECT_EQ(other.data[P + 1], data[P + 1]);
    EXPECT_EQ(s.space.map_file(0, P, RW, false, false, other, 100).error().code(), ErrorCode::InvalidArgument);
    // I/O errors come back as such, without leaking the frame.
    uintptr_t c = s.space.map_file(0, P, Protection::Read, false, false, other, 0).release_value();
    other.fail = true;
    size_t live = frames.live();
    EXPECT_EQ(s.space.handle_fault(c, FaultAccess::Read, false), FaultOutcome::IoError);
    EXPECT_EQ(frames.live(), live);
    check_frames(frames, { &s });
    s.space.clear();
    EXPECT_EQ(file.refs, 0);
    EXPECT_EQ(other.refs, 0);
}

// A memory object whose frames private mappings share until written (the
// KolibriOS DLL image of kernel/abi/kolibri/KolibriDll.cpp).
class CowObject final : public mm::FileSource {
public:
    CowObject(fake::FakeFrameProvider& frames, size_t pages)
        : m_frames(frames)
    {
        for (size_t i = 0; i < pages; ++i) {
            PhysicalAddress frame = frames.allocate().release_value();
            std::memset(frames.contents(frame), static_cast<int>(0x40 + i), P);
            this->frames.push_back(frame);
        }
    }
    ~CowObject()
    {
        for (PhysicalAddress frame : frames)
            m_frames.unref(frame);
    }
    ErrorOr<size_t> read(u64, void*, size_t) override { return Error(ErrorCode::Unsupported, "not read"); }
    u64 size() const override { return frames.size() * P; }
    void ref() override { ++refs; }
    void unref() override { --refs; }
    ErrorOr<PhysicalAddress> shared_frame(u64 offset) override
    {
        if (offset >= size())
            return Error(ErrorCode::OutOfRange, "past the object");
        return frames[offset / P];
    }
    bool shares_frames_copy_on_write() const override { return true; }

    std::vector<PhysicalAddress> frames;
    int refs { 0 };

private:
    fake::FakeFrameProvider& m_frames;
};

TEST(AddressSpace, PrivateMappingsShareACowObjectsFramesUntilWritten)
{
    fake::FakeFrameProvider frames;
    {
        CowObject object(frames, 2);
        Space a(frames), b(frames);
        uintptr_t x = a.space.map_file(0x70000000, 2 * P, RW, false, false, object, 0).release_value();
        uintptr_t y = b.space.map_file(0x70000000, 2 * P, RW, false, false, object, 0).release_value();
        EXPECT_EQ(object.refs, 2);
        // Reads map the object's own frame, read-only, in both.
        EXPECT_EQ(a.read(x + 5), 0x40);
        EXPECT_EQ(b.read(y + 5), 0x40);
        EXPECT_EQ(a.mmu.query(x).frame, object.frames[0]);
        EXPECT_FALSE(a.mmu.query(x).writable);
        EXPECT_EQ(frames.ref_count(object.frames[0]), 3u);
        // A write copies: the writer sees its byte, nobody else does.
        ASSERT_EQ(a.write(x + 5, 0x99), FaultOutcome::Resolved);
        EXPECT_NE(a.mmu.query(x).frame, object.frames[0]);
        EXPECT_EQ(a.read(x + 5), 0x99);
        EXPECT_EQ(a.read(x + 6), 0x40);
        EXPECT_EQ(b.read(y + 5), 0x40);
        EXPECT_EQ(frames.contents(object.frames[0])[5], 0x40);
        EXPECT_EQ(frames.ref_count(object.frames[0]), 2u);
        // A write to a page not yet present copies at once, too.
        ASSERT_EQ(b.write(y + P, 0x77), FaultOutcome::Resolved);
        EXPECT_NE(b.mmu.query(y + P).frame, object.frames[1]);
        EXPECT_TRUE(b.mmu.query(y + P).writable);
        EXPECT_EQ(frames.contents(object.frames[1])[0], 0x41);
        EXPECT_EQ(frames.ref_count(object.frames[1]), 1u);
        // copy_in (a loader rebasing the image) copies the same way.
        u32 word = 0x12345678;
        ASSERT_FALSE(a.space.copy_in(x + P + 8, &word, 4).is_error());
        EXPECT_EQ(frames.contents(object.frames[1])[8], 0x41);
        // fork keeps the shared page shared and read-only.
        Space child(frames);
        ASSERT_FALSE(b.space.clone_into(child.space).is_error());
        EXPECT_EQ(child.mmu.query(y).frame, object.frames[0]);
        EXPECT_EQ(frames.ref_count(object.frames[0]), 3u);
        EXPECT_EQ(object.refs, 3);
        child.space.clear();
        a.space.clear();
        b.space.clear();
        EXPECT_EQ(object.refs, 0);
        EXPECT_EQ(frames.live(), 2u); // only the object's own frames
        EXPECT_EQ(frames.ref_count(object.frames[0]), 1u);
    }
    EXPECT_EQ(frames.live(), 0u);
}

TEST(AddressSpace, DeviceMappingMapsPhysicalPagesWithoutCounting)
{
    fake::FakeFrameProvider frames;
    Space parent(frames);
    Space child(frames);
    uintptr_t a = parent.space.map_device(0, 2 * P, RW, 0xE0000000).release_value();
    EXPECT_EQ(parent.mmu.query(a + P).frame, 0xE0001000u);
    EXPECT_TRUE(parent.mmu.query(a + P).writable);
    EXPECT_EQ(parent.space.resident_pages(), 0u);
    ASSERT_FALSE(parent.space.clone_into(child.space).is_error());
    EXPECT_EQ(child.mmu.query(a).frame, 0xE0000000u);
    ASSERT_FALSE(parent.space.protect(a, P, Protection::None).is_error());
    EXPECT_FALSE(parent.mmu.query(a).present);
    EXPECT_EQ(parent.space.handle_fault(a, FaultAccess::Read, false), FaultOutcome::ProtectionViolation);
    ASSERT_FALSE(parent.space.protect(a, P, Protection::Read).is_error());
    EXPECT_EQ(parent.space.handle_fault(a, FaultAccess::Read, false), FaultOutcome::Resolved);
    EXPECT_EQ(parent.mmu.query(a).frame, 0xE0000000u);
    parent.space.clear();
    child.space.clear();
    EXPECT_TRUE(parent.mmu.pages.empty());
    EXPECT_TRUE(child.mmu.pages.empty());
    EXPECT_EQ(frames.live(), 0u);
}

TEST(AddressSpace, PopulateMakesPagesPresentAndBreaksCow)
{
    fake::FakeFrameProvider frames;
    Space parent(frames);
    Space child(frames);
    uintptr_t a = parent.space.map_anonymous(0, 2 * P, RW, false, false).release_value();
    ASSERT_EQ(parent.write(a, 4), FaultOutcome::Resolved);
    ASSERT_FALSE(parent.space.clone_into(child.space).is_error());
    ASSERT_FALSE(child.space.populate(a, 2 * P).is_error());
    EXPECT_TRUE(child.mmu.query(a).writable);
    EXPECT_TRUE(child.mmu.query(a + P).writable);
    EXPECT_EQ(child.read(a), 4);
    EXPECT_EQ(child.space.statistics().total, 0u);
    EXPECT_EQ(child.space.populate(a, 3 * P).error().code(), ErrorCode::NotFound);
    check_frames(frames, { &parent, &child });
}

TEST(AddressSpace, OutOfMemoryInFaultsLeaksNothing)
{
    for (int mmu_failure = 0; mmu_failure < 2; ++mmu_failure) {
        fake::FakeFrameProvider frames;
        Space parent(frames);
        Space child(frames);
        uintptr_t a = parent.space.map_anonymous(0, 2 * P, RW, false, false).release_value();
        ASSERT_EQ(parent.write(a, 1), FaultOutcome::Resolved);
        ASSERT_FALSE(parent.space.clone_into(child.space).is_error());
        if (mmu_failure)
            child.mmu.fail_after = 0;
        else
            frames.fail_after = 0;
        EXPECT_EQ(child.space.handle_fault(a + P, FaultAccess::Read, false), FaultOutcome::OutOfMemory);
        EXPECT_EQ(child.space.handle_fault(a, FaultAccess::Write, true), FaultOutcome::OutOfMemory);
        check_frames(frames, { &parent, &child });
        EXPECT_EQ(child.read(a), 1); // the shared read-only page is still there
        EXPECT_EQ(frames.live(), 1u);
        frames.fail_after = -1;
        child.mmu.fail_after = -1;
        EXPECT_EQ(child.write(a, 2), FaultOutcome::Resolved);
        EXPECT_EQ(parent.read(a), 1);
        child.space.clear();
        parent.space.clear();
        EXPECT_EQ(frames.live(), 0u);
    }
}

TEST(AddressSpace, OutOfMemoryAtEveryPointOfCloneLeaksNothing)
{
    for (int mmu_failure = 0; mmu_failure < 2; ++mmu_failure) {
        for (int budget = 0;; ++budget) {
            fake::FakeFrameProvider frames;
            fake::FakeFile file(std::vector<u8>(P, 0x11));
            Space parent(frames);
            uintptr_t a = parent.space.map_anonymous(0, 3 * P, RW, false, false).release_value();
            uintptr_t b = parent.space.map_anonymous(0, 2 * P, RW, true, false).release_value();
            uintptr_t c = parent.space.map_file(0, P, RW, false, false, file, 0).release_value();
            uintptr_t d = parent.space.map_device(0, P, RW, 0xE0000000).release_value();
            for (int i = 0; i < 3; ++i)
                ASSERT_EQ(parent.write(a + i * P, static_cast<u8>(i + 1)), FaultOutcome::Resolved);
            ASSERT_EQ(parent.write(b, 7), FaultOutcome::Resolved);
            ASSERT_EQ(parent.read(c), 0x11);
            size_t parent_frames = frames.live();
            bool done;
            {
                Space child(frames);
                if (mmu_failure)
                    child.mmu.fail_after = budget;
                else
                    frames.fail_after = budget; // clone allocates no frames: always succeeds
                auto cloned = parent.space.clone_into(child.space);
                done = !cloned.is_error();
                if (!done)
                    EXPECT_EQ(cloned.error().code(), ErrorCode::NoMemory);
                check_frames(frames, { &parent, &child });
                child.space.clear();
                EXPECT_TRUE(child.mmu.pages.empty());
            }
            EXPECT_EQ(frames.live(), parent_frames);
            EXPECT_EQ(file.refs, 1);
            // The parent's contents are intact and writable again (count 1).
            frames.fail_after = -1;
            for (int i = 0; i < 3; ++i)
                EXPECT_EQ(parent.read(a + i * P), i + 1);
            EXPECT_EQ(parent.read(b), 7);
            EXPECT_EQ(parent.write(a, 9), FaultOutcome::Resolved);
            EXPECT_EQ(frames.live(), parent_frames);
            EXPECT_EQ(parent.mmu.query(d).frame, 0xE0000000u);
            parent.space.clear();
            EXPECT_EQ(frames.live(), 0u);
            EXPECT_EQ(file.refs, 0);
            if (done || !mmu_failure)
                break;
            ASSERT_LT(budget, 50);
        }
    }
}

TEST(AddressSpace, ClearReleasesEverything)
{
    fake::FakeFrameProvider frames;
    fake::FakeFile file(std::vector<u8>(5 * P, 1));
    {
        Space s(frames);
        uintptr_t a = s.space.map_file(0, 5 * P, RW, true, false, file, 0).release_value();
        uintptr_t b = s.space.map_anonymous(0, 5 * P, RW, false, false).release_value();
        for (int i = 0; i < 5; ++i) {
            ASSERT_EQ(s.write(a + i * P, 2), FaultOutcome::Resolved);
            ASSERT_EQ(s.write(b + i * P, 2), FaultOutcome::Resolved);
        }
        ASSERT_FALSE(s.space.unmap(a + P, P).is_error());
        EXPECT_EQ(file.refs, 2);
        EXPECT_EQ(frames.live(), 9u);
        // The destructor clears.
    }
    EXPECT_EQ(frames.live(), 0u);
    EXPECT_EQ(file.refs, 0);
}

// map/unmap/protect/write/read/fork at random against a per-page model.
TEST(AddressSpace, RandomOperationsMatchAPerPageModel)
{
    struct PageModel {
        u8 protection;
        u8 value; // byte 0 of the page as last written (0 = never)
    };
    constexpr uintptr_t base = 0x400000;
    constexpr uintptr_t pages = 64;
    std::mt19937 random(12345);
    auto pick = [&](uintptr_t limit) { return static_cast<uintptr_t>(random() % limit); };

    fake::FakeFrameProvider frames;
    Space s(frames);
    std::map<uintptr_t, PageModel> model;
    for (int step = 0; step < 3000; ++step) {
        uintptr_t first = pick(pages);
        uintptr_t count = 1 + pick(lib::min<uintptr_t>(8, pages - first));
        uintptr_t start = base + first * P;
        u8 protection = static_cast<u8>(pick(8));
        switch (pick(6)) {
        case 0: {
            ASSERT_FALSE(s.space.map_anonymous(start, count * P, protection, false, true).is_error());
            for (uintptr_t i = 0; i < count; ++i)
                model[first + i] = { protection, 0 };
            break;
        }
        case 1:
            ASSERT_FALSE(s.space.unmap(start, count * P).is_error());
            for (uintptr_t i = 0; i < count; ++i)
                model.erase(first + i);
            break;
        case 2: {
            bool covered = true;
            for (uintptr_t i = 0; i < count; ++i)
                covered = covered && model.count(first + i);
            auto result = s.space.protect(start, count * P, protection);
            ASSERT_EQ(result.is_error(), !covered);
            if (covered) {
                for (uintptr_t i = 0; i < count; ++i)
                    model[first + i].protection = protection;
            }
            break;
        }
        case 3:
        case 4: {
            u8 value = static_cast<u8>(1 + pick(255));
            auto it = model.find(first);
            auto outcome = s.write(start, value);
            if (it == model.end()) {
                EXPECT_EQ(outcome, FaultOutcome::OutsideRegions);
            } else if (!(it->second.protection & Protection::Write)) {
                EXPECT_EQ(outcome, FaultOutcome::ProtectionViolation);
            } else {
                EXPECT_EQ(outcome, FaultOutcome::Resolved);
                it->second.value = value;
            }
            break;
        }
        case 5: {
            // Fork, let the child scribble over everything, drop it.
            Space child(frames);
            ASSERT_FALSE(s.space.clone_into(child.space).is_error());
            for (auto& [page, entry] : model) {
                if (entry.protection & Protection::Write)
                    ASSERT_EQ(child.write(base + page * P, 0xEE), FaultOutcome::Resolved);
            }
            check_frames(frames, { &s, &child });
            break;
        }
        }
        // Reads agree with the model (where reading is allowed).
        uintptr_t probe = pick(pages);
        auto it = model.find(probe);
        int value = s.read(base + probe * P);
        if (it == model.end())
            EXPECT_EQ(value, -1);
        else if (it->second.protection != Protection::None || s.mmu.query(base + probe * P).present)
            EXPECT_EQ(value, it->second.value); // (present pages stay readable under None: documented)
        for (uintptr_t page = 0; page < pages; ++page) {
            const mm::Region* region = s.space.find_region(base + page * P);
            auto entry = model.find(page);
            ASSERT_EQ(region != nullptr, entry != model.end()) << "step " << step << " page " << page;
            if (region)
                ASSERT_EQ(region->protection(), entry->second.protection);
        }
        check_frames(frames, { &s });
        if (::testing::Test::HasFailure())
            FAIL() << "at step " << step;
    }
    s.space.clear();
    EXPECT_EQ(frames.live(), 0u);
}

// ---- copy_in / copy_out: another process's memory ---------------------------

TEST(AddressSpaceCopy, CopyInToADemandZeroPageFaultsItInAndCounts)
{
    fake::FakeFrameProvider frames;
    Space s(frames);
    uintptr_t a = s.space.map_anonymous(0, 2 * P, RW, false, false).release_value();
    const char text[] = "message";
    // Straddles the two pages: both are created, zero around the bytes.
    ASSERT_FALSE(s.space.copy_in(a + P - 3, text, sizeof(text)).is_error());
    EXPECT_EQ(frames.live(), 2u);
    EXPECT_EQ(s.space.statistics().demand_zero, 2u);
    EXPECT_TRUE(s.mmu.query(a).writable);
    EXPECT_EQ(s.read(a + P - 4), 0);
    for (size_t i = 0; i < sizeof(text); ++i)
        EXPECT_EQ(s.read(a + P - 3 + i), static_cast<u8>(text[i]));
    EXPECT_EQ(s.read(a + P + sizeof(text) - 3), 0);
    char back[sizeof(text)] {};
    ASSERT_FALSE(s.space.copy_out(back, a + P - 3, sizeof(back)).is_error());
    EXPECT_STREQ(back, text);
    // Reading an untouched page gives zeros and makes it present too.
    uintptr_t b = s.space.map_anonymous(0, P, Protection::Read, false, false).release_value();
    u8 zeros[16];
    for (auto& z : zeros)
        z = 0xAA;
    ASSERT_FALSE(s.space.copy_out(zeros, b + 100, sizeof(zeros)).is_error());
    for (auto z : zeros)
        EXPECT_EQ(z, 0);
    EXPECT_EQ(s.space.statistics().demand_zero, 3u);
    // Length 0 is fine anywhere in user space, even outside regions.
    EXPECT_FALSE(s.space.copy_in(0x700000, text, 0).is_error());
    check_frames(frames, { &s });
}

TEST(AddressSpaceCopy, CopyInToACowSharedPageLeavesTheOtherSharerUnchanged)
{
    fake::FakeFrameProvider frames;
    Space parent(frames);
    Space child(frames);
    uintptr_t a = parent.space.map_anonymous(0, 2 * P, RW, false, false).release_value();
    ASSERT_EQ(parent.write(a + 10, 1), FaultOutcome::Resolved);
    ASSERT_EQ(parent.write(a + P, 5), FaultOutcome::Resolved);
    ASSERT_FALSE(parent.space.clone_into(child.space).is_error());
    PhysicalAddress shared = parent.mmu.query(a).frame;
    ASSERT_EQ(frames.ref_count(shared), 2u);

    u8 value = 7;
    ASSERT_FALSE(child.space.copy_in(a + 10, &value, 1).is_error());
    EXPECT_EQ(child.read(a + 10), 7);
    EXPECT_EQ(parent.read(a + 10), 1); // the other sharer still sees its byte
    EXPECT_EQ(parent.mmu.query(a).frame, shared);
    EXPECT_NE(child.mmu.query(a).frame, shared);
    EXPECT_EQ(child.space.statistics().cow, 1u);
    EXPECT_EQ(frames.ref_count(shared), 1u);
    // Reading does not break the sharing of the second page.
    u8 out = 0;
    ASSERT_FALSE(child.space.copy_out(&out, a + P, 1).is_error());
    EXPECT_EQ(out, 5);
    EXPECT_EQ(child.mmu.query(a + P).frame, parent.mmu.query(a + P).frame);
    EXPECT_FALSE(child.mmu.query(a + P).writable);
    // The last sharer's copy_in just makes the page writable again.
    value = 9;
    ASSERT_FALSE(parent.space.copy_in(a + 11, &value, 1).is_error());
    EXPECT_EQ(parent.mmu.query(a).frame, shared);
    EXPECT_TRUE(parent.mmu.query(a).writable);
    EXPECT_EQ(child.read(a + 11), 0);
    check_frames(frames, { &parent, &child });
}

TEST(AddressSpaceCopy, CopyReachesFileBackedPages)
{
    fake::FakeFrameProvider frames;
    std::vector<u8> data(P);
    for (size_t i = 0; i < data.size(); ++i)
        data[i] = static_cast<u8>(i + 1);
    fake::FakeFile file(data);
    Space s(frames);
    uintptr_t a = s.space.map_file(0, P, RW, false, false, file, 0).release_value();
    u8 out[4];
    ASSERT_FALSE(s.space.copy_out(out, a + 20, sizeof(out)).is_error());
    EXPECT_EQ(out[0], 21);
    EXPECT_EQ(out[3], 24);
    EXPECT_EQ(s.space.statistics().file, 1u);
    u8 value = 0;
    ASSERT_FALSE(s.space.copy_in(a + 20, &value, 1).is_error());
    EXPECT_EQ(s.read(a + 20), 0);
    EXPECT_EQ(file.data[20], 21); // private mapping: the file keeps its byte
    // An I/O error while faulting in comes back as IoError.
    uintptr_t b = s.space.map_file(0, P, Protection::Read, false, false, file, 0).release_value();
    file.fail = true;
    EXPECT_EQ(s.space.copy_out(out, b, 1).error().code(), ErrorCode::IoError);
    check_frames(frames, { &s });
    s.space.clear();
}

TEST(AddressSpaceCopy, RefusedForReadOnlyUnmappedAndKernelRanges)
{
    fake::FakeFrameProvider frames;
    Space s(frames);
    uintptr_t ro = s.space.map_anonymous(0x10000, P, Protection::Read, false, true).release_value();
    uintptr_t none = s.space.map_anonymous(0x20000, P, Protection::None, false, true).release_value();
    u8 bytes[8] {};
    EXPECT_EQ(s.space.copy_in(ro, bytes, 1).error().code(), ErrorCode::AccessDenied);
    EXPECT_FALSE(s.space.copy_out(bytes, ro, 1).is_error()); // reading is allowed
    EXPECT_EQ(s.space.copy_out(bytes, none, 1).error().code(), ErrorCode::AccessDenied);
    EXPECT_EQ(s.space.copy_in(none, bytes, 1).error().code(), ErrorCode::AccessDenied);
    EXPECT_EQ(s.space.copy_in(0x30000, bytes, 1).error().code(), ErrorCode::OutOfRange);
    EXPECT_EQ(s.space.copy_out(bytes, 0x30000, 1).error().code(), ErrorCode::OutOfRange);
    EXPECT_EQ(s.space.copy_in(mm::user_space_end, bytes, 1).error().code(), ErrorCode::OutOfRange);
    EXPECT_EQ(s.space.copy_out(bytes, 0xFFFFFFF0u, 8).error().code(), ErrorCode::OutOfRange);
    // A range that wraps around the top of the address space.
    EXPECT_EQ(s.space.copy_in(ro, bytes, SIZE_MAX - 8).error().code(), ErrorCode::OutOfRange);
    // A user range that runs into the kernel.
    uintptr_t top = s.space.map_anonymous(mm::user_space_end - P, P, RW, false, true).release_value();
    EXPECT_EQ(s.space.copy_in(top + P - 4, bytes, 8).error().code(), ErrorCode::OutOfRange);
    EXPECT_FALSE(s.space.copy_in(top + P - 8, bytes, 8).is_error());
    // Device pages are not reachable through the frames.
    uintptr_t device = s.space.map_device(0, P, RW, 0xE0000000).release_value();
    EXPECT_EQ(s.space.copy_in(device, bytes, 1).error().code(), ErrorCode::Unsupported);
    // Refusals fault nothing in: the only present pages are the two copied above.
    EXPECT_EQ(s.space.resident_pages(), 2u); // `ro` read, `top` written
    EXPECT_EQ(s.space.statistics().protection, 0u);
    check_frames(frames, { &s });
}

TEST(AddressSpaceCopy, StraddlingTheEndOfARegionCopiesNothing)
{
    fake::FakeFrameProvider frames;
    Space s(frames);
    uintptr_t a = s.space.map_anonymous(0x40000, 2 * P, RW, false, true).release_value();
    u8 bytes[16];
    for (size_t i = 0; i < sizeof(bytes); ++i)
        bytes[i] = static_cast<u8>(0x80 + i);
    EXPECT_EQ(s.space.copy_in(a + 2 * P - 8, bytes, sizeof(bytes)).error().code(), ErrorCode::OutOfRange);
    EXPECT_EQ(s.space.copy_out(bytes, a + 2 * P - 8, sizeof(bytes)).error().code(), ErrorCode::OutOfRange);
    EXPECT_EQ(frames.live(), 0u); // checked before a byte moved
    // Into a neighbouring read-only region: refused for writes, fine for reads.
    ASSERT_FALSE(s.space.map_anonymous(a + 2 * P, P, Protection::Read, false, true).is_error());
    EXPECT_EQ(s.space.copy_in(a + 2 * P - 8, bytes, sizeof(bytes)).error().code(), ErrorCode::AccessDenied);
    EXPECT_EQ(frames.live(), 0u);
    EXPECT_FALSE(s.space.copy_out(bytes, a + 2 * P - 8, sizeof(bytes)).is_error());
    for (auto b : bytes)
        EXPECT_EQ(b, 0);
    // Two writable neighbours: the copy crosses the boundary.
    ASSERT_FALSE(s.space.map_anonymous(a + 3 * P, P, RW, false, true).is_error());
    u8 pattern[8] = { 1, 2, 3, 4, 5, 6, 7, 8 };
    ASSERT_FALSE(s.space.protect(a + 2 * P, P, RW).is_error());
    ASSERT_FALSE(s.space.copy_in(a + 3 * P - 4, pattern, sizeof(pattern)).is_error());
    EXPECT_EQ(s.read(a + 3 * P - 1), 4);
    EXPECT_EQ(s.read(a + 3 * P), 5);
    check_frames(frames, { &s });
}

TEST(AddressSpaceCopy, OutOfMemoryIsAnErrorAndLeaksNothing)
{
    fake::FakeFrameProvider frames;
    Space s(frames);
    uintptr_t a = s.space.map_anonymous(0, 2 * P, RW, false, false).release_value();
    u8 bytes[P + 8] {};
    frames.fail_after = 1; // the first page gets a frame, the second does not
    EXPECT_EQ(s.space.copy_in(a + P - 8, bytes, 16).error().code(), ErrorCode::NoMemory);
    frames.fail_after = -1;
    EXPECT_EQ(frames.live(), 1u);
    check_frames(frames, { &s });
    ASSERT_FALSE(s.space.copy_in(a, bytes, sizeof(bytes)).is_error());
    check_frames(frames, { &s });
}

TEST(AddressSpaceCopy, PageMappingReportsThePresentFrame)
{
    fake::FakeFrameProvider frames;
    Space s(frames);
    uintptr_t a = s.space.map_anonymous(0, P, RW, false, false).release_value();
    EXPECT_FALSE(s.space.page_mapping(a + 5).present);
    ASSERT_EQ(s.write(a + 5, 1), FaultOutcome::Resolved);
    auto mapping = s.space.page_mapping(a + 5);
    EXPECT_TRUE(mapping.present);
    EXPECT_EQ(mapping.frame, s.mmu.query(a).frame);
    EXPECT_FALSE(s.space.page_mapping(mm::user_space_end + 5).present);
}
