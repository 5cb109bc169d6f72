// Shared memory objects mapped into several address spaces, and the name
// table's lifetimes and access rules (kernel/ipc/SharedMemory.h).
#include <gtest/gtest.h>

#include "kernel/ipc/SharedMemory.h"
#include "kernel/mm/AddressSpace.h"
#include "tests/host/FakeMmu.h"

using ipc::NameLifetime;
using ipc::NameOptions;
using ipc::NameTable;
using ipc::SharedMemory;
using mm::FaultAccess;
using mm::FaultOutcome;

namespace {

constexpr uintptr_t P = 4096;
constexpr u8 RW = mm::Protection::Read | mm::Protection::Write;

struct Space {
    explicit Space(fake::FakeFrameProvider& frames) : frames(frames), space(mmu, frames) { }
    ~Space() { space.clear(); }

    u8* page_of(uintptr_t address, FaultAccess access)
    {
        uintptr_t page = address & ~(P - 1);
        auto mapping = mmu.query(page);
        if (!mapping.present || (access == FaultAccess::Write && !mapping.writable)) {
            if (space.handle_fault(address, access, mapping.present) != FaultOutcome::Resolved)
                return nullptr;
            mapping = mmu.query(page);
        }
        return frames.contents(mapping.frame) + (address - page);
    }
    int read(uintptr_t address)
    {
        u8* byte = page_of(address, FaultAccess::Read);
        return byte ? *byte : -1;
    }
    bool write(uintptr_t address, u8 value)
    {
        u8* byte = page_of(address, FaultAccess::Write);
        if (byte)
            *byte = value;
        return byte != nullptr;
    }

    fake::FakeFrameProvider& frames;
    fake::FakeMmu mmu;
    mm::AddressSpace space;
};

// Process tree for the tests: 1 is the parent of 2, 2 of 3; 9 is unrelated.
bool in_tree(u32 pid, u32 ancestor)
{
    for (u32 current = pid; current; current = current == 3 ? 2 : current == 2 ? 1 : 0) {
        if (current == ancestor)
            return true;
    }
    return false;
}

} // namespace

TEST(SharedMemory, CreateRoundsUpAndZeroes)
{
    fake::FakeFrameProvider frames;
    auto created = SharedMemory::create(frames, 5000);
    ASSERT_FALSE(created.is_error());
    SharedMemory* object = created.value();
    EXPECT_EQ(object->size(), 2 * P);
    EXPECT_EQ(frames.live(), 2u);
    EXPECT_EQ(object->page(1)[4095], 0);
    EXPECT_EQ(SharedMemory::live_objects(), 1u);
    object->unref();
    EXPECT_EQ(frames.live(), 0u);
    EXPECT_EQ(SharedMemory::live_objects(), 0u);
    EXPECT_TRUE(SharedMemory::create(frames, 0).is_error());
    EXPECT_TRUE(SharedMemory::create(frames, ipc::max_object_size + 1).is_error());
}

TEST(SharedMemory, OutOfMemoryLeaksNothing)
{
    fake::FakeFrameProvider frames;
    frames.fail_after = 3;
    auto created = SharedMemory::create(frames, 8 * P);
    ASSERT_TRUE(created.is_error());
    EXPECT_EQ(created.error().code(), ErrorCode::NoMemory);
    EXPECT_EQ(frames.live(), 0u);
    EXPECT_EQ(SharedMemory::live_objects(), 0u);
}

TEST(SharedMemory, TwoAddressSpacesSeeTheSameBytes)
{
    fake::FakeFrameProvider frames;
    SharedMemory* object = SharedMemory::create(frames, 3 * P).value();
    {
        Space a(frames), b(frames);
        uintptr_t in_a = a.space.map_file(0, 3 * P, RW, true, false, *object, 0).value();
        uintptr_t in_b = b.space.map_file(0x40000000, 3 * P, RW, true, true, *object, 0).value();
        EXPECT_EQ(object->references(), 3u);
        ASSERT_TRUE(a.write(in_a + 2 * P + 7, 0x5A));
        EXPECT_EQ(b.read(in_b + 2 * P + 7), 0x5A);
        ASSERT_TRUE(b.write(in_b + 1, 0x77));
        EXPECT_EQ(a.read(in_a + 1), 0x77);
        EXPECT_EQ(object->page(0)[1], 0x77);
        // The page-table entries hold references of their own.
        EXPECT_EQ(frames.ref_count(b.mmu.query(in_b).frame), 3u);

        // The creator lets go of its reference: the mappings keep it all.
        object->unref();
        EXPECT_EQ(frames.live(), 3u);
        ASSERT_FALSE(a.space.unmap(in_a, 3 * P).is_error());
        EXPECT_EQ(b.read(in_b + 2 * P + 7), 0x5A);
        // Unmapping the middle page of b splits the region: both halves
        // still hold the object.
        ASSERT_FALSE(b.space.unmap(in_b + P, P).is_error());
        EXPECT_EQ(b.read(in_b + 2 * P + 7), 0x5A);
        EXPECT_EQ(SharedMemory::live_objects(), 1u);
    }
    EXPECT_EQ(frames.live(), 0u);
    EXPECT_EQ(SharedMemory::live_objects(), 0u);
}

TEST(SharedMemory, ForkSharesAndPrivateMappingsCopy)
{
    fake::FakeFrameProvider frames;
    SharedMemory* object = SharedMemory::create(frames, P).value();
    {
        Space parent(frames), child(frames), reader(frames);
        uintptr_t shared = parent.space.map_file(0, P, RW, true, false, *object, 0).value();
        uintptr_t copy = reader.space.map_file(0, P, RW, false, false, *object, 0).value();
        ASSERT_TRUE(parent.write(shared, 1));
        ASSERT_FALSE(parent.space.clone_into(child.space).is_error());
        ASSERT_TRUE(child.write(shared, 2));
        EXPECT_EQ(parent.read(shared), 2);
        // A private mapping takes a copy when it first touches a page.
        EXPECT_EQ(reader.read(copy), 2);
        ASSERT_TRUE(reader.write(copy, 3));
        EXPECT_EQ(parent.read(shared), 2);
        object->unref();
    }
    EXPECT_EQ(frames.live(), 0u);
}

TEST(SharedMemory, PagesPastTheEndFault)
{
    fake::FakeFrameProvider frames;
    SharedMemory* object = SharedMemory::create(frames, P).value();
    {
        Space a(frames);
        uintptr_t base = a.space.map_file(0, 2 * P, RW, true, false, *object, 0).value();
        EXPECT_EQ(a.read(base), 0);
        EXPECT_EQ(a.read(base + P), -1);
        object->unref();
    }
    EXPECT_EQ(frames.live(), 0u);
}

TEST(NameTable, OwnedNamesLiveUntilTheCreatorGoes)
{
    fake::FakeFrameProvider frames;
    {
        NameTable table(in_tree);
        SharedMemory* mine = table.create(frames, "chan", 100, 1, {}).value();
        EXPECT_EQ(table.create(frames, "chan", 100, 9, {}).error().code(), ErrorCode::AlreadyExists);
        SharedMemory* theirs = table.open("chan", 9, true).value();
        EXPECT_EQ(mine, theirs);
        EXPECT_EQ(mine->references(), 3u);
        EXPECT_EQ(table.remove("chan", 9).error().code(), ErrorCode::AccessDenied);
        table.process_exited(1);
        EXPECT_EQ(table.count(), 0u);
        EXPECT_EQ(table.open("chan", 9, false).error().code(), ErrorCode::NotFound);
        // The name is free again while the old object lives on.
        SharedMemory* again = table.create(frames, "chan", 100, 9, {}).value();
        EXPECT_NE(again, mine);
        EXPECT_EQ(mine->references(), 2u);
        mine->unref();
        theirs->unref();
        again->unref();
        ASSERT_FALSE(table.remove("chan", 9).is_error());
        EXPECT_EQ(table.remove("chan", 9).error().code(), ErrorCode::NotFound);
    }
    EXPECT_EQ(frames.live(), 0u);
}

TEST(NameTable, PrivateNamesOpenOnlyInsideTheTree)
{
    fake::FakeFrameProvider frames;
    NameTable table(in_tree);
    NameOptions options;
    options.is_private = true;
    table.create(frames, "tree", P, 2, options).value()->unref();
    EXPECT_EQ(table.open("tree", 9, false).error().code(), ErrorCode::AccessDenied);
    EXPECT_EQ(table.open("tree", 1, false).error().code(), ErrorCode::AccessDenied) << "a parent is outside";
    table.open("tree", 3, true).value()->unref();
    table.open("tree", 2, true).value()->unref();
    EXPECT_EQ(table.remove("tree", 9).error().code(), ErrorCode::AccessDenied);
    ASSERT_FALSE(table.remove("tree", 3).is_error());
}

TEST(NameTable, ReadOnlyForOthers)
{
    fake::FakeFrameProvider frames;
    NameTable table(in_tree);
    NameOptions options;
    options.others_may_write = false;
    table.create(frames, "ro", P, 1, options).value()->unref();
    EXPECT_EQ(table.open("ro", 9, true).error().code(), ErrorCode::AccessDenied);
    table.open("ro", 9, false).value()->unref();
    table.open("ro", 1, true).value()->unref();
}

TEST(NameTable, CountedNamesGoWithTheLastClose)
{
    fake::FakeFrameProvider frames;
    NameTable table(in_tree);
    NameOptions options;
    options.lifetime = NameLifetime::Counted;
    SharedMemory* first = table.create(frames, "kolibri", 10, 1, options).value();
    SharedMemory* second = table.open("kolibri", 9, true).value();
    table.process_exited(1); // counted names are not the creator's
    EXPECT_EQ(table.count(), 1u);
    EXPECT_EQ(table.info(0).opens, 2u);
    ASSERT_FALSE(table.remove("kolibri", 1).is_error());
    EXPECT_EQ(table.count(), 1u);
    ASSERT_FALSE(table.remove("kolibri", 9).is_error());
    EXPECT_EQ(table.count(), 0u);
    first->unref();
    second->unref();
    EXPECT_EQ(frames.live(), 0u);
}

TEST(NameTable, NamesAreChecked)
{
    fake::FakeFrameProvider frames;
    NameTable table(in_tree);
    EXPECT_EQ(table.create(frames, "", P, 1, {}).error().code(), ErrorCode::InvalidArgument);
    EXPECT_EQ(table.create(frames, "0123456789012345678901234567890123", P, 1, {}).error().code(),
        ErrorCode::InvalidArgument);
    EXPECT_EQ(table.create(frames, "big", ipc::max_object_size + 1, 1, {}).error().code(),
        ErrorCode::InvalidArgument);
    for (size_t i = 0; i < ipc::max_names; ++i) {
        char name[8];
        snprintf(name, sizeof(name), "n%zu", i);
        table.create(frames, name, P, 1, {}).value()->unref();
    }
    EXPECT_EQ(table.create(frames, "one more", P, 1, {}).error().code(), ErrorCode::NoSpace);
    table.process_exited(1);
    EXPECT_EQ(table.count(), 0u);
    EXPECT_EQ(frames.live(), 0u);
}
