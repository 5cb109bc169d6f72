#include <gtest/gtest.h>

#include <cstring>
#include <vector>

#include "kernel/boot/MultibootInfo.h"

using namespace boot;

namespace {

constexpr u64 info_at = 0x1000;
constexpr u64 mmap_at = 0x2000;
constexpr u64 modules_at = 0x3000;
constexpr u64 strings_at = 0x4000;
constexpr u64 window_size = 0x10000;

// Builds a synthetic Multiboot v1 info structure (spec 3.3) in a buffer that
// stands for physical memory [0, window_size).
class Builder {
public:
    Builder() : m_memory(window_size, 0) { }

    void put32(u64 at, u32 value) { std::memcpy(&m_memory.at(at), &value, 4); }
    void put64(u64 at, u64 value) { std::memcpy(&m_memory.at(at), &value, 8); }
    void put8(u64 at, u8 value) { m_memory.at(at) = value; }
    u64 put_string(const char* text)
    {
        u64 const at = strings_at + m_string_offset;
        std::memcpy(&m_memory.at(at), text, std::strlen(text) + 1);
        m_string_offset += std::strlen(text) + 1;
        return at;
    }

    void set_flag(u32 bit) { put32(info_at, get32(info_at) | (1u << bit)); }
    u32 get32(u64 at) const
    {
        u32 value;
        std::memcpy(&value, &m_memory.at(at), 4);
        return value;
    }

    void basic_memory(u32 lower, u32 upper)
    {
        set_flag(0);
        put32(info_at + 4, lower);
        put32(info_at + 8, upper);
    }

    // Appends an entry with the given size field (20 normally).
    void mmap_entry(u64 base, u64 length, u32 type, u32 size_field = 20)
    {
        u64 const at = mmap_at + m_mmap_length;
        put32(at, size_field);
        put64(at + 4, base);
        put64(at + 12, length);
        put32(at + 20, type);
        m_mmap_length += size_field + 4;
        finish_mmap();
    }
    void finish_mmap(u32 length_override = 0)
    {
        set_flag(6);
        put32(info_at + 44, length_override ? length_override : m_mmap_length);
        put32(info_at + 48, mmap_at);
    }

    void module(u32 start, u32 end, u32 string)
    {
        u64 const at = modules_at + 16 * m_module_count;
        put32(at, start);
        put32(at + 4, end);
        put32(at + 8, string);
        ++m_module_count;
        set_flag(3);
        put32(info_at + 20, m_module_count);
        put32(info_at + 24, modules_at);
    }

    void qemu_like()
    {
        basic_memory(639, 130048);
        mmap_entry(0, 0x9FC00, 1);
        mmap_entry(0x9FC00, 0x400, 2);
        mmap_entry(0xF0000, 0x10000, 2);
        mmap_entry(0x100000, 0x7EE0000, 1);
        mmap_entry(0x7FE0000, 0x20000, 2);
        mmap_entry(0xFFFC0000, 0x40000, 2);
    }

    PhysicalMemoryWindow window() const { return PhysicalMemoryWindow(m_memory.data(), m_memory.size()); }

    ErrorOr<void> parse(BootInfo& out, u64 at = info_at) const { return parse_multiboot(at, window(), out); }

    u32 mmap_length() const { return m_mmap_length; }

private:
    std::vector<u8> m_memory;
    u32 m_mmap_length { 0 };
    u32 m_module_count { 0 };
    u64 m_string_offset { 0 };
};

} // namespace

TEST(PhysicalMemoryWindow, ReadBoundsAreOverflowSafe)
{
    std::vector<u8> memory(100);
    for (size_t i = 0; i < memory.size(); ++i)
        memory[i] = static_cast<u8>(i);
    PhysicalMemoryWindow window(memory.data(), memory.size());
    u8 out[8] = {};
    EXPECT_TRUE(window.read(92, out, 8));
    EXPECT_EQ(out[7], 99);
    EXPECT_FALSE(window.read(93, out, 8));
    EXPECT_FALSE(window.read(~0ull - 3, out, 8)); // address + length wraps
    EXPECT_FALSE(window.read(0, out, ~size_t(0)));
    EXPECT_TRUE(window.read(100, out, 0));
    EXPECT_FALSE(window.read(101, out, 0));
}

TEST(PhysicalMemoryWindow, ReadString)
{
    std::vector<u8> memory(16, 'x');
    std::memcpy(memory.data(), "hello", 6);
    PhysicalMemoryWindow window(memory.data(), memory.size());
    char out[8];
    bool truncated = true;
    EXPECT_TRUE(window.read_string(0, out, sizeof(out), &truncated));
    EXPECT_STREQ(out, "hello");
    EXPECT_FALSE(truncated);
    // Longer than the buffer: truncated but terminated.
    std::memcpy(memory.data(), "abcdefghij", 11);
    EXPECT_TRUE(window.read_string(0, out, sizeof(out), &truncated));
    EXPECT_STREQ(out, "abcdefg");
    EXPECT_TRUE(truncated);
    // Exactly capacity - 1 characters is not truncation.
    std::memcpy(memory.data(), "1234567", 8);
    EXPECT_TRUE(window.read_string(0, out, sizeof(out), &truncated));
    EXPECT_STREQ(out, "1234567");
    EXPECT_FALSE(truncated);
    // Runs off the end of the window before a NUL or a full buffer.
    EXPECT_FALSE(window.read_string(12, out, sizeof(out)));
    EXPECT_STREQ(out, "");
    EXPECT_FALSE(window.read_string(16, out, sizeof(out)));
    EXPECT_FALSE(window.read_string(~0ull, out, sizeof(out)));
    EXPECT_FALSE(window.read_string(0, out, 0));
}

TEST(MultibootInfo, QemuLikeMemoryMap)
{
    Builder builder;
    builder.qemu_like();
    BootInfo info;
    ASSERT_FALSE(builder.parse(info).is_error());
    EXPECT_TRUE(info.has_basic_memory);
    EXPECT_EQ(info.mem_lower_kib, 639u);
    EXPECT_EQ(info.mem_upper_kib, 130048u);
    EXPECT_TRUE(info.has_memory_map);
    ASSERT_EQ(info.range_count, 6u);
    EXPECT_EQ(info.ranges[0].base, 0u);
    EXPECT_EQ(info.ranges[0].length, 0x9FC00u);
    EXPECT_EQ(info.ranges[0].type, MemoryType::Available);
    EXPECT_EQ(info.ranges[3].base, 0x100000u);
    EXPECT_EQ(info.ranges[3].length, 0x7EE0000u);
    EXPECT_EQ(info.ranges[5].base, 0xFFFC0000u);
    EXPECT_EQ(info.ranges[5].type, MemoryType::Reserved);
    EXPECT_EQ(info.problems, 0u);
    EXPECT_EQ(info.module_count, 0u);
    EXPECT_FALSE(info.has_framebuffer);
}

TEST(MultibootInfo, HighEntriesAndUnknownTypesAreKeptRaw)
{
    Builder builder;
    builder.mmap_entry(0x100000, 0x1000000, 1);
    builder.mmap_entry(0x100000000ull, 0x40000000ull, 1);   // above 4 GiB
    builder.mmap_entry(0xC0000000ull, 0x80000000ull, 1);    // crosses 4 GiB
    builder.mmap_entry(0x200000, 0, 1);                     // zero length
    builder.mmap_entry(0x300000, 0x1000, 7);                // unknown type
    builder.mmap_entry(0x400000, 0x1000, 0);                // type 0
    builder.mmap_entry(0x500000, 0x1000, 3);
    BootInfo info;
    ASSERT_FALSE(builder.parse(info).is_error());
    ASSERT_EQ(info.range_count, 7u);
    EXPECT_EQ(info.ranges[1].base, 0x100000000ull);
    EXPECT_EQ(info.ranges[2].length, 0x80000000ull);
    EXPECT_EQ(info.ranges[3].length, 0u);
    EXPECT_EQ(info.ranges[4].type, MemoryType::Reserved);
    EXPECT_EQ(info.ranges[5].type, MemoryType::Reserved);
    EXPECT_EQ(info.ranges[6].type, MemoryType::AcpiReclaimable);
}

TEST(MultibootInfo, LargerEntrySizeIsSkippedOver)
{
    Builder builder;
    builder.mmap_entry(0x100000, 0x1000, 1, 28); // 8 bytes of future extension
    builder.mmap_entry(0x200000, 0x2000, 1);
    BootInfo info;
    ASSERT_FALSE(builder.parse(info).is_error());
    ASSERT_EQ(info.range_count, 2u);
    EXPECT_EQ(info.ranges[1].base, 0x200000u);
    EXPECT_EQ(info.ranges[1].length, 0x2000u);
}

TEST(MultibootInfo, ZeroSizeFieldStopsTheWalk)
{
    Builder builder;
    builder.basic_memory(639, 1024);
    builder.mmap_entry(0x100000, 0x1000, 1);
    builder.mmap_entry(0x200000, 0x1000, 1, 0); // size 0: would creep 4 bytes at a time
    builder.mmap_entry(0x300000, 0x1000, 1);
    builder.finish_mmap(4000); // and a length claiming much more
    BootInfo info;
    ASSERT_FALSE(builder.parse(info).is_error());
    EXPECT_EQ(info.range_count, 1u);
    EXPECT_TRUE(info.problems & MemoryMapBadEntry);
}

TEST(MultibootInfo, HugeSizeFieldEndsTheWalk)
{
    Builder builder;
    builder.mmap_entry(0x100000, 0x1000, 1, 0xFFFFFFFFu);
    builder.finish_mmap(0xFFFFFFFFu);
    BootInfo info;
    ASSERT_FALSE(builder.parse(info).is_error());
    // The next entry would start past the end of the map: the walk ends.
    EXPECT_EQ(info.range_count, 1u);
    EXPECT_EQ(info.problems, 0u);

    // A size that keeps the next entry inside the claimed map but outside
    // the window stops the walk there.
    Builder second;
    second.mmap_entry(0x100000, 0x1000, 1, 0x80000000u);
    second.finish_mmap(0xFFFFFFFFu);
    ASSERT_FALSE(second.parse(info).is_error());
    EXPECT_EQ(info.range_count, 1u);
    EXPECT_TRUE(info.problems & MemoryMapOutsideWindow);
}

TEST(MultibootInfo, MapLengthNotAMultipleIgnoresThePartialEntry)
{
    Builder builder;
    builder.mmap_entry(0x100000, 0x1000, 1);
    builder.mmap_entry(0x200000, 0x1000, 1);
    builder.finish_mmap(24 + 10);
    BootInfo info;
    ASSERT_FALSE(builder.parse(info).is_error());
    EXPECT_EQ(info.range_count, 1u);
    EXPECT_TRUE(info.problems & MemoryMapTrailingBytes);
}

TEST(MultibootInfo, TooManyEntriesKeepsTheFirst)
{
    Builder builder;
    for (u32 i = 0; i < BootInfo::max_ranges + 5; ++i)
        builder.mmap_entry(static_cast<u64>(i) * 0x10000, 0x1000, 1);
    BootInfo info;
    ASSERT_FALSE(builder.parse(info).is_error());
    EXPECT_EQ(info.range_count, BootInfo::max_ranges);
    EXPECT_EQ(info.ranges_dropped, 5u);
    EXPECT_EQ(info.ranges[BootInfo::max_ranges - 1].base, (BootInfo::max_ranges - 1) * 0x10000u);
    EXPECT_TRUE(info.problems & MemoryMapTooManyEntries);
}

TEST(MultibootInfo, MapOutsideWindowFallsBackToBasicMemory)
{
    Builder builder;
    builder.basic_memory(639, 65536);
    builder.mmap_entry(0x100000, 0x1000, 1);
    builder.put32(info_at + 48, 0xFFFFFFF0u); // mmap_addr far outside the window
    BootInfo info;
    ASSERT_FALSE(builder.parse(info).is_error());
    EXPECT_FALSE(info.has_memory_map);
    EXPECT_EQ(info.range_count, 0u);
    EXPECT_TRUE(info.has_basic_memory);
    EXPECT_TRUE(info.problems & MemoryMapOutsideWindow);
}

TEST(MultibootInfo, NoMemoryInformationIsCorrupt)
{
    Builder builder;
    builder.mmap_entry(0x100000, 0x1000, 1);
    builder.put32(info_at + 48, 0xFFFFFFF0u);
    BootInfo info;
    auto result = builder.parse(info);
    ASSERT_TRUE(result.is_error());
    EXPECT_EQ(result.error().code(), ErrorCode::Corrupt);

    Builder empty; // flags = 0
    result = empty.parse(info);
    ASSERT_TRUE(result.is_error());
    EXPECT_EQ(result.error().code(), ErrorCode::Corrupt);
}

TEST(MultibootInfo, InfoStructureOutsideWindowIsCorrupt)
{
    Builder builder;
    builder.qemu_like();
    BootInfo info;
    auto result = builder.parse(info, window_size - 2);
    ASSERT_TRUE(result.is_error());
    EXPECT_EQ(result.error().code(), ErrorCode::Corrupt);
    result = builder.parse(info, ~0ull - 1);
    ASSERT_TRUE(result.is_error());
    EXPECT_EQ(result.error().code(), ErrorCode::Corrupt);
}

TEST(MultibootInfo, StructureMayEndAfterTheHighestFlag)
{
    // Only flag 0: a 12-byte structure at the very end of the window is fine.
    std::vector<u8> memory(0x100, 0);
    u32 const fields[] = { 1, 639, 2048 };
    std::memcpy(memory.data() + 0x100 - 12, fields, sizeof(fields));
    PhysicalMemoryWindow window(memory.data(), memory.size());
    BootInfo info;
    ASSERT_FALSE(parse_multiboot(0x100 - 12, window, info).is_error());
    EXPECT_EQ(info.mem_upper_kib, 2048u);
    // The same bytes with the memory-map flag set need 52 bytes: truncated.
    u32 const flags = 1 | (1u << 6);
    std::memcpy(memory.data() + 0x100 - 12, &flags, 4);
    auto result = parse_multiboot(0x100 - 12, window, info);
    ASSERT_TRUE(result.is_error());
    EXPECT_EQ(result.error().code(), ErrorCode::Corrupt);
}

TEST(MultibootInfo, StringsAndModules)
{
    Builder builder;
    builder.qemu_like();
    builder.set_flag(2);
    builder.put32(info_at + 16, builder.put_string("root=/rd/1 debug"));
    builder.set_flag(9);
    builder.put32(info_at + 64, builder.put_string("QEMU"));
    u32 const name = builder.put_string("/boot/ramdisk.img");
    builder.module(0x200000, 0x368000, name);
    builder.module(0x400000, 0x300000, name);       // end < start: skipped
    builder.module(0x500000, 0x500000, 0xFFFFFF00u); // empty, name outside
    BootInfo info;
    ASSERT_FALSE(builder.parse(info).is_error());
    EXPECT_STREQ(info.command_line, "root=/rd/1 debug");
    EXPECT_STREQ(info.loader_name, "QEMU");
    ASSERT_EQ(info.module_count, 2u);
    EXPECT_EQ(info.modules[0].start, 0x200000u);
    EXPECT_EQ(info.modules[0].end, 0x368000u);
    EXPECT_STREQ(info.modules[0].name, "/boot/ramdisk.img");
    EXPECT_EQ(info.modules[1].start, 0x500000u);
    EXPECT_STREQ(info.modules[1].name, "");
    EXPECT_EQ(info.modules_dropped, 1u);
    EXPECT_TRUE(info.problems & ModuleInvalid);
    EXPECT_TRUE(info.problems & ModuleNameUnreadable);
    EXPECT_FALSE(info.problems & CommandLineUnreadable);
}

TEST(MultibootInfo, StringsOutsideWindowAreSkipped)
{
    Builder builder;
    builder.qemu_like();
    builder.set_flag(2);
    builder.put32(info_at + 16, 0xFFFFFFF0u);
    builder.set_flag(9);
    builder.put32(info_at + 64, static_cast<u32>(window_size)); // just past the end
    BootInfo info;
    ASSERT_FALSE(builder.parse(info).is_error());
    EXPECT_STREQ(info.command_line, "");
    EXPECT_STREQ(info.loader_name, "");
    EXPECT_TRUE(info.problems & CommandLineUnreadable);
    EXPECT_TRUE(info.problems & LoaderNameUnreadable);
    EXPECT_EQ(info.range_count, 6u); // the rest still parsed
}

TEST(MultibootInfo, LongCommandLineIsTruncated)
{
    Builder builder;
    builder.qemu_like();
    std::string long_line(400, 'a');
    builder.set_flag(2);
    builder.put32(info_at + 16, builder.put_string(long_line.c_str()));
    BootInfo info;
    ASSERT_FALSE(builder.parse(info).is_error());
    EXPECT_EQ(std::strlen(info.command_line), sizeof(info.command_line) - 1);
    EXPECT_TRUE(info.problems & CommandLineTruncated);
}

TEST(MultibootInfo, TooManyModulesAndModuleArrayOutsideWindow)
{
    Builder builder;
    builder.qemu_like();
    for (u32 i = 0; i < BootInfo::max_modules + 3; ++i)
        builder.module(0x1000000 + i * 0x1000, 0x1000000 + (i + 1) * 0x1000, 0);
    BootInfo info;
    ASSERT_FALSE(builder.parse(info).is_error());
    EXPECT_EQ(info.module_count, BootInfo::max_modules);
    EXPECT_EQ(info.modules_dropped, 3u);
    EXPECT_TRUE(info.problems & TooManyModules);

    // A module array whose start lies outside the window, with a huge count.
    builder.put32(info_at + 20, 0xFFFFFFFFu);
    builder.put32(info_at + 24, static_cast<u32>(window_size) - 16 * 2);
    ASSERT_FALSE(builder.parse(info).is_error());
    EXPECT_EQ(info.module_count, 2u); // the two entries that are still inside
    EXPECT_TRUE(info.problems & ModulesOutsideWindow);
}

TEST(MultibootInfo, Framebuffer)
{
    Builder builder;
    builder.qemu_like();
    builder.set_flag(12);
    builder.put64(info_at + 88, 0xFD000000u);
    builder.put32(info_at + 96, 1024 * 4);
    builder.put32(info_at + 100, 1024);
    builder.put32(info_at + 104, 768);
    builder.put8(info_at + 108, 32);
    builder.put8(info_at + 109, 1);
    u8 const colors[] = { 16, 8, 8, 8, 0, 8 };
    for (size_t i = 0; i < sizeof(colors); ++i)
        builder.put8(info_at + 112 + i, colors[i]);
    BootInfo info;
    ASSERT_FALSE(builder.parse(info).is_error());
    ASSERT_TRUE(info.has_framebuffer);
    EXPECT_EQ(info.framebuffer.address, 0xFD000000u);
    EXPECT_EQ(info.framebuffer.pitch, 4096u);
    EXPECT_EQ(info.framebuffer.height, 768u);
    EXPECT_EQ(info.framebuffer.bpp, 32u);
    EXPECT_EQ(info.framebuffer.red_position, 16u);
    EXPECT_EQ(info.framebuffer.blue_size, 8u);

    // A pitch too small for the row is rejected.
    builder.put32(info_at + 96, 1024);
    ASSERT_FALSE(builder.parse(info).is_error());
    EXPECT_FALSE(info.has_framebuffer);
    EXPECT_TRUE(info.problems & FramebufferInvalid);

    // So is an unknown type.
    builder.put32(info_at + 96, 4096);
    builder.put8(info_at + 109, 9);
    ASSERT_FALSE(builder.parse(info).is_error());
    EXPECT_FALSE(info.has_framebuffer);
}
