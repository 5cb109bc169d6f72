// SPDX-License-Identifier: BSD-2-Clause
// exec::MenuetImage: KolibriOS flat executables built in memory, one test
// per refused case, and a deterministic mutation loop over valid images.
#include <gtest/gtest.h>

#include <cstring>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "kernel/exec/MenuetImage.h"

using exec::MenuetImage;

namespace {

// A MENUET0x header (layout in MenuetImage.h) followed by the image bytes up
// to image_end. For MENUET00 the dword at +24 is the parameter buffer and
// `stack_top` and `path` are not written.
struct MenuetBuilder {
    char signature[9] = "MENUET01";
    u32 version { 1 };
    u32 entry { 0x24 };
    u32 image_end { 0x200 };
    u32 memory_size { 0x10000 };
    u32 stack_top { 0x10000 };
    u32 params { 0 };
    u32 path { 0 };
    long file_length { -1 }; // -1: image_end bytes

    static MenuetBuilder v0()
    {
        MenuetBuilder builder;
        std::memcpy(builder.signature, "MENUET00", 9);
        builder.entry = 0x1C;
        return builder;
    }

    bool old_form() const { return signature[7] == '0' && std::memcmp(signature, "MENUET0", 7) == 0; }

    std::vector<u8> build() const
    {
        size_t length = file_length >= 0 ? static_cast<size_t>(file_length) : image_end;
        std::vector<u8> bytes(std::max<size_t>(length, 36), 0);
        for (size_t i = 0; i < bytes.size(); ++i)
            bytes[i] = static_cast<u8>(0x90 + i % 5);
        std::memcpy(bytes.data(), signature, 8);
        put32(bytes, 8, version);
        put32(bytes, 12, entry);
        put32(bytes, 16, image_end);
        put32(bytes, 20, memory_size);
        if (old_form()) {
            put32(bytes, 24, params);
        } else {
            put32(bytes, 24, stack_top);
            put32(bytes, 28, params);
            put32(bytes, 32, path);
        }
        bytes.resize(length);
        return bytes;
    }

    static void put32(std::vector<u8>& bytes, size_t at, u32 value)
    {
        for (size_t i = 0; i < 4; ++i)
            bytes.at(at + i) = static_cast<u8>(value >> (8 * i));
    }
};

// From a heap copy of exactly the file's bytes, so that AddressSanitizer
// reports any read past them.
ErrorOr<MenuetImage> parse_file(const std::vector<u8>& bytes)
{
    std::unique_ptr<u8[]> copy(new u8[bytes.size()]);
    if (!bytes.empty())
        std::memcpy(copy.get(), bytes.data(), bytes.size());
    return MenuetImage::parse(copy.get(), bytes.size());
}

ErrorOr<MenuetImage> parse_builder(const MenuetBuilder& builder) { return parse_file(builder.build()); }

ErrorOr<MenuetImage> parse_text(const char* text, size_t length)
{
    return parse_file(std::vector<u8>(text, text + length));
}

::testing::AssertionResult refused(const ErrorOr<MenuetImage>& result, ErrorCode code, const char* needle)
{
    if (!result.is_error())
        return ::testing::AssertionFailure() << "accepted; expected " << lib::error_code_name(code) << " (" << needle
                                             << ")";
    Error error = result.error();
    std::string context = error.context() ? error.context() : "(null)";
    if (error.code() != code || context.find(needle) == std::string::npos || context.rfind("MENUET: ", 0) != 0)
        return ::testing::AssertionFailure() << "refused with " << error.name() << ": " << context << "; expected "
                                             << lib::error_code_name(code) << " containing \"" << needle << "\"";
    return ::testing::AssertionSuccess();
}

// Everything an accepted image promises the loader (MenuetImage.h).
::testing::AssertionResult satisfies_invariants(const MenuetImage& image)
{
    if (image.format > 2)
        return ::testing::AssertionFailure() << "format " << int(image.format);
    u32 header = image.format == 0 ? MenuetImage::header_size_v0 : MenuetImage::header_size_v1;
    if (image.header_size != header)
        return ::testing::AssertionFailure() << "header size " << image.header_size;
    if (image.memory_size > MenuetImage::max_memory_size || image.image_end > image.memory_size)
        return ::testing::AssertionFailure() << "memory " << image.memory_size << " image end " << image.image_end;
    if (image.image_end <= image.header_size)
        return ::testing::AssertionFailure() << "image ends at " << image.image_end;
    if (image.entry < image.header_size || image.entry >= image.image_end)
        return ::testing::AssertionFailure() << "entry " << image.entry;
    if (image.stack_top <= image.header_size || image.stack_top > image.memory_size)
        return ::testing::AssertionFailure() << "stack " << image.stack_top;
    for (u32 buffer : { image.params_address, image.path_address }) {
        if (buffer != 0 && (buffer < image.header_size || buffer >= image.memory_size))
            return ::testing::AssertionFailure() << "buffer " << buffer;
    }
    if (image.format == 0 && image.path_address != 0)
        return ::testing::AssertionFailure() << "MENUET00 with a path buffer";
    return ::testing::AssertionSuccess();
}

} // namespace

// ---- Accepted images --------------------------------------------------------

TEST(MenuetImage, AcceptsMenuet01WithItsFields)
{
    MenuetBuilder builder;
    builder.version = 1;
    builder.entry = 0x40;
    builder.image_end = 0x300;
    builder.memory_size = 0x4000;
    builder.stack_top = 0x3FF0;
    builder.params = 0x300;
    builder.path = 0x400;
    auto result = parse_builder(builder);
    ASSERT_FALSE(result.is_error()) << result.error().context();
    const auto& image = result.value();
    EXPECT_EQ(image.format, 1);
    EXPECT_EQ(image.version, 1u);
    EXPECT_EQ(image.header_size, 36u);
    EXPECT_EQ(image.entry, 0x40u);
    EXPECT_EQ(image.image_end, 0x300u);
    EXPECT_EQ(image.memory_size, 0x4000u);
    EXPECT_EQ(image.stack_top, 0x3FF0u);
    EXPECT_EQ(image.params_address, 0x300u);
    EXPECT_EQ(image.path_address, 0x400u);
    EXPECT_TRUE(satisfies_invariants(image));
}

TEST(MenuetImage, AcceptsMenuet02AsMenuet01)
{
    MenuetBuilder builder;
    std::memcpy(builder.signature, "MENUET02", 9);
    builder.params = 0x1000;
    auto result = parse_builder(builder);
    ASSERT_FALSE(result.is_error()) << result.error().context();
    EXPECT_EQ(result.value().format, 2);
    EXPECT_EQ(result.value().header_size, 36u);
    EXPECT_EQ(result.value().stack_top, 0x10000u);
    EXPECT_EQ(result.value().params_address, 0x1000u);
    EXPECT_EQ(result.value().path_address, 0u);
}

TEST(MenuetImage, AcceptsMenuet00WithTheDerivedStack)
{
    auto builder = MenuetBuilder::v0();
    builder.memory_size = 0x8000;
    builder.params = 0x7000;
    auto result = parse_builder(builder);
    ASSERT_FALSE(result.is_error()) << result.error().context();
    const auto& image = result.value();
    EXPECT_EQ(image.format, 0);
    EXPECT_EQ(image.header_size, 28u);
    EXPECT_EQ(image.entry, 0x1Cu);
    EXPECT_EQ(image.stack_top, 0x8000u / 2 - 16); // KolibriOS: memory / 2 - 16
    EXPECT_EQ(image.params_address, 0x7000u);
    EXPECT_EQ(image.path_address, 0u);
    EXPECT_TRUE(satisfies_invariants(image));
}

TEST(MenuetImage, AcceptsAMenuet00FileOfExactlyItsHeaderSizePlusCode)
{
    auto builder = MenuetBuilder::v0();
    builder.image_end = 29;
    builder.file_length = 29;
    auto result = parse_builder(builder);
    ASSERT_FALSE(result.is_error()) << result.error().context();
    EXPECT_EQ(result.value().image_end, 29u);
}

TEST(MenuetImage, ToleratesAFileShorterOrLongerThanTheImage)
{
    MenuetBuilder builder;
    builder.image_end = 0x1000;
    builder.file_length = 0x40; // the rest of the image is zero, as on KolibriOS
    EXPECT_FALSE(parse_builder(builder).is_error());
    builder.file_length = 0x3000; // bytes past image_end are not part of the image
    EXPECT_FALSE(parse_builder(builder).is_error());
}

TEST(MenuetImage, AcceptsTheLimits)
{
    MenuetBuilder builder;
    builder.memory_size = MenuetImage::max_memory_size;
    builder.stack_top = MenuetImage::max_memory_size; // the top of memory itself
    builder.params = MenuetImage::max_memory_size - 1;
    builder.path = 36; // right after the header
    builder.entry = 36;
    builder.image_end = 37;
    auto result = parse_builder(builder);
    ASSERT_FALSE(result.is_error()) << result.error().context();
    EXPECT_TRUE(satisfies_invariants(result.value()));
    // memory == image_end
    builder = MenuetBuilder();
    builder.memory_size = builder.image_end;
    builder.stack_top = builder.image_end;
    EXPECT_FALSE(parse_builder(builder).is_error());
}

TEST(MenuetImage, DoesNotCheckTheHeaderVersionDword)
{
    MenuetBuilder builder;
    builder.version = 0xDEADBEEF;
    auto result = parse_builder(builder);
    ASSERT_FALSE(result.is_error());
    EXPECT_EQ(result.value().version, 0xDEADBEEFu);
}

// ---- Refused ----------------------------------------------------------------------

TEST(MenuetImage, RefusesANullBuffer)
{
    EXPECT_EQ(MenuetImage::parse(nullptr, 0).error().code(), ErrorCode::InvalidArgument);
}

TEST(MenuetImage, RefusesAFileTooShortForTheSignature)
{
    EXPECT_TRUE(refused(parse_text("", 0), ErrorCode::Corrupt, "signature"));
    EXPECT_TRUE(refused(parse_text("M", 1), ErrorCode::Corrupt, "signature"));
    EXPECT_TRUE(refused(parse_text("MENUET0", 7), ErrorCode::Corrupt, "signature"));
}

TEST(MenuetImage, RefusesAFileShorterThanItsHeader)
{
    // 20 bytes: signature, version, entry; no image end or memory size.
    auto bytes = MenuetBuilder().build();
    for (size_t length : { size_t(8), size_t(20), size_t(35) }) {
        std::vector<u8> cut(bytes.begin(), bytes.begin() + static_cast<long>(length));
        EXPECT_TRUE(refused(parse_file(cut), ErrorCode::Corrupt, "shorter than its header")) << length;
    }
    auto old_form = MenuetBuilder::v0().build();
    std::vector<u8> cut(old_form.begin(), old_form.begin() + 27);
    EXPECT_TRUE(refused(parse_file(cut), ErrorCode::Corrupt, "shorter than its header"));
    // 28 bytes are enough for MENUET00, not for MENUET01.
    auto builder = MenuetBuilder::v0();
    builder.image_end = 29;
    builder.file_length = 28;
    EXPECT_FALSE(parse_builder(builder).is_error());
    builder = MenuetBuilder();
    builder.file_length = 28;
    EXPECT_TRUE(refused(parse_builder(builder), ErrorCode::Corrupt, "shorter than its header"));
}

TEST(MenuetImage, RefusesABadSignature)
{
    const char elf_magic[] = { 0x7F, 'E', 'L', 'F', 1, 1, 1, 0 };
    for (const char* signature : { "MENUET03", "MENUET09", "MENUET0/", "MENUETXX", "menuet01", "MEOS0001", elf_magic }) {
        MenuetBuilder builder;
        std::memcpy(builder.signature, signature, 8);
        EXPECT_TRUE(refused(parse_builder(builder), ErrorCode::Corrupt, "MENUET00/01/02 signature"))
            << std::string(signature, 8);
    }
}

TEST(MenuetImage, RefusesPackedExecutablesAsUnsupported)
{
    EXPECT_TRUE(refused(parse_text("KPCK", 4), ErrorCode::Unsupported, "KPCK"));
    std::vector<u8> packed(64, 0);
    std::memcpy(packed.data(), "KPCK", 4);
    MenuetBuilder::put32(packed, 4, 0x1000); // unpacked size
    EXPECT_TRUE(refused(parse_file(packed), ErrorCode::Unsupported, "KPCK"));
    EXPECT_TRUE(refused(parse_text("KPC", 3), ErrorCode::Corrupt, "signature"));
}

TEST(MenuetImage, RefusesMemoryBelowTheImageEnd)
{
    MenuetBuilder builder;
    builder.memory_size = builder.image_end - 1;
    builder.stack_top = builder.memory_size;
    EXPECT_TRUE(refused(parse_builder(builder), ErrorCode::Corrupt, "memory size smaller than the image"));
    builder.memory_size = 0;
    builder.stack_top = 0;
    EXPECT_TRUE(refused(parse_builder(builder), ErrorCode::Corrupt, "memory size smaller than the image"));
}

TEST(MenuetImage, RefusesMemoryAboveTheMaximum)
{
    MenuetBuilder builder;
    for (u32 memory : { MenuetImage::max_memory_size + 1, 0x40000000u, 0xC0000000u, 0xFFFFFFFFu }) {
        builder.memory_size = memory;
        builder.stack_top = 0x10000;
        EXPECT_TRUE(refused(parse_builder(builder), ErrorCode::Unsupported, "above 256 MiB")) << memory;
    }
}

TEST(MenuetImage, RefusesAnImageEndingInsideItsHeader)
{
    MenuetBuilder builder;
    builder.image_end = 36;
    builder.entry = 36;
    builder.file_length = 0x200;
    EXPECT_TRUE(refused(parse_builder(builder), ErrorCode::Corrupt, "image ends inside its header"));
    builder.image_end = 0;
    EXPECT_TRUE(refused(parse_builder(builder), ErrorCode::Corrupt, "image ends inside its header"));
}

TEST(MenuetImage, RefusesAnEntryOutsideTheImage)
{
    MenuetBuilder builder;
    for (u32 entry : { 0u, 8u, 35u, 0x200u, 0x201u, 0x8000u, 0xC0000000u }) {
        builder.entry = entry;
        EXPECT_TRUE(refused(parse_builder(builder), ErrorCode::Corrupt, "entry point outside the image")) << entry;
    }
    auto old_form = MenuetBuilder::v0();
    old_form.entry = 27;
    EXPECT_TRUE(refused(parse_builder(old_form), ErrorCode::Corrupt, "entry point outside the image"));
}

TEST(MenuetImage, RefusesAStackOutsideTheMemory)
{
    MenuetBuilder builder;
    for (u32 stack : { 0u, 36u, 0x10001u, 0x20000u, 0xFFFFFFF0u }) {
        builder.stack_top = stack;
        EXPECT_TRUE(refused(parse_builder(builder), ErrorCode::Corrupt, "initial stack outside")) << stack;
    }
    // MENUET00 derives it: with 60 bytes of memory, 60 / 2 - 16 = 14 lies in
    // the header; below 32 bytes the subtraction wraps.
    auto old_form = MenuetBuilder::v0();
    old_form.image_end = 30;
    old_form.memory_size = 60;
    EXPECT_TRUE(refused(parse_builder(old_form), ErrorCode::Corrupt, "initial stack outside"));
    old_form.memory_size = 31;
    EXPECT_TRUE(refused(parse_builder(old_form), ErrorCode::Corrupt, "initial stack outside"));
}

TEST(MenuetImage, RefusesAParameterBufferInTheHeaderOrBeyondTheMemory)
{
    MenuetBuilder builder;
    for (u32 params : { 1u, 8u, 35u, 0x10000u, 0x10001u, 0xFFFFFFFFu }) {
        builder.params = params;
        EXPECT_TRUE(refused(parse_builder(builder), ErrorCode::Corrupt, "parameter buffer")) << params;
    }
    auto old_form = MenuetBuilder::v0();
    old_form.params = 20;
    EXPECT_TRUE(refused(parse_builder(old_form), ErrorCode::Corrupt, "parameter buffer"));
    old_form.params = old_form.memory_size;
    EXPECT_TRUE(refused(parse_builder(old_form), ErrorCode::Corrupt, "parameter buffer"));
}

TEST(MenuetImage, RefusesAPathBufferInTheHeaderOrBeyondTheMemory)
{
    MenuetBuilder builder;
    for (u32 path : { 4u, 32u, 35u, 0x10000u, 0x80000000u }) {
        builder.path = path;
        EXPECT_TRUE(refused(parse_builder(builder), ErrorCode::Corrupt, "path buffer")) << path;
    }
}

// ---- Mutations ------------------------------------------------------------------

namespace {

constexpr u32 interesting_values[] = {
    0, 1, 0x1B, 0x1C, 0x1D, 0x23, 0x24, 0x25, 0x200, 0x1000, 0xFFFF, 0x10000, 0x10001, 0x0FFFFFFF, 0x10000000,
    0x10000001, 0x7FFFFFFF, 0x80000000, 0xC0000000, 0xFFFFFFF0, 0xFFFFFFFF,
};

} // namespace

TEST(MenuetImage, SurvivesMutatedImages)
{
    MenuetBuilder v1;
    v1.params = 0x8000;
    v1.path = 0x9000;
    auto v0 = MenuetBuilder::v0();
    v0.params = 0x8000;
    const std::vector<u8> valid[] = { v1.build(), v0.build() };
    std::mt19937 random(7031);
    size_t accepted = 0, refused_count = 0;
    for (int round = 0; round < 20000; ++round) {
        std::vector<u8> bytes = valid[round % 2];
        int mutations = 1 + static_cast<int>(random() % 3);
        for (int m = 0; m < mutations; ++m) {
            size_t span = std::min<size_t>(bytes.size(), 40);
            if (span == 0)
                break;
            size_t at = random() % span;
            switch (random() % 6) {
            case 0: bytes[at] = static_cast<u8>(random()); break;
            case 1: bytes[at] ^= static_cast<u8>(1u << (random() % 8)); break;
            case 2: bytes[at] = static_cast<u8>(bytes[at] - 1); break;
            case 3:
                if (at >= 8 && at + 4 <= bytes.size()) {
                    at &= ~size_t(3);
                    MenuetBuilder::put32(bytes, at,
                        interesting_values[random() % (sizeof(interesting_values) / sizeof(interesting_values[0]))]);
                }
                break;
            case 4: bytes.resize(random() % (bytes.size() + 1)); break;
            case 5: std::memcpy(bytes.data(), random() % 2 ? "MENUET02" : "MENUET00", std::min<size_t>(8, bytes.size())); break;
            }
        }
        auto result = parse_file(bytes);
        if (result.is_error()) {
            ++refused_count;
            ASSERT_NE(result.error().context(), nullptr) << "round " << round;
            ASSERT_EQ(std::string(result.error().context()).rfind("MENUET: ", 0), 0u) << "round " << round;
        } else {
            ++accepted;
            ASSERT_TRUE(satisfies_invariants(result.value())) << "round " << round;
        }
    }
    EXPECT_GT(accepted, 500u);
    EXPECT_GT(refused_count, 5000u);
}
