// SPDX-License-Identifier: BSD-2-Clause
// exec::ElfImage: ELF32 i386 executables built in memory, one test per
// refused case, and a deterministic mutation loop over a valid image.
#include <gtest/gtest.h>

#include <cstring>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "kernel/exec/ElfImage.h"

using exec::ElfImage;
using exec::ElfSegment;

namespace {

constexpr u32 PT_NULL = 0, PT_LOAD = 1, PT_DYNAMIC = 2, PT_INTERP = 3, PT_NOTE = 4, PT_PHDR = 6;
constexpr u32 PT_GNU_STACK = 0x6474E551;
constexpr u32 PF_X = 1, PF_W = 2, PF_R = 4;
constexpr u64 user_space_end = 0xC0000000;

struct ProgramHeader {
    u32 type { PT_LOAD };
    u32 offset { 0 };
    u32 vaddr { 0 };
    u32 filesz { 0 };
    u32 memsz { 0 };
    u32 flags { PF_R };
    u32 align { 4096 };
};

// Writes an ELF header and program header table (gABI layout) followed by
// file contents long enough for every segment's file bytes. Every field can
// be overridden before build().
struct ElfBuilder {
    u8 magic[4] { 0x7F, 'E', 'L', 'F' };
    u8 elf_class { 1 };   // ELFCLASS32
    u8 data { 1 };        // ELFDATA2LSB
    u8 ident_version { 1 };
    u16 type { 2 };       // ET_EXEC
    u16 machine { 3 };    // EM_386
    u32 version { 1 };
    u32 entry { 0x08048094 };
    u32 phoff { 52 };
    u16 ehsize { 52 };
    u16 phentsize { 32 };
    int phnum_override { -1 }; // -1: the number of headers
    size_t minimum_size { 0 };
    std::vector<ProgramHeader> headers;

    // The layout of a small static program (as ld.lld links the SDK's
    // hello): text, read-only data, data + bss.
    static ElfBuilder typical()
    {
        ElfBuilder builder;
        builder.headers.push_back({ PT_LOAD, 0x000, 0x08048000, 0x9A0, 0x9A0, PF_R | PF_X });
        builder.headers.push_back({ PT_LOAD, 0x9A0, 0x080499A0, 0xCC, 0xCC, PF_R });
        builder.headers.push_back({ PT_LOAD, 0xA6C, 0x0804AA6C, 0x2C, 0x230, PF_R | PF_W });
        builder.headers.push_back({ PT_GNU_STACK, 0, 0, 0, 0, PF_R | PF_W, 16 });
        return builder;
    }

    std::vector<u8> build() const
    {
        size_t entry_size = phentsize;
        size_t size = std::max<size_t>(52, phoff + entry_size * headers.size());
        for (const auto& header : headers) {
            if (header.type == PT_LOAD && static_cast<u64>(header.offset) + header.filesz < 64 * 1024)
                size = std::max<size_t>(size, header.offset + header.filesz);
        }
        size = std::max(size, minimum_size);
        std::vector<u8> bytes(size, 0);
        // File bytes that are not headers: a recognisable pattern.
        for (size_t i = 0; i < size; ++i)
            bytes[i] = static_cast<u8>(0x90 + i % 7);
        std::memset(bytes.data(), 0, std::min<size_t>(size, 52));
        std::memcpy(bytes.data(), magic, 4);
        bytes[4] = elf_class;
        bytes[5] = data;
        bytes[6] = ident_version;
        put16(bytes, 16, type);
        put16(bytes, 18, machine);
        put32(bytes, 20, version);
        put32(bytes, 24, entry);
        put32(bytes, 28, phoff);
        put32(bytes, 32, 0); // e_shoff: no section headers
        put16(bytes, 40, ehsize);
        put16(bytes, 42, phentsize);
        put16(bytes, 44, static_cast<u16>(phnum_override >= 0 ? phnum_override : static_cast<int>(headers.size())));
        for (size_t i = 0; i < headers.size(); ++i) {
            size_t at = phoff + i * entry_size;
            if (at + 32 > bytes.size())
                break;
            std::memset(bytes.data() + at, 0, entry_size);
            const auto& header = headers[i];
            put32(bytes, at + 0, header.type);
            put32(bytes, at + 4, header.offset);
            put32(bytes, at + 8, header.vaddr);
            put32(bytes, at + 12, header.vaddr); // p_paddr
            put32(bytes, at + 16, header.filesz);
            put32(bytes, at + 20, header.memsz);
            put32(bytes, at + 24, header.flags);
            put32(bytes, at + 28, header.align);
        }
        return bytes;
    }

    static void put16(std::vector<u8>& bytes, size_t at, u16 value)
    {
        bytes.at(at) = static_cast<u8>(value);
        bytes.at(at + 1) = static_cast<u8>(value >> 8);
    }
    static void put32(std::vector<u8>& bytes, size_t at, u32 value)
    {
        for (size_t i = 0; i < 4; ++i)
            bytes.at(at + i) = static_cast<u8>(value >> (8 * i));
    }
};

// Parses from a heap copy of exactly `header_length` bytes, so that
// AddressSanitizer reports any read past what the caller handed over.
ErrorOr<ElfImage> parse_bytes(const std::vector<u8>& bytes, size_t header_length, u64 file_size)
{
    std::unique_ptr<u8[]> copy(new u8[header_length]);
    if (header_length)
        std::memcpy(copy.get(), bytes.data(), header_length);
    return ElfImage::parse(copy.get(), header_length, file_size);
}

// As the loader calls it: the whole (small) file is the header buffer.
ErrorOr<ElfImage> parse_file(const std::vector<u8>& bytes) { return parse_bytes(bytes, bytes.size(), bytes.size()); }

ErrorOr<ElfImage> parse_builder(const ElfBuilder& builder) { return parse_file(builder.build()); }

// The error's code and that its context is an "ELF: ..." sentence containing
// `needle`.
::testing::AssertionResult refused(const ErrorOr<ElfImage>& result, ErrorCode code, const char* needle)
{
    if (!result.is_error())
        return ::testing::AssertionFailure() << "accepted; expected " << lib::error_code_name(code) << " (" << needle
                                             << ")";
    Error error = result.error();
    std::string context = error.context() ? error.context() : "(null)";
    if (error.code() != code || context.find(needle) == std::string::npos || context.rfind("ELF: ", 0) != 0)
        return ::testing::AssertionFailure() << "refused with " << error.name() << ": " << context << "; expected "
                                             << lib::error_code_name(code) << " containing \"" << needle << "\"";
    return ::testing::AssertionSuccess();
}

u64 page_floor(u64 value) { return value & ~u64(4095); }
u64 page_ceiling(u64 value) { return (value + 4095) & ~u64(4095); }

// Everything an accepted image promises the loader (ElfImage.h).
::testing::AssertionResult satisfies_invariants(const ElfImage& image, u64 file_size)
{
    if (image.segment_count == 0 || image.segment_count > ElfImage::max_segments)
        return ::testing::AssertionFailure() << "segment count " << image.segment_count;
    u64 total = 0;
    bool entry_ok = false;
    for (size_t i = 0; i < image.segment_count; ++i) {
        const ElfSegment& segment = image.segments[i];
        if (segment.memsz == 0 || segment.filesz > segment.memsz)
            return ::testing::AssertionFailure() << "segment " << i << " sizes " << segment.filesz << "/" << segment.memsz;
        if (static_cast<u64>(segment.file_offset) + segment.filesz > file_size)
            return ::testing::AssertionFailure() << "segment " << i << " file bytes past the end";
        if (static_cast<u64>(segment.vaddr) + segment.memsz > user_space_end)
            return ::testing::AssertionFailure() << "segment " << i << " reaches kernel space";
        if (segment.vaddr % 4096 != segment.file_offset % 4096)
            return ::testing::AssertionFailure() << "segment " << i << " not congruent";
        for (size_t j = 0; j < i; ++j) {
            const ElfSegment& other = image.segments[j];
            if (page_floor(segment.vaddr) < page_ceiling(static_cast<u64>(other.vaddr) + other.memsz)
                && page_floor(other.vaddr) < page_ceiling(static_cast<u64>(segment.vaddr) + segment.memsz))
                return ::testing::AssertionFailure() << "segments " << j << " and " << i << " share a page";
        }
        total += segment.memsz;
        if (segment.executable && image.entry >= segment.vaddr && image.entry - segment.vaddr < segment.memsz)
            entry_ok = true;
    }
    if (total > ElfImage::max_total_memory)
        return ::testing::AssertionFailure() << "total memory " << total;
    if (!entry_ok)
        return ::testing::AssertionFailure() << "entry " << image.entry << " outside the executable segments";
    return ::testing::AssertionSuccess();
}

} // namespace

// ---- Accepted images --------------------------------------------------------

TEST(ElfImage, AcceptsATypicalStaticProgram)
{
    auto bytes = ElfBuilder::typical().build();
    auto result = parse_file(bytes);
    ASSERT_FALSE(result.is_error()) << result.error().context();
    const auto& image = result.value();
    EXPECT_EQ(image.entry, 0x08048094u);
    ASSERT_EQ(image.segment_count, 3u); // PT_GNU_STACK maps nothing
    EXPECT_EQ(image.segments[0].vaddr, 0x08048000u);
    EXPECT_EQ(image.segments[0].file_offset, 0u);
    EXPECT_EQ(image.segments[0].filesz, 0x9A0u);
    EXPECT_EQ(image.segments[0].memsz, 0x9A0u);
    EXPECT_TRUE(image.segments[0].executable);
    EXPECT_FALSE(image.segments[0].writable);
    EXPECT_FALSE(image.segments[1].executable);
    EXPECT_FALSE(image.segments[1].writable);
    EXPECT_EQ(image.segments[2].vaddr, 0x0804AA6Cu);
    EXPECT_EQ(image.segments[2].file_offset, 0xA6Cu);
    EXPECT_EQ(image.segments[2].filesz, 0x2Cu);
    EXPECT_EQ(image.segments[2].memsz, 0x230u);
    EXPECT_TRUE(image.segments[2].writable);
    EXPECT_FALSE(image.segments[2].executable);
    EXPECT_TRUE(satisfies_invariants(image, bytes.size()));
}

TEST(ElfImage, AcceptsAHeaderBufferShorterThanTheFile)
{
    auto bytes = ElfBuilder::typical().build();
    size_t table_end = 52 + 4 * 32;
    auto result = parse_bytes(bytes, table_end, bytes.size());
    ASSERT_FALSE(result.is_error()) << result.error().context();
    EXPECT_EQ(result.value().segment_count, 3u);
}

TEST(ElfImage, IgnoresNonLoadSegmentsAndDropsEmptyLoads)
{
    auto builder = ElfBuilder::typical();
    builder.headers.push_back({ PT_NOTE, 0x100, 0, 0x20, 0, PF_R });
    builder.headers.push_back({ PT_PHDR, 52, 0x08048034, 32 * 6, 32 * 6, PF_R });
    builder.headers.push_back({ PT_NULL, 0, 0, 0, 0, 0 });
    builder.headers.push_back({ PT_LOAD, 0, 0x08048000, 0, 0, PF_R }); // empty: would overlap if kept
    auto result = parse_builder(builder);
    ASSERT_FALSE(result.is_error()) << result.error().context();
    EXPECT_EQ(result.value().segment_count, 3u);
}

TEST(ElfImage, AcceptsLargerProgramHeaderEntriesAndAHeaderSizeAbove52)
{
    auto builder = ElfBuilder::typical();
    builder.phentsize = 40;
    builder.ehsize = 64;
    builder.phoff = 64;
    auto result = parse_builder(builder);
    ASSERT_FALSE(result.is_error()) << result.error().context();
    EXPECT_EQ(result.value().segment_count, 3u);
}

TEST(ElfImage, AcceptsABssOnlySegmentAndSegmentsOnAdjacentPages)
{
    ElfBuilder builder;
    builder.entry = 0x1000;
    builder.headers.push_back({ PT_LOAD, 0x1000, 0x1000, 0x10, 0x1000, PF_R | PF_X }); // ends on a page boundary
    builder.headers.push_back({ PT_LOAD, 0, 0x2000, 0, 0x3000, PF_R | PF_W });         // bss only
    auto result = parse_builder(builder);
    ASSERT_FALSE(result.is_error()) << result.error().context();
    EXPECT_EQ(result.value().segment_count, 2u);
    EXPECT_EQ(result.value().segments[1].filesz, 0u);
}

TEST(ElfImage, AcceptsASegmentEndingExactlyAtTheStartOfKernelSpace)
{
    ElfBuilder builder;
    builder.entry = 0xBFFFF000;
    builder.headers.push_back({ PT_LOAD, 0, 0xBFFFF000, 0x100, 0x1000, PF_R | PF_X });
    auto result = parse_builder(builder);
    ASSERT_FALSE(result.is_error()) << result.error().context();
    EXPECT_TRUE(satisfies_invariants(result.value(), builder.build().size()));
}

TEST(ElfImage, AcceptsTheEntryOnTheLastByteOfTheExecutableSegment)
{
    auto builder = ElfBuilder::typical();
    builder.entry = 0x08048000 + 0x9A0 - 1;
    EXPECT_FALSE(parse_builder(builder).is_error());
    builder.entry = 0x08048000;
    EXPECT_FALSE(parse_builder(builder).is_error());
}

TEST(ElfImage, AcceptsExactlyTheMaximumSegmentCount)
{
    ElfBuilder builder;
    builder.entry = 0x10000;
    for (u32 i = 0; i < ElfImage::max_segments; ++i)
        builder.headers.push_back({ PT_LOAD, 0, 0x10000 + i * 0x1000, 0, 0x1000, PF_R | PF_X });
    auto result = parse_builder(builder);
    ASSERT_FALSE(result.is_error()) << result.error().context();
    EXPECT_EQ(result.value().segment_count, ElfImage::max_segments);
}

TEST(ElfImage, AcceptsExactlyTheMaximumTotalMemory)
{
    ElfBuilder builder;
    builder.entry = 0x10000;
    builder.headers.push_back({ PT_LOAD, 0, 0x10000, 0x100, 0x20000000, PF_R | PF_X });
    builder.headers.push_back({ PT_LOAD, 0, 0x40000000, 0, 0x20000000, PF_R | PF_W });
    auto result = parse_builder(builder);
    ASSERT_FALSE(result.is_error()) << result.error().context();
}

// ---- Refused: the buffer and the ELF header -----------------------------------

TEST(ElfImage, RefusesANullBufferOrABufferLargerThanTheFile)
{
    auto bytes = ElfBuilder::typical().build();
    EXPECT_EQ(ElfImage::parse(nullptr, 0, 100).error().code(), ErrorCode::InvalidArgument);
    EXPECT_TRUE(refused(parse_bytes(bytes, bytes.size(), bytes.size() - 1), ErrorCode::InvalidArgument, "larger"));
}

TEST(ElfImage, RefusesAFileTruncatedInsideTheElfHeader)
{
    auto bytes = ElfBuilder::typical().build();
    for (size_t length : { size_t(0), size_t(1), size_t(4), size_t(16), size_t(51) })
        EXPECT_TRUE(refused(parse_bytes(bytes, length, length), ErrorCode::Corrupt, "shorter than the ELF header"))
            << length;
}

TEST(ElfImage, RefusesAFileTruncatedInsideTheProgramHeaderTable)
{
    auto bytes = ElfBuilder::typical().build();
    for (size_t length : { size_t(52), size_t(53), size_t(84), size_t(52 + 4 * 32 - 1) })
        EXPECT_TRUE(refused(parse_bytes(bytes, length, length), ErrorCode::Corrupt, "program header table outside"))
            << length;
}

TEST(ElfImage, RefusesAProgramHeaderTableBeyondTheBytesRead)
{
    auto bytes = ElfBuilder::typical().build();
    EXPECT_TRUE(refused(parse_bytes(bytes, 100, bytes.size()), ErrorCode::Unsupported, "beyond the bytes read"));
}

TEST(ElfImage, RefusesABadMagic)
{
    for (size_t i = 0; i < 4; ++i) {
        auto builder = ElfBuilder::typical();
        builder.magic[i] ^= 0x20;
        EXPECT_TRUE(refused(parse_builder(builder), ErrorCode::Corrupt, "bad magic")) << i;
    }
    // A Kolibri image is not an ELF file.
    std::vector<u8> menuet(64, 0);
    std::memcpy(menuet.data(), "MENUET01", 8);
    EXPECT_TRUE(refused(parse_file(menuet), ErrorCode::Corrupt, "bad magic"));
}

TEST(ElfImage, RefusesA64BitFile)
{
    auto builder = ElfBuilder::typical();
    builder.elf_class = 2; // ELFCLASS64
    EXPECT_TRUE(refused(parse_builder(builder), ErrorCode::Unsupported, "ELFCLASS32"));
    builder.elf_class = 0; // ELFCLASSNONE
    EXPECT_TRUE(refused(parse_builder(builder), ErrorCode::Unsupported, "ELFCLASS32"));
}

TEST(ElfImage, RefusesBigEndian)
{
    auto builder = ElfBuilder::typical();
    builder.data = 2; // ELFDATA2MSB
    EXPECT_TRUE(refused(parse_builder(builder), ErrorCode::Unsupported, "little endian"));
}

TEST(ElfImage, RefusesAnUnknownVersion)
{
    auto builder = ElfBuilder::typical();
    builder.ident_version = 2;
    EXPECT_TRUE(refused(parse_builder(builder), ErrorCode::Unsupported, "version"));
    builder = ElfBuilder::typical();
    builder.version = 0;
    EXPECT_TRUE(refused(parse_builder(builder), ErrorCode::Unsupported, "version"));
}

TEST(ElfImage, RefusesTypesOtherThanExec)
{
    auto builder = ElfBuilder::typical();
    builder.type = 3; // ET_DYN
    EXPECT_TRUE(refused(parse_builder(builder), ErrorCode::Unsupported, "ET_DYN"));
    for (u16 type : { u16(0), u16(1), u16(4), u16(0xFE00) }) { // NONE, REL, CORE, OS-specific
        builder.type = type;
        EXPECT_TRUE(refused(parse_builder(builder), ErrorCode::Unsupported, "not an executable")) << type;
    }
}

TEST(ElfImage, RefusesOtherMachines)
{
    auto builder = ElfBuilder::typical();
    for (u16 machine : { u16(0), u16(6), u16(40), u16(62) }) { // none, 486 (old), ARM, x86-64
        builder.machine = machine;
        EXPECT_TRUE(refused(parse_builder(builder), ErrorCode::Unsupported, "EM_386")) << machine;
    }
}

TEST(ElfImage, RefusesAHeaderSizeFieldBelow52)
{
    auto builder = ElfBuilder::typical();
    builder.ehsize = 51;
    EXPECT_TRUE(refused(parse_builder(builder), ErrorCode::Corrupt, "header size"));
}

TEST(ElfImage, RefusesBadProgramHeaderTableFields)
{
    auto builder = ElfBuilder::typical();
    builder.phnum_override = 0;
    EXPECT_TRUE(refused(parse_builder(builder), ErrorCode::Corrupt, "no program headers"));

    builder = ElfBuilder::typical();
    builder.phnum_override = 0xFFFF;
    EXPECT_TRUE(refused(parse_builder(builder), ErrorCode::Unsupported, "extended"));

    builder = ElfBuilder::typical();
    builder.phentsize = 31;
    builder.headers.clear(); // the builder writes 32-byte entries; the field alone is wrong
    builder.phnum_override = 1;
    builder.minimum_size = 200;
    EXPECT_TRUE(refused(parse_builder(builder), ErrorCode::Corrupt, "entry too small"));

    // e_phoff pointing into the ELF header.
    auto bytes = ElfBuilder::typical().build();
    ElfBuilder::put32(bytes, 28, 40);
    EXPECT_TRUE(refused(parse_file(bytes), ErrorCode::Corrupt, "overlaps the ELF header"));

    // An offset so large that offset + size wraps a 32-bit sum.
    bytes = ElfBuilder::typical().build();
    ElfBuilder::put32(bytes, 28, 0xFFFFFFF0);
    EXPECT_TRUE(refused(parse_file(bytes), ErrorCode::Corrupt, "program header table outside"));
    // A count that takes the table past the end.
    bytes = ElfBuilder::typical().build();
    ElfBuilder::put16(bytes, 44, 0xFFFE);
    EXPECT_TRUE(refused(parse_file(bytes), ErrorCode::Corrupt, "program header table outside"));
}

// ---- Refused: program headers -------------------------------------------------

TEST(ElfImage, RefusesDynamicLinking)
{
    auto builder = ElfBuilder::typical();
    builder.headers.insert(builder.headers.begin(), { PT_INTERP, 0x100, 0x08048100, 0x13, 0x13, PF_R, 1 });
    EXPECT_TRUE(refused(parse_builder(builder), ErrorCode::Unsupported, "dynamically linked"));

    builder = ElfBuilder::typical();
    builder.headers.push_back({ PT_DYNAMIC, 0xA6C, 0x0804AA6C, 0x10, 0x10, PF_R | PF_W, 4 });
    EXPECT_TRUE(refused(parse_builder(builder), ErrorCode::Unsupported, "dynamically linked"));
}

TEST(ElfImage, RefusesSegmentFileBytesPastTheEndOfTheFile)
{
    auto bytes = ElfBuilder::typical().build();
    // Truncated in the middle of the text segment: the headers are intact.
    std::vector<u8> truncated(bytes.begin(), bytes.begin() + 0x400);
    EXPECT_TRUE(refused(parse_file(truncated), ErrorCode::Corrupt, "past the end of the file"));
    // One byte short of the last segment.
    truncated.assign(bytes.begin(), bytes.end() - 1);
    EXPECT_TRUE(refused(parse_file(truncated), ErrorCode::Corrupt, "past the end of the file"));

    // offset + filesz wraps a 32-bit sum.
    auto builder = ElfBuilder::typical();
    builder.headers[2].offset = 0xFFFFFA6C;
    builder.headers[2].filesz = 0x1000;
    builder.headers[2].memsz = 0x1000;
    EXPECT_TRUE(refused(parse_builder(builder), ErrorCode::Corrupt, "past the end of the file"));
}

TEST(ElfImage, RefusesFileSizeAboveMemorySize)
{
    auto builder = ElfBuilder::typical();
    builder.headers[2].memsz = builder.headers[2].filesz - 1;
    EXPECT_TRUE(refused(parse_builder(builder), ErrorCode::Corrupt, "file size exceeds its memory size"));
    // Also for a segment with no memory at all (it is not simply dropped).
    builder = ElfBuilder::typical();
    builder.headers.push_back({ PT_LOAD, 0, 0x20000000, 0x10, 0, PF_R });
    EXPECT_TRUE(refused(parse_builder(builder), ErrorCode::Corrupt, "file size exceeds its memory size"));
}

TEST(ElfImage, RefusesSegmentsInKernelSpace)
{
    // Starting at the first kernel address.
    auto builder = ElfBuilder::typical();
    builder.headers[0].vaddr = 0xC0000000;
    EXPECT_TRUE(refused(parse_builder(builder), ErrorCode::Corrupt, "kernel space"));
    // Reaching one byte into it.
    builder = ElfBuilder::typical();
    builder.headers[2].vaddr = 0xBFFFFA6C;
    builder.headers[2].memsz = 0x595; // ends at 0xC0000001
    EXPECT_TRUE(refused(parse_builder(builder), ErrorCode::Corrupt, "kernel space"));
    // Wrapping around the 32-bit address space back into user addresses.
    builder = ElfBuilder::typical();
    builder.headers[2].vaddr = 0xFFFFFA6C;
    builder.headers[2].memsz = 0x2000; // 32-bit end 0x1A6C
    EXPECT_TRUE(refused(parse_builder(builder), ErrorCode::Corrupt, "kernel space"));
}

TEST(ElfImage, RefusesOffsetAndAddressNotCongruentModuloAPage)
{
    auto builder = ElfBuilder::typical();
    builder.headers[2].vaddr += 1;
    EXPECT_TRUE(refused(parse_builder(builder), ErrorCode::Corrupt, "congruent"));
    builder = ElfBuilder::typical();
    builder.headers[1].offset = 0x9A4;
    builder.headers[1].filesz = 0xC8;
    builder.headers[1].memsz = 0xC8;
    EXPECT_TRUE(refused(parse_builder(builder), ErrorCode::Corrupt, "congruent"));
}

TEST(ElfImage, RefusesSegmentsSharingAPage)
{
    // The read-only data moved into the text segment's page.
    auto builder = ElfBuilder::typical();
    builder.headers[1].vaddr = 0x080489A0;
    EXPECT_TRUE(refused(parse_builder(builder), ErrorCode::Corrupt, "overlap"));
    // The same segment twice.
    builder = ElfBuilder::typical();
    builder.headers.push_back(builder.headers[0]);
    EXPECT_TRUE(refused(parse_builder(builder), ErrorCode::Corrupt, "overlap"));
    // A later segment containing an earlier one.
    builder = ElfBuilder::typical();
    builder.headers.push_back({ PT_LOAD, 0, 0x08000000, 0, 0x01000000, PF_R | PF_W });
    EXPECT_TRUE(refused(parse_builder(builder), ErrorCode::Corrupt, "overlap"));
    // Byte ranges disjoint, pages not: [0x1000, 0x1010) and [0x1800, 0x1810).
    builder = ElfBuilder();
    builder.entry = 0x1000;
    builder.headers.push_back({ PT_LOAD, 0x000, 0x1000, 0x10, 0x10, PF_R | PF_X });
    builder.headers.push_back({ PT_LOAD, 0x800, 0x1800, 0x10, 0x10, PF_R | PF_W });
    EXPECT_TRUE(refused(parse_builder(builder), ErrorCode::Corrupt, "overlap"));
}

TEST(ElfImage, RefusesAnEntryPointOutsideTheExecutableSegments)
{
    auto builder = ElfBuilder::typical();
    builder.entry = 0; // nowhere
    EXPECT_TRUE(refused(parse_builder(builder), ErrorCode::Corrupt, "entry point"));
    builder.entry = 0x08048000 - 1; // just below the text
    EXPECT_TRUE(refused(parse_builder(builder), ErrorCode::Corrupt, "entry point"));
    builder.entry = 0x08048000 + 0x9A0; // one past the text
    EXPECT_TRUE(refused(parse_builder(builder), ErrorCode::Corrupt, "entry point"));
    builder.entry = 0x0804AA70; // inside the (not executable) data
    EXPECT_TRUE(refused(parse_builder(builder), ErrorCode::Corrupt, "entry point"));
    builder.entry = 0xC0100000; // the kernel
    EXPECT_TRUE(refused(parse_builder(builder), ErrorCode::Corrupt, "entry point"));
}

TEST(ElfImage, RefusesAnImageWithoutLoadableSegments)
{
    ElfBuilder builder;
    builder.headers.push_back({ PT_NOTE, 0x100, 0, 0x20, 0, PF_R });
    builder.headers.push_back({ PT_LOAD, 0, 0x08048000, 0, 0, PF_R | PF_X });
    EXPECT_TRUE(refused(parse_builder(builder), ErrorCode::Corrupt, "no loadable segment"));
}

TEST(ElfImage, RefusesTooManySegments)
{
    ElfBuilder builder;
    builder.entry = 0x10000;
    for (u32 i = 0; i < ElfImage::max_segments + 1; ++i)
        builder.headers.push_back({ PT_LOAD, 0, 0x10000 + i * 0x1000, 0, 0x1000, PF_R | PF_X });
    EXPECT_TRUE(refused(parse_builder(builder), ErrorCode::Unsupported, "too many"));
}

TEST(ElfImage, RefusesAbsurdMemorySizes)
{
    // One segment of 3 GiB: "too big" rather than "in kernel space".
    auto builder = ElfBuilder::typical();
    builder.headers[2].memsz = 0xC0000000;
    EXPECT_TRUE(refused(parse_builder(builder), ErrorCode::Unsupported, "more than 1 GiB"));
    builder.headers[2].memsz = 0xFFFFFFFF;
    EXPECT_TRUE(refused(parse_builder(builder), ErrorCode::Unsupported, "more than 1 GiB"));
    // Segments that fit one by one, but not together.
    builder = ElfBuilder();
    builder.entry = 0x10000;
    builder.headers.push_back({ PT_LOAD, 0, 0x10000, 0x100, 0x20000000, PF_R | PF_X });
    builder.headers.push_back({ PT_LOAD, 0, 0x40000000, 0, 0x20000001, PF_R | PF_W });
    EXPECT_TRUE(refused(parse_builder(builder), ErrorCode::Unsupported, "more than 1 GiB"));
}

// ---- Mutations ------------------------------------------------------------------

namespace {

// Values that sit on the edges the parser checks.
constexpr u32 interesting_values[] = {
    0, 1, 3, 0x20, 0x34, 0xFFF, 0x1000, 0x1001, 0x08048000, 0x08048094, 0x3FFFFFFF, 0x40000000, 0x40000001,
    0x7FFFFFFF, 0x80000000, 0xBFFFF000, 0xBFFFFFFF, 0xC0000000, 0xC0000001, 0xFFFFF000, 0xFFFFFFFE, 0xFFFFFFFF,
};

} // namespace

TEST(ElfImage, SurvivesMutatedImages)
{
    auto builder = ElfBuilder::typical();
    builder.headers.push_back({ PT_NOTE, 0x100, 0, 0x20, 0, PF_R, 4 });
    const auto valid = builder.build();
    const size_t table_end = 52 + builder.headers.size() * 32;
    std::mt19937 random(20240531); // fixed: the same 20000 cases every run
    size_t accepted = 0, refused_count = 0;
    for (int round = 0; round < 20000; ++round) {
        std::vector<u8> bytes = valid;
        int mutations = 1 + static_cast<int>(random() % 4);
        for (int m = 0; m < mutations; ++m) {
            // Mostly the headers: that is where the parser looks.
            size_t span = (random() % 4 == 0) ? bytes.size() : std::min(bytes.size(), table_end);
            if (span == 0)
                break;
            size_t at = random() % span;
            switch (random() % 6) {
            case 0: bytes[at] = static_cast<u8>(random()); break;
            case 1: bytes[at] ^= static_cast<u8>(1u << (random() % 8)); break;
            case 2: bytes[at] = static_cast<u8>(bytes[at] + 1); break;
            case 3:
                if (at + 4 <= bytes.size()) {
                    at &= ~size_t(3);
                    ElfBuilder::put32(bytes, at,
                        interesting_values[random() % (sizeof(interesting_values) / sizeof(interesting_values[0]))]);
                }
                break;
            case 4: bytes.resize(random() % (bytes.size() + 1)); break;
            case 5: bytes.resize(bytes.size() + random() % 64, 0xCC); break;
            }
        }
        // Sometimes hand over only the start of the file, as the loader does
        // for large programs.
        size_t header_length = bytes.size();
        if (random() % 4 == 0)
            header_length = random() % (bytes.size() + 1);
        auto result = parse_bytes(bytes, header_length, bytes.size());
        if (result.is_error()) {
            ++refused_count;
            ASSERT_NE(result.error().context(), nullptr) << "round " << round;
            ASSERT_EQ(std::string(result.error().context()).rfind("ELF: ", 0), 0u) << "round " << round;
        } else {
            ++accepted;
            ASSERT_TRUE(satisfies_invariants(result.value(), bytes.size())) << "round " << round;
        }
    }
    // Both outcomes occur, or the mutations test nothing.
    EXPECT_GT(accepted, 500u);
    EXPECT_GT(refused_count, 5000u);
}
