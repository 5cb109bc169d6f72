// Partition tables built byte by byte here (MBR, EBR chains, GPT with its
// CRCs computed by an independent bitwise CRC-32), plus images made by
// mkfs.fat and mtools' mpartition when they are installed.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include <sys/wait.h>
#include <unistd.h>

#include "kernel/fs/Partition.h"
#include "lib/Crc32.h"

using fs::PartitionScheme;
using fs::PartitionTable;

namespace {

// A sparse disk (only sectors that were written are stored) with any sector
// size; can fail every read.
class Disk final : public fs::BlockDevice {
public:
    explicit Disk(u64 sectors, u32 sector_size = 512) : m_sector_size(sector_size), m_count(sectors) { }

    StringView name() const override { return "disk0"; }
    u32 sector_size() const override { return m_sector_size; }
    u64 sector_count() const override { return m_count; }
    u32 buffer_alignment() const override { return 16; }
    ErrorOr<void> read(u64 first, u32 count, void* buffer) override
    {
        if (fail_reads)
            return Error(ErrorCode::IoError, "disk: injected failure");
        if (reinterpret_cast<uintptr_t>(buffer) % 16)
            return Error(ErrorCode::Misaligned, "disk: unaligned buffer");
        if (first > sector_count() || count > sector_count() - first)
            return Error(ErrorCode::OutOfRange, "disk: past the end");
        u8* out = static_cast<u8*>(buffer);
        for (u32 i = 0; i < count; ++i, out += m_sector_size) {
            auto found = m_sectors.find(first + i);
            if (found == m_sectors.end())
                std::memset(out, 0, m_sector_size);
            else
                std::memcpy(out, found->second.data(), m_sector_size);
        }
        ++reads;
        return {};
    }
    ErrorOr<void> write(u64, u32, const void*) override { return Error(ErrorCode::ReadOnly, "disk: read-only"); }

    u8* sector(u64 lba)
    {
        auto& bytes = m_sectors[lba];
        bytes.resize(m_sector_size);
        return bytes.data();
    }

    // Stores `length` bytes from sector `lba` on.
    void put(u64 lba, const u8* data, size_t length)
    {
        for (size_t done = 0; done < length; done += m_sector_size, ++lba)
            std::memcpy(sector(lba), data + done, std::min<size_t>(m_sector_size, length - done));
    }

    // Replaces the contents with an image file.
    bool load(const std::string& path)
    {
        std::ifstream in(path, std::ios::binary | std::ios::ate);
        if (!in)
            return false;
        std::vector<u8> bytes(static_cast<size_t>(in.tellg()));
        in.seekg(0);
        in.read(reinterpret_cast<char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
        m_sectors.clear();
        m_count = bytes.size() / m_sector_size;
        for (u64 lba = 0; lba < m_count; ++lba) {
            const u8* data = bytes.data() + lba * m_sector_size;
            if (std::any_of(data, data + m_sector_size, [](u8 b) { return b != 0; }))
                std::memcpy(sector(lba), data, m_sector_size);
        }
        return static_cast<bool>(in);
    }

    u32 m_sector_size;
    u64 m_count;
    std::map<u64, std::vector<u8>> m_sectors;
    bool fail_reads { false };
    u64 reads { 0 };
};

void put16(u8* p, u16 v)
{
    p[0] = static_cast<u8>(v);
    p[1] = static_cast<u8>(v >> 8);
}
void put32(u8* p, u32 v)
{
    for (int i = 0; i < 4; ++i)
        p[i] = static_cast<u8>(v >> (8 * i));
}
void put64(u8* p, u64 v)
{
    for (int i = 0; i < 8; ++i)
        p[i] = static_cast<u8>(v >> (8 * i));
}

void signature(u8* sector)
{
    sector[510] = 0x55;
    sector[511] = 0xAA;
}

// One 16-byte MBR/EBR entry (CHS fields left zero, as LBA-only tools do).
void mbr_entry(u8* sector, int slot, u8 type, u32 first, u32 count, u8 status = 0)
{
    u8* e = sector + 446 + 16 * slot;
    e[0] = status;
    e[4] = type;
    put32(e + 8, first);
    put32(e + 12, count);
}

u32 reference_crc32(const u8* data, size_t length)
{
    u32 crc = 0xFFFFFFFF;
    for (size_t i = 0; i < length; ++i) {
        crc ^= data[i];
        for (int bit = 0; bit < 8; ++bit)
            crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1)));
    }
    return ~crc;
}

struct GptPartition {
    u64 first;
    u64 last;
    u8 type; // the first byte of the type GUID; the rest is a fixed pattern
};

// Writes a protective MBR, both GPT headers and both entry arrays.
void build_gpt(Disk& disk, const std::vector<GptPartition>& partitions, u32 entry_count = 128)
{
    const u32 ss = disk.m_sector_size;
    const u64 total = disk.sector_count();
    std::memset(disk.sector(0), 0, ss);
    mbr_entry(disk.sector(0), 0, 0xEE, 1, static_cast<u32>(std::min<u64>(total - 1, 0xFFFFFFFF)));
    signature(disk.sector(0));

    std::vector<u8> array(static_cast<size_t>(entry_count) * 128);
    for (size_t i = 0; i < partitions.size(); ++i) {
        u8* e = array.data() + i * 128;
        e[0] = partitions[i].type;
        for (int k = 1; k < 16; ++k)
            e[k] = static_cast<u8>(0xA0 + k);
        for (int k = 16; k < 32; ++k)
            e[k] = static_cast<u8>(i * 16 + k); // unique GUID
        put64(e + 32, partitions[i].first);
        put64(e + 40, partitions[i].last);
        e[56] = 'p';
    }
    u64 array_sectors = (array.size() + ss - 1) / ss;
    u32 array_crc = reference_crc32(array.data(), array.size());
    auto header = [&](u64 lba, u64 alternate, u64 entries_lba) {
        disk.put(entries_lba, array.data(), array.size());
        u8* h = disk.sector(lba);
        std::memset(h, 0, ss);
        std::memcpy(h, "EFI PART", 8);
        put32(h + 8, 0x00010000);
        put32(h + 12, 92);
        put64(h + 24, lba);
        put64(h + 32, alternate);
        put64(h + 40, 2 + array_sectors);
        put64(h + 48, total - 2 - array_sectors);
        for (int k = 56; k < 72; ++k)
            h[k] = static_cast<u8>(k);
        put64(h + 72, entries_lba);
        put32(h + 80, entry_count);
        put32(h + 84, 128);
        put32(h + 88, array_crc);
        put32(h + 16, reference_crc32(h, 92));
    };
    header(1, total - 1, 2);
    header(total - 1, 1, total - 1 - array_sectors);
}

// Recomputes a header's CRC after a test edits it.
void reseal_gpt_header(Disk& disk, u64 lba)
{
    u8* h = disk.sector(lba);
    put32(h + 16, 0);
    put32(h + 16, reference_crc32(h, 92));
}

PartitionTable read_ok(Disk& disk)
{
    auto result = fs::read_partition_table(disk);
    EXPECT_FALSE(result.is_error()) << (result.is_error() ? result.error().context() : "");
    if (result.is_error())
        return PartitionTable {};
    return result.release_value();
}

ErrorCode read_error(Disk& disk)
{
    auto result = fs::read_partition_table(disk);
    EXPECT_TRUE(result.is_error());
    return result.is_error() ? result.error().code() : ErrorCode::InvalidArgument;
}

// A FAT12 boot sector as a formatter writes it.
void fat_boot_sector(u8* s, bool with_type_string)
{
    s[0] = 0xEB;
    s[1] = 0x3C;
    s[2] = 0x90;
    std::memcpy(s + 3, "MSWIN4.1", 8);
    put16(s + 11, 512);
    s[13] = 4;
    put16(s + 14, 1);
    s[16] = 2;
    put16(s + 17, 512);
    put16(s + 19, 20000);
    s[21] = 0xF8;
    put16(s + 22, 16);
    if (with_type_string)
        std::memcpy(s + 54, "FAT12   ", 8);
    signature(s);
}

bool have_tool(const char* name)
{
    std::string command = std::string("command -v ") + name + " >/dev/null 2>&1";
    return std::system(command.c_str()) == 0;
}

int run(const std::string& command, std::string& output)
{
    output.clear();
    FILE* pipe = popen((command + " 2>&1").c_str(), "r");
    if (!pipe)
        return -1;
    char buffer[4096];
    size_t got;
    while ((got = fread(buffer, 1, sizeof(buffer), pipe)) > 0)
        output.append(buffer, got);
    int status = pclose(pipe);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

class Scratch {
public:
    Scratch()
    {
        char path[] = "/tmp/colibri-part-XXXXXX";
        if (char* made = mkdtemp(path))
            m_path = made;
    }
    ~Scratch()
    {
        if (!m_path.empty())
            std::system(("rm -rf '" + m_path + "'").c_str());
    }
    const std::string& path() const { return m_path; }

private:
    std::string m_path;
};

} // namespace

TEST(PartitionCrc32, KnownValues)
{
    EXPECT_EQ(lib::crc32("123456789", 9), 0xCBF43926u);
    EXPECT_EQ(lib::crc32("", 0), 0u);
    const char* text = "The quick brown fox jumps over the lazy dog";
    size_t length = std::strlen(text);
    EXPECT_EQ(lib::crc32(text, length), 0x414FA339u);
    EXPECT_EQ(lib::crc32(text + 10, length - 10, lib::crc32(text, 10)), 0x414FA339u);
    std::vector<u8> noise(1000);
    for (size_t i = 0; i < noise.size(); ++i)
        noise[i] = static_cast<u8>(i * 131 + 7);
    EXPECT_EQ(lib::crc32(noise.data(), noise.size()), reference_crc32(noise.data(), noise.size()));
}

TEST(Partition, NoSignatureMeansOneVolume)
{
    Disk disk(1000);
    auto table = read_ok(disk);
    EXPECT_EQ(table.scheme, PartitionScheme::None);
    ASSERT_EQ(table.count, 1u);
    EXPECT_EQ(table.entries[0].first_sector, 0u);
    EXPECT_EQ(table.entries[0].sector_count, 1000u);
    // A table without 0x55AA is not a table.
    mbr_entry(disk.sector(0), 0, 0x0C, 2048, 500);
    EXPECT_EQ(read_ok(disk).scheme, PartitionScheme::None);
}

TEST(Partition, ZeroSizeDeviceHasNoVolumes)
{
    Disk disk(0);
    auto table = read_ok(disk);
    EXPECT_EQ(table.scheme, PartitionScheme::None);
    EXPECT_EQ(table.count, 0u);
    EXPECT_EQ(disk.reads, 0u);
}

TEST(Partition, ReadErrorsPropagate)
{
    Disk disk(1000);
    disk.fail_reads = true;
    EXPECT_EQ(read_error(disk), ErrorCode::IoError);
}

TEST(Partition, MbrPrimaries)
{
    Disk disk(100000);
    mbr_entry(disk.sector(0), 0, 0x0C, 2048, 10000, 0x80);
    mbr_entry(disk.sector(0), 2, 0x83, 20000, 80000); // slot 1 is empty; ends at the last sector
    signature(disk.sector(0));
    auto table = read_ok(disk);
    EXPECT_EQ(table.scheme, PartitionScheme::Mbr);
    ASSERT_EQ(table.count, 2u);
    EXPECT_EQ(table.entries[0].first_sector, 2048u);
    EXPECT_EQ(table.entries[0].sector_count, 10000u);
    EXPECT_EQ(table.entries[0].mbr_type, 0x0C);
    EXPECT_EQ(table.entries[1].first_sector, 20000u);
    EXPECT_EQ(table.entries[1].sector_count, 80000u);
    EXPECT_EQ(table.entries[1].mbr_type, 0x83);
    for (u8 byte : table.entries[0].gpt_type)
        EXPECT_EQ(byte, 0);
}

TEST(Partition, MbrLogicalPartitions)
{
    Disk disk(100000);
    u8* mbr = disk.sector(0);
    mbr_entry(mbr, 0, 0x06, 63, 1000);
    mbr_entry(mbr, 1, 0x0F, 10000, 50000); // extended 10000..59999
    mbr_entry(mbr, 3, 0x0B, 70000, 1000);
    signature(mbr);
    // EBR chain: 10000 -> 20000 -> 30000; a logical starts 63 after its EBR.
    u64 ebrs[] = { 10000, 20000, 30000 };
    for (int i = 0; i < 3; ++i) {
        u8* ebr = disk.sector(ebrs[i]);
        mbr_entry(ebr, 0, static_cast<u8>(0x0B + i), 63, 5000 + i);
        if (i < 2)
            mbr_entry(ebr, 1, 0x05, static_cast<u32>(ebrs[i + 1] - 10000), 9000);
        signature(ebr);
    }
    auto table = read_ok(disk);
    EXPECT_EQ(table.scheme, PartitionScheme::Mbr);
    ASSERT_EQ(table.count, 5u);
    EXPECT_EQ(table.entries[0].first_sector, 63u);
    EXPECT_EQ(table.entries[1].first_sector, 70000u); // primaries first, extended skipped
    for (int i = 0; i < 3; ++i) {
        EXPECT_EQ(table.entries[2 + i].first_sector, ebrs[i] + 63);
        EXPECT_EQ(table.entries[2 + i].sector_count, 5000u + i);
        EXPECT_EQ(table.entries[2 + i].mbr_type, 0x0B + i);
    }

    // An empty first EBR (an extended partition with no logicals) is fine.
    Disk empty(100000);
    mbr_entry(empty.sector(0), 0, 0x05, 10000, 50000);
    signature(empty.sector(0));
    signature(empty.sector(10000));
    EXPECT_EQ(read_ok(empty).count, 0u);
}

TEST(Partition, MbrCorruptions)
{
    auto with = [](auto edit) {
        Disk disk(100000);
        mbr_entry(disk.sector(0), 0, 0x0C, 2048, 10000);
        signature(disk.sector(0));
        edit(disk);
        return fs::read_partition_table(disk);
    };
    auto code = [](ErrorOr<PartitionTable> result) {
        EXPECT_TRUE(result.is_error());
        return result.is_error() ? result.error().code() : ErrorCode::InvalidArgument;
    };
    EXPECT_FALSE(with([](Disk&) { }).is_error());
    // Past the end (by one sector) and wrapping around 32 bits.
    EXPECT_EQ(code(with([](Disk& d) { mbr_entry(d.sector(0), 1, 0x83, 90000, 10001); })), ErrorCode::Corrupt);
    EXPECT_EQ(code(with([](Disk& d) { mbr_entry(d.sector(0), 1, 0x83, 0xFFFFFF00u, 0x200); })), ErrorCode::Corrupt);
    // Overlapping primaries.
    EXPECT_EQ(code(with([](Disk& d) { mbr_entry(d.sector(0), 1, 0x83, 12047, 100); })), ErrorCode::Corrupt);
    // Touching is fine.
    EXPECT_FALSE(with([](Disk& d) { mbr_entry(d.sector(0), 1, 0x83, 12048, 100); }).is_error());
    // A partition over the MBR itself.
    EXPECT_EQ(code(with([](Disk& d) { mbr_entry(d.sector(0), 1, 0x83, 0, 100); })), ErrorCode::Corrupt);
    // Boot indicator other than 0x00/0x80: not a partition table.
    EXPECT_EQ(code(with([](Disk& d) { d.sector(0)[446] = 0x12; })), ErrorCode::Corrupt);
    // Two extended partitions.
    EXPECT_EQ(code(with([](Disk& d) {
        mbr_entry(d.sector(0), 1, 0x05, 20000, 100);
        mbr_entry(d.sector(0), 2, 0x0F, 30000, 100);
        signature(d.sector(20000));
        signature(d.sector(30000));
    })),
        ErrorCode::Corrupt);
}

TEST(Partition, ExtendedChainCorruptions)
{
    auto chain = [](auto edit) {
        Disk disk(100000);
        mbr_entry(disk.sector(0), 0, 0x05, 10000, 50000);
        signature(disk.sector(0));
        for (u64 ebr : { 10000, 20000 }) {
            mbr_entry(disk.sector(ebr), 0, 0x83, 63, 1000);
            signature(disk.sector(ebr));
        }
        mbr_entry(disk.sector(10000), 1, 0x05, 10000, 2000);
        edit(disk);
        return fs::read_partition_table(disk);
    };
    auto corrupt = [](ErrorOr<PartitionTable> result) {
        return result.is_error() && result.error().code() == ErrorCode::Corrupt;
    };
    auto good = chain([](Disk&) { });
    ASSERT_FALSE(good.is_error());
    EXPECT_EQ(good.value().count, 2u);
    // The second EBR links back to the first: a loop.
    EXPECT_TRUE(corrupt(chain([](Disk& d) { mbr_entry(d.sector(20000), 1, 0x05, 0, 2000); })));
    // A self-loop with an empty logical entry (no overlap to catch it).
    EXPECT_TRUE(corrupt(chain([](Disk& d) {
        mbr_entry(d.sector(20000), 0, 0, 0, 0);
        mbr_entry(d.sector(20000), 1, 0x05, 10000, 2000);
    })));
    // Logical partition leaves the extended one.
    EXPECT_TRUE(corrupt(chain([](Disk& d) { mbr_entry(d.sector(20000), 0, 0x83, 63, 40000); })));
    // Link outside the extended partition.
    EXPECT_TRUE(corrupt(chain([](Disk& d) { mbr_entry(d.sector(20000), 1, 0x05, 60000, 10); })));
    // EBR without its signature.
    EXPECT_TRUE(corrupt(chain([](Disk& d) { d.sector(20000)[511] = 0; })));
    // Overlapping logical partitions.
    EXPECT_TRUE(corrupt(chain([](Disk& d) {
        mbr_entry(d.sector(10000), 0, 0x83, 63, 10500); // runs into the second logical
    })));
}

TEST(Partition, ExtendedChainLoopIsCaughtEarly)
{
    Disk disk(100000);
    mbr_entry(disk.sector(0), 0, 0x05, 10000, 50000);
    signature(disk.sector(0));
    mbr_entry(disk.sector(10000), 1, 0x05, 10000, 100); // -> 20000
    signature(disk.sector(10000));
    mbr_entry(disk.sector(20000), 1, 0x05, 0, 100); // -> 10000 again
    signature(disk.sector(20000));
    EXPECT_EQ(read_error(disk), ErrorCode::Corrupt);
    EXPECT_LE(disk.reads, 3u) << "the second visit to an EBR is a loop";
}

TEST(Partition, LongExtendedChainStopsAtTheLimit)
{
    // 40 logical partitions: only max_partitions are reported, no error.
    Disk disk(200000);
    mbr_entry(disk.sector(0), 0, 0x05, 1000, 100000);
    signature(disk.sector(0));
    for (u32 i = 0; i < 40; ++i) {
        u8* ebr = disk.sector(1000 + i * 100);
        mbr_entry(ebr, 0, 0x83, 1, 50);
        if (i + 1 < 40)
            mbr_entry(ebr, 1, 0x05, (i + 1) * 100, 100);
        signature(ebr);
    }
    auto table = read_ok(disk);
    EXPECT_EQ(table.count, fs::max_partitions);
    EXPECT_EQ(table.entries[15].first_sector, 1000u + 15 * 100 + 1);
}

TEST(Partition, GptBasic)
{
    Disk disk(20000);
    build_gpt(disk, { { 34, 1000, 0x28 }, { 2048, 10000, 0xAF }, { 10001, 19966, 0x0F } });
    auto table = read_ok(disk);
    EXPECT_EQ(table.scheme, PartitionScheme::Gpt);
    ASSERT_EQ(table.count, 3u);
    EXPECT_EQ(table.entries[0].first_sector, 34u);
    EXPECT_EQ(table.entries[0].sector_count, 967u);
    EXPECT_EQ(table.entries[1].first_sector, 2048u);
    EXPECT_EQ(table.entries[1].sector_count, 10000u - 2048 + 1);
    EXPECT_EQ(table.entries[2].sector_count, 19966u - 10001 + 1);
    EXPECT_EQ(table.entries[1].gpt_type[0], 0xAF);
    EXPECT_EQ(table.entries[1].gpt_type[15], 0xAF);
    EXPECT_EQ(table.entries[1].mbr_type, 0);
}

TEST(Partition, GptWithLargeSectors)
{
    Disk disk(5000, 4096);
    build_gpt(disk, { { 6, 4000, 0x11 } }, 128); // 16 KiB of entries = 4 sectors
    auto table = read_ok(disk);
    EXPECT_EQ(table.scheme, PartitionScheme::Gpt);
    ASSERT_EQ(table.count, 1u);
    EXPECT_EQ(table.entries[0].first_sector, 6u);
    EXPECT_EQ(table.entries[0].sector_count, 3995u);
}

TEST(Partition, GptFallsBackToTheBackup)
{
    {
        Disk disk(20000);
        build_gpt(disk, { { 2048, 4095, 0x01 } });
        disk.sector(1)[60] ^= 1;  // disk GUID: inside the header CRC
        auto table = read_ok(disk);
        EXPECT_EQ(table.scheme, PartitionScheme::Gpt);
        ASSERT_EQ(table.count, 1u);
        EXPECT_EQ(table.entries[0].first_sector, 2048u);
    }
    {
        // A good primary header whose entry array is damaged.
        Disk disk(20000);
        build_gpt(disk, { { 2048, 4095, 0x01 } });
        disk.sector(2)[40] ^= 0x80;
        auto table = read_ok(disk);
        ASSERT_EQ(table.count, 1u);
        EXPECT_EQ(table.entries[0].sector_count, 2048u);
    }
    {
        // The primary is missing entirely.
        Disk disk(20000);
        build_gpt(disk, { { 2048, 4095, 0x01 } });
        disk.m_sectors.erase(1);
        EXPECT_EQ(read_ok(disk).count, 1u);
    }
}

TEST(Partition, GptCorruptions)
{
    auto code = [](auto edit) {
        Disk disk(20000);
        build_gpt(disk, { { 2048, 4095, 0x01 }, { 5000, 6000, 0x02 } });
        edit(disk);
        auto result = fs::read_partition_table(disk);
        return result.is_error() ? result.error().code() : ErrorCode::InvalidArgument;
    };
    const u64 backup = 19999;
    // Both headers bad.
    EXPECT_EQ(code([&](Disk& d) {
        d.sector(1)[60] ^= 1;
        d.sector(backup)[60] ^= 1;
    }),
        ErrorCode::Corrupt);
    // Both entry arrays bad (the backup array sits just below its header).
    EXPECT_EQ(code([&](Disk& d) {
        d.sector(2)[0] ^= 1;
        d.sector(backup - 32)[0] ^= 1;
    }),
        ErrorCode::Corrupt);
    // A header that claims another LBA than its own.
    EXPECT_EQ(code([&](Disk& d) {
        put64(d.sector(1) + 24, 2);
        reseal_gpt_header(d, 1);
        put64(d.sector(backup) + 24, 5);
        reseal_gpt_header(d, backup);
    }),
        ErrorCode::Corrupt);
    // The entry array placed past the end of the device (valid CRCs).
    EXPECT_EQ(code([&](Disk& d) {
        put64(d.sector(1) + 72, 19990);
        reseal_gpt_header(d, 1);
        put64(d.sector(backup) + 72, 19990);
        reseal_gpt_header(d, backup);
    }),
        ErrorCode::Corrupt);
    // Absurd entry size.
    EXPECT_EQ(code([&](Disk& d) {
        put32(d.sector(1) + 84, 100);
        reseal_gpt_header(d, 1);
        put32(d.sector(backup) + 84, 0);
        reseal_gpt_header(d, backup);
    }),
        ErrorCode::Corrupt);

    // Entries beyond the device or overlapping, with every CRC correct.
    Disk beyond(20000);
    build_gpt(beyond, { { 2048, 4095, 0x01 }, { 5000, 20000, 0x02 } });
    EXPECT_EQ(read_error(beyond), ErrorCode::Corrupt);
    Disk overlap(20000);
    build_gpt(overlap, { { 2048, 5000, 0x01 }, { 5000, 6000, 0x02 } });
    EXPECT_EQ(read_error(overlap), ErrorCode::Corrupt);
    Disk reversed(20000);
    build_gpt(reversed, { { 5000, 4000, 0x01 } });
    EXPECT_EQ(read_error(reversed), ErrorCode::Corrupt);
    Disk tiny(2);
    mbr_entry(tiny.sector(0), 0, 0xEE, 1, 1);
    signature(tiny.sector(0));
    EXPECT_EQ(read_error(tiny), ErrorCode::Corrupt);
}

TEST(Partition, FatBootSectorIsASuperfloppy)
{
    Disk disk(20000);
    fat_boot_sector(disk.sector(0), true);
    auto table = read_ok(disk);
    EXPECT_EQ(table.scheme, PartitionScheme::None);
    ASSERT_EQ(table.count, 1u);
    EXPECT_EQ(table.entries[0].sector_count, 20000u);

    // Without the type string a sane BPB is enough...
    Disk plain(20000);
    fat_boot_sector(plain.sector(0), false);
    EXPECT_EQ(read_ok(plain).scheme, PartitionScheme::None);
    // ...and the type string is enough with an odd BPB.
    Disk typed(20000);
    fat_boot_sector(typed.sector(0), true);
    typed.sector(0)[21] = 0;
    EXPECT_EQ(read_ok(typed).scheme, PartitionScheme::None);
    // But an MBR whose boot code starts with a jump (GRUB's does) and has
    // no BPB is still read as a table.
    Disk grub(20000);
    grub.sector(0)[0] = 0xEB;
    grub.sector(0)[1] = 0x63;
    grub.sector(0)[2] = 0x90;
    mbr_entry(grub.sector(0), 0, 0x83, 2048, 10000, 0x80);
    signature(grub.sector(0));
    auto grub_table = read_ok(grub);
    EXPECT_EQ(grub_table.scheme, PartitionScheme::Mbr);
    EXPECT_EQ(grub_table.count, 1u);
    // Bad bytes-per-sector or sectors-per-cluster: not a FAT boot sector.
    Disk odd(20000);
    fat_boot_sector(odd.sector(0), true);
    put16(odd.sector(0) + 11, 768);
    EXPECT_EQ(read_ok(odd).scheme, PartitionScheme::Mbr); // an (empty) table, not a volume
    Disk odd_cluster(20000);
    fat_boot_sector(odd_cluster.sector(0), true);
    odd_cluster.sector(0)[13] = 3;
    EXPECT_EQ(read_ok(odd_cluster).scheme, PartitionScheme::Mbr);
}

TEST(Partition, MkfsFatImageIsASuperfloppy)
{
    if (!have_tool("mkfs.fat"))
        GTEST_SKIP() << "dosfstools not installed";
    struct Kind {
        const char* arguments;
        u32 kilobytes;
    };
    for (Kind kind : { Kind { "-F 12", 1440 }, Kind { "-F 16", 16384 }, Kind { "-F 32 -s 1", 40960 } }) {
        Scratch scratch;
        std::string image = scratch.path() + "/disk.img";
        std::string output;
        std::string command = std::string("mkfs.fat ") + kind.arguments + " -C '" + image + "' ";
        ASSERT_EQ(run(command + std::to_string(kind.kilobytes), output), 0) << output;
        Disk disk(0);
        ASSERT_TRUE(disk.load(image));
        auto table = read_ok(disk);
        EXPECT_EQ(table.scheme, PartitionScheme::None) << kind.arguments;
        ASSERT_EQ(table.count, 1u);
        EXPECT_EQ(table.entries[0].sector_count, kind.kilobytes * 2u);
    }
}

// An MBR written by mtools' mpartition, with a FAT file system made by
// mkfs.fat inside the first partition.
TEST(Partition, MpartitionImage)
{
    if (!have_tool("mpartition") || !have_tool("mkfs.fat"))
        GTEST_SKIP() << "mtools/dosfstools not installed";
    Scratch scratch;
    std::string image = scratch.path() + "/disk.img";
    std::string config = scratch.path() + "/mtoolsrc";
    {
        std::ofstream rc(config);
        rc << "drive z: file=\"" << image << "\" partition=1\n";
        rc << "drive y: file=\"" << image << "\" partition=2\n";
        rc << "mtools_skip_check=1\n";
    }
    std::string env = "MTOOLSRC='" + config + "' ";
    std::string output;
    ASSERT_EQ(run("truncate -s 16M '" + image + "'", output), 0) << output;
    ASSERT_EQ(run(env + "mpartition -I z:", output), 0) << output;
    ASSERT_EQ(run(env + "mpartition -c -b 2048 -l 8192 -T 0x0e z:", output), 0) << output;
    ASSERT_EQ(run(env + "mpartition -c -b 10240 -l 20000 -T 0x0c y:", output), 0) << output;
    ASSERT_EQ(run("mkfs.fat --offset 2048 '" + image + "' 4096", output), 0) << output;

    Disk disk(0);
    ASSERT_TRUE(disk.load(image));
    auto table = read_ok(disk);
    EXPECT_EQ(table.scheme, PartitionScheme::Mbr);
    ASSERT_EQ(table.count, 2u);
    EXPECT_EQ(table.entries[0].first_sector, 2048u);
    EXPECT_EQ(table.entries[0].sector_count, 8192u);
    EXPECT_EQ(table.entries[0].mbr_type, 0x0E);
    EXPECT_EQ(table.entries[1].first_sector, 10240u);
    EXPECT_EQ(table.entries[1].sector_count, 20000u);
    EXPECT_EQ(table.entries[1].mbr_type, 0x0C);

    // Inside the first partition, the FAT boot sector reads as a volume.
    fs::PartitionDevice partition(disk, "disk0p1", table.entries[0].first_sector, table.entries[0].sector_count);
    auto inner = fs::read_partition_table(partition);
    ASSERT_FALSE(inner.is_error());
    EXPECT_EQ(inner.value().scheme, PartitionScheme::None);
    EXPECT_EQ(inner.value().entries[0].sector_count, 8192u);
}
