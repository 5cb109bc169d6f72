#include <gtest/gtest.h>

#include <cstring>
#include <string>

#include "kernel/abi/kolibri/Clipboard.h"

using kolibri::ClipData;
using kolibri::Clipboard;

namespace {

ClipData* make(const std::string& text)
{
    ClipData* data = ClipData::create(text.size());
    EXPECT_NE(data, nullptr);
    if (data && !text.empty())
        std::memcpy(data->bytes(), text.data(), text.size());
    return data;
}

std::string contents(const ClipData* data)
{
    return std::string(reinterpret_cast<const char*>(data->bytes()), data->size());
}

TEST(Clipboard, StartsEmpty)
{
    Clipboard clipboard;
    EXPECT_EQ(clipboard.slot_count(), 0u);
    EXPECT_EQ(clipboard.total_bytes(), 0u);
    EXPECT_EQ(clipboard.acquire(0), nullptr);
    EXPECT_FALSE(clipboard.remove_last());
}

TEST(Clipboard, AppendAndReadInOrder)
{
    Clipboard clipboard;
    ASSERT_FALSE(clipboard.append(make("first")).is_error());
    ASSERT_FALSE(clipboard.append(make("second")).is_error());
    EXPECT_EQ(clipboard.slot_count(), 2u);
    EXPECT_EQ(clipboard.total_bytes(), 11u);
    for (size_t i = 0; i < 2; ++i) {
        ClipData* data = clipboard.acquire(i);
        ASSERT_NE(data, nullptr);
        EXPECT_EQ(contents(data), i == 0 ? "first" : "second");
        data->release();
    }
    EXPECT_EQ(clipboard.acquire(2), nullptr);
    EXPECT_EQ(clipboard.acquire(static_cast<size_t>(-1)), nullptr);
}

TEST(Clipboard, RemoveLastTakesOnlyTheLast)
{
    Clipboard clipboard;
    ASSERT_FALSE(clipboard.append(make("a")).is_error());
    ASSERT_FALSE(clipboard.append(make("bb")).is_error());
    EXPECT_TRUE(clipboard.remove_last());
    EXPECT_EQ(clipboard.slot_count(), 1u);
    EXPECT_EQ(clipboard.total_bytes(), 1u);
    ClipData* data = clipboard.acquire(0);
    ASSERT_NE(data, nullptr);
    EXPECT_EQ(contents(data), "a");
    data->release();
    EXPECT_TRUE(clipboard.remove_last());
    EXPECT_FALSE(clipboard.remove_last());
    EXPECT_EQ(clipboard.total_bytes(), 0u);
}

TEST(Clipboard, AReaderKeepsDeletedDataAlive)
{
    Clipboard clipboard;
    ASSERT_FALSE(clipboard.append(make("shared")).is_error());
    ClipData* reader = clipboard.acquire(0);
    ASSERT_NE(reader, nullptr);
    EXPECT_EQ(reader->references(), 2u);
    EXPECT_TRUE(clipboard.remove_last());
    // The slot is gone, the reader's copy is not (ASan would see a use
    // after free otherwise).
    EXPECT_EQ(reader->references(), 1u);
    EXPECT_EQ(contents(reader), "shared");
    reader->release();
}

TEST(Clipboard, EmptyBlocksHaveStorage)
{
    ClipData* data = ClipData::create(0);
    ASSERT_NE(data, nullptr);
    EXPECT_NE(data->bytes(), nullptr);
    EXPECT_EQ(data->size(), 0u);
    data->release();
}

TEST(Clipboard, NullIsRefused)
{
    Clipboard clipboard;
    EXPECT_TRUE(clipboard.append(nullptr).is_error());
    EXPECT_EQ(clipboard.slot_count(), 0u);
}

TEST(Clipboard, SlotLimit)
{
    Clipboard clipboard;
    for (size_t i = 0; i < Clipboard::max_slots; ++i)
        ASSERT_FALSE(clipboard.append(make("x")).is_error()) << i;
    EXPECT_TRUE(clipboard.can_append(1).is_error());
    ClipData* extra = make("y");
    auto result = clipboard.append(extra);
    ASSERT_TRUE(result.is_error());
    EXPECT_EQ(result.error().code(), lib::ErrorCode::Busy);
    // Refused: the caller still owns its reference.
    EXPECT_EQ(extra->references(), 1u);
    extra->release();
    EXPECT_EQ(clipboard.slot_count(), Clipboard::max_slots);
    EXPECT_TRUE(clipboard.remove_last());
    EXPECT_FALSE(clipboard.can_append(1).is_error());
}

TEST(Clipboard, ByteLimits)
{
    Clipboard clipboard;
    EXPECT_TRUE(clipboard.can_append(Clipboard::max_slot_bytes + 1).is_error());
    EXPECT_TRUE(clipboard.can_append(static_cast<size_t>(-1)).is_error());
    EXPECT_FALSE(clipboard.can_append(Clipboard::max_slot_bytes).is_error());
    // Fill up to the total limit with the largest slots.
    size_t slots = Clipboard::max_total_bytes / Clipboard::max_slot_bytes;
    for (size_t i = 0; i < slots; ++i) {
        ClipData* data = ClipData::create(Clipboard::max_slot_bytes);
        ASSERT_NE(data, nullptr);
        ASSERT_FALSE(clipboard.append(data).is_error()) << i;
    }
    EXPECT_EQ(clipboard.total_bytes(), Clipboard::max_total_bytes);
    auto result = clipboard.can_append(1);
    ASSERT_TRUE(result.is_error());
    EXPECT_EQ(result.error().code(), lib::ErrorCode::OutOfRange);
    EXPECT_FALSE(clipboard.can_append(0).is_error());
    clipboard.clear();
    EXPECT_EQ(clipboard.slot_count(), 0u);
    EXPECT_EQ(clipboard.total_bytes(), 0u);
}

TEST(Clipboard, ClearReleasesEverything)
{
    // Leaks would show up under ASan's leak checker.
    Clipboard clipboard;
    for (int i = 0; i < 10; ++i)
        ASSERT_FALSE(clipboard.append(make(std::string(size_t(i) * 100, 'z'))).is_error());
    clipboard.clear();
    EXPECT_EQ(clipboard.slot_count(), 0u);
    ASSERT_FALSE(clipboard.append(make("again")).is_error());
}

} // namespace
