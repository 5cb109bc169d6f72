// SPDX-License-Identifier: BSD-2-Clause
// exec::kpck: KPCK files made by tools/kpack.py at build time (no call
// trick, call-trick 1 and 2) unpack to their data; every header refusal;
// every truncation; a wrong unpacked size or call count; flipped bytes
// refused or kept inside the exact-size buffers (ASan); and the call-trick
// walk on hand-made bytes, including the operand bytes that are not
// skipped when the marker does not follow.
#include <gtest/gtest.h>

#include <cstring>
#include <memory>
#include <vector>

#include "KpckVectors.h"
#include "kernel/exec/Kpck.h"

using namespace kpck_test;
namespace kpck = exec::kpck;

namespace {

void put32(std::vector<u8>& file, size_t at, u32 value)
{
    for (int i = 0; i < 4; ++i)
        file[at + i] = u8(value >> (8 * i));
}

u32 get32(const std::vector<u8>& file, size_t at)
{
    return u32(file[at]) | u32(file[at + 1]) << 8 | u32(file[at + 2]) << 16 | u32(file[at + 3]) << 24;
}

// Unpacks an exact-size heap copy of `file` into an exact-size buffer.
ErrorOr<void> unpack(const std::vector<u8>& file, std::vector<u8>* out = nullptr)
{
    auto input = std::make_unique<u8[]>(file.size() ? file.size() : 1);
    if (!file.empty())
        std::memcpy(input.get(), file.data(), file.size());
    auto size = kpck::unpacked_size(input.get(), file.size());
    if (size.is_error())
        return size.error();
    auto output = std::make_unique<u8[]>(size.value());
    auto model = std::make_unique<exec::lzma::Model>();
    auto result = kpck::unpack(input.get(), file.size(), output.get(), size.value(), *model);
    if (out && !result.is_error())
        out->assign(output.get(), output.get() + size.value());
    return result;
}

std::vector<u8> file_of(const KpckVector& vector)
{
    return std::vector<u8>(vector.file, vector.file + vector.file_length);
}

const KpckVector& vector_named(const char* name)
{
    for (const auto& vector : kpck_vectors) {
        if (std::strcmp(vector.name, name) == 0)
            return vector;
    }
    ADD_FAILURE() << "no vector " << name;
    return kpck_vectors[0];
}

TEST(Kpck, UnpacksKpackPyFiles)
{
    size_t with_trick = 0;
    for (const auto& vector : kpck_vectors) {
        SCOPED_TRACE(vector.name);
        auto file = file_of(vector);
        EXPECT_TRUE(kpck::is_packed(file.data(), file.size()));
        std::vector<u8> out;
        auto result = unpack(file, &out);
        ASSERT_FALSE(result.is_error()) << result.error().context();
        EXPECT_EQ(out, std::vector<u8>(vector.plain, vector.plain + vector.plain_length));
        if (get32(file, 8) & (kpck::flag_call_trick1 | kpck::flag_call_trick2))
            ++with_trick;
    }
    EXPECT_GE(with_trick, 8u);
}

TEST(Kpck, CallTricksConvertSomething)
{
    // The code vector has calls with targets inside it: a trick file has a
    // non-zero count, and unpacking it without the undo (count 0) gives
    // other bytes, so the undo is what makes the round trip work.
    for (const char* name : { "code_1", "code_2" }) {
        SCOPED_TRACE(name);
        const auto& vector = vector_named(name);
        auto file = file_of(vector);
        size_t trailer = file.size() - 5;
        EXPECT_GT(get32(file, trailer), 100u);
        put32(file, trailer, 0);
        std::vector<u8> out;
        ASSERT_FALSE(unpack(file, &out).is_error());
        EXPECT_NE(out, std::vector<u8>(vector.plain, vector.plain + vector.plain_length));
    }
    // Trick 2 finds the Jcc as well: more conversions than trick 1.
    EXPECT_GT(get32(file_of(vector_named("code_2")), vector_named("code_2").file_length - 5),
        get32(file_of(vector_named("code_1")), vector_named("code_1").file_length - 5));
}

TEST(Kpck, HeaderRefusals)
{
    auto good = file_of(vector_named("text_none"));
    EXPECT_FALSE(kpck::is_packed(good.data(), 3));
    EXPECT_FALSE(kpck::is_packed(nullptr, 0));

    auto refused = [](std::vector<u8> file, ErrorCode code, const char* context) {
        auto result = kpck::unpacked_size(file.data(), file.size());
        ASSERT_TRUE(result.is_error()) << context;
        EXPECT_EQ(result.error().code(), code);
        EXPECT_STREQ(result.error().context(), context);
        EXPECT_TRUE(unpack(file).is_error());
    };
    auto file = good;
    file[3] = 'X';
    refused(file, ErrorCode::Corrupt, "KPCK: no KPCK signature");
    refused(std::vector<u8>(good.begin(), good.begin() + 15), ErrorCode::Corrupt, "KPCK: file shorter than its header");
    for (u32 method : { 0u, 2u, 0x3Fu }) {
        file = good;
        put32(file, 8, method);
        refused(file, ErrorCode::Corrupt, "KPCK: unknown packing method (only 1, LZMA, exists)");
    }
    file = good;
    put32(file, 8, 1 | kpck::flag_call_trick1 | kpck::flag_call_trick2);
    refused(file, ErrorCode::Corrupt, "KPCK: both call tricks set");
    file = good;
    put32(file, 4, 0);
    refused(file, ErrorCode::Corrupt, "KPCK: unpacked size 0");
    file = good;
    put32(file, 4, kpck::max_unpacked_size + 1);
    refused(file, ErrorCode::Unsupported, "KPCK: unpacked size above 64 MiB");
    put32(file, 4, 0xFFFFFFFFu);
    refused(file, ErrorCode::Unsupported, "KPCK: unpacked size above 64 MiB");

    // An output buffer smaller than the header's size.
    auto model = std::make_unique<exec::lzma::Model>();
    std::vector<u8> small(100);
    auto result = kpck::unpack(good.data(), good.size(), small.data(), small.size(), *model);
    ASSERT_TRUE(result.is_error());
    EXPECT_EQ(result.error().code(), ErrorCode::InvalidArgument);
}

TEST(Kpck, WrongUnpackedSizeIsRefused)
{
    for (const auto& vector : kpck_vectors) {
        SCOPED_TRACE(vector.name);
        auto file = file_of(vector);
        for (i32 change : { -1, 1, 1000 }) {
            if (change < 0 && vector.plain_length == 1)
                continue; // 0 is refused by the header check
            auto changed = file;
            put32(changed, 4, u32(i32(vector.plain_length) + change));
            EXPECT_TRUE(unpack(changed).is_error()) << "size change " << change;
        }
    }
}

TEST(Kpck, EveryTruncationIsRefused)
{
    for (const auto& vector : kpck_vectors) {
        SCOPED_TRACE(vector.name);
        auto file = file_of(vector);
        // Every cut for small files; else 40 spread out and the last 16.
        size_t step = file.size() > 80 ? file.size() / 40 : 1;
        for (size_t cut = 0; cut < file.size(); cut += cut + 16 >= file.size() ? 1 : step) {
            std::vector<u8> shorter(file.begin(), file.begin() + cut);
            ASSERT_TRUE(unpack(shorter).is_error()) << "cut at " << cut;
        }
        // Also one byte short and one byte too many.
        EXPECT_TRUE(unpack(std::vector<u8>(file.begin(), file.end() - 1)).is_error());
        auto longer = file;
        longer.push_back(0);
        EXPECT_TRUE(unpack(longer).is_error());
    }
}

TEST(Kpck, WrongCallCountIsRefused)
{
    for (const char* name : { "code_1", "code_2", "text_1" }) {
        SCOPED_TRACE(name);
        auto file = file_of(vector_named(name));
        size_t trailer = file.size() - 5;
        auto more = file;
        put32(more, trailer, get32(file, trailer) + 1);
        auto result = unpack(more);
        ASSERT_TRUE(result.is_error());
        EXPECT_EQ(result.error().code(), ErrorCode::Corrupt);
        put32(more, trailer, 0xFFFFFFFFu);
        EXPECT_TRUE(unpack(more).is_error());
    }
}

TEST(Kpck, FlippedBytesAreRefusedOrStayInBounds)
{
    size_t refused = 0, tried = 0;
    for (const auto& vector : kpck_vectors) {
        SCOPED_TRACE(vector.name);
        auto file = file_of(vector);
        size_t step = file.size() > 80 ? file.size() / 40 : 1;
        for (size_t at = 4; at < file.size(); at += step) {
            for (u8 mask : { 0x01, 0xFF }) {
                file[at] ^= mask;
                ++tried;
                if (unpack(file).is_error())
                    ++refused;
                file[at] ^= mask;
            }
        }
    }
    EXPECT_GT(refused, tried / 2);
}

// ---- the call-trick walk on hand-made bytes ----

std::vector<u8> undo(std::vector<u8> data, bool jcc, u32 count, u8 marker, bool* ok = nullptr)
{
    auto copy = std::make_unique<u8[]>(data.size());
    std::memcpy(copy.get(), data.data(), data.size());
    auto result = kpck::undo_call_trick(copy.get(), data.size(), jcc, count, marker);
    if (ok)
        *ok = !result.is_error();
    return std::vector<u8>(copy.get(), copy.get() + data.size());
}

TEST(KpckCallTrick, TargetBecomesRelative)
{
    // E8 at 0, marker 0x5A, target 0x000010: rel32 = 0x10 - 5.
    bool ok = false;
    auto out = undo({ 0xE8, 0x5A, 0x00, 0x00, 0x10, 0x90 }, false, 1, 0x5A, &ok);
    EXPECT_TRUE(ok);
    EXPECT_EQ(out, (std::vector<u8> { 0xE8, 0x0B, 0x00, 0x00, 0x00, 0x90 }));
    // A target before the operand's end gives a negative rel32; the three
    // target bytes are big-endian.
    out = undo({ 0x90, 0x90, 0xE9, 0x5A, 0x00, 0x01, 0x02 }, false, 1, 0x5A, &ok);
    EXPECT_TRUE(ok);
    u32 relative = 0x0102u - 7u;
    EXPECT_EQ(out, (std::vector<u8> { 0x90, 0x90, 0xE9, u8(relative), u8(relative >> 8), u8(relative >> 16),
                       u8(relative >> 24) }));
}

TEST(KpckCallTrick, OperandIsNotSkippedWithoutMarker)
{
    // The first E8 is followed by E8, not the marker: the walk goes on at
    // that E8, which is followed by the marker.
    bool ok = false;
    auto out = undo({ 0xE8, 0xE8, 0x5A, 0x00, 0x00, 0x06 }, false, 1, 0x5A, &ok);
    EXPECT_TRUE(ok);
    EXPECT_EQ(out, (std::vector<u8> { 0xE8, 0xE8, 0x00, 0x00, 0x00, 0x00 }));
    // A converted operand is skipped: the E8 inside it is not an opcode.
    out = undo({ 0xE8, 0x5A, 0x00, 0xE8, 0x5A, 0xE8, 0x5A, 0x00, 0x00, 0x00 }, false, 2, 0x5A, &ok);
    EXPECT_TRUE(ok);
    u32 first = 0x00E85Au - 5u, second = 0u - 10u;
    EXPECT_EQ(out, (std::vector<u8> { 0xE8, u8(first), u8(first >> 8), u8(first >> 16), u8(first >> 24), 0xE8,
                       u8(second), u8(second >> 8), u8(second >> 16), u8(second >> 24) }));
}

TEST(KpckCallTrick, JccOnlyWithTheSecondTrick)
{
    std::vector<u8> data { 0x0F, 0x85, 0x5A, 0x00, 0x00, 0x08, 0x90, 0x90 };
    bool ok = true;
    undo(data, false, 1, 0x5A, &ok);
    EXPECT_FALSE(ok); // trick 1 sees no opcode here
    auto out = undo(data, true, 1, 0x5A, &ok);
    EXPECT_TRUE(ok);
    EXPECT_EQ(out, (std::vector<u8> { 0x0F, 0x85, 0x02, 0x00, 0x00, 0x00, 0x90, 0x90 }));
    // 0F 0F 85: the second 0F is looked at again. 0F E8: the E8 counts as
    // a call. 0F 90 (setcc): no opcode.
    out = undo({ 0x0F, 0x0F, 0x85, 0x5A, 0x00, 0x00, 0x00 }, true, 1, 0x5A, &ok);
    EXPECT_TRUE(ok);
    EXPECT_EQ(out, (std::vector<u8> { 0x0F, 0x0F, 0x85, 0xF9, 0xFF, 0xFF, 0xFF }));
    out = undo({ 0x0F, 0xE8, 0x5A, 0x00, 0x00, 0x06 }, true, 1, 0x5A, &ok);
    EXPECT_TRUE(ok);
    EXPECT_EQ(out, (std::vector<u8> { 0x0F, 0xE8, 0x00, 0x00, 0x00, 0x00 }));
    undo({ 0x0F, 0x90, 0x5A, 0x00, 0x00, 0x06 }, true, 1, 0x5A, &ok);
    EXPECT_FALSE(ok);
}

TEST(KpckCallTrick, RunsOutSafely)
{
    bool ok = true;
    undo({ 0xE8 }, false, 1, 0x5A, &ok);
    EXPECT_FALSE(ok);
    undo({ 0xE8, 0x5A, 0x00 }, false, 1, 0x5A, &ok); // operand cut short
    EXPECT_FALSE(ok);
    undo({ 0x0F }, true, 1, 0x5A, &ok);
    EXPECT_FALSE(ok);
    undo({ 0x90, 0x90 }, true, 0, 0x5A, &ok); // nothing to do
    EXPECT_TRUE(ok);
}

} // namespace
