// Partition table parsing. Layouts follow the UEFI specification (2.10,
// section 5: "GUID Partition Table Disk Layout", including the legacy MBR
// and protective MBR) and the classic extended-partition convention: each
// extended boot record (EBR) holds one logical partition, its start relative
// to that EBR, and a link to the next EBR relative to the start of the
// extended partition.
#include "kernel/fs/Partition.h"

#include "lib/Crc32.h"
#include "lib/New.h"
#include "lib/Utility.h"

namespace fs {

namespace {

constexpr u32 mbr_entries_offset = 446;
constexpr u32 mbr_entry_size = 16;
constexpr u8 mbr_type_protective = 0xEE;
// Bound on the EBR chain: it cannot hold more than max_partitions useful
// entries, but empty links are legal, so allow a few more before calling it
// a loop or garbage.
constexpr u32 max_ebr_walk = 64;
constexpr u32 gpt_header_minimum = 92;
constexpr u32 max_gpt_entries = 16384;

u16 read16(const u8* p) { return static_cast<u16>(p[0] | (p[1] << 8)); }
u32 read32(const u8* p)
{
    return static_cast<u32>(p[0]) | (static_cast<u32>(p[1]) << 8) | (static_cast<u32>(p[2]) << 16)
        | (static_cast<u32>(p[3]) << 24);
}
u64 read64(const u8* p) { return read32(p) | (static_cast<u64>(read32(p + 4)) << 32); }

bool bytes_equal(const u8* a, const char* b, size_t length)
{
    for (size_t i = 0; i < length; ++i) {
        if (a[i] != static_cast<u8>(b[i]))
            return false;
    }
    return true;
}

bool fits(u64 first, u64 count, u64 total) { return first <= total && count <= total - first; }

bool overlaps(const PartitionInfo& a, const PartitionInfo& b)
{
    return a.first_sector < b.first_sector + b.sector_count && b.first_sector < a.first_sector + a.sector_count;
}

bool is_extended(u8 type) { return type == 0x05 || type == 0x0F || type == 0x85; }

// One sector-sized buffer aligned for the device.
class SectorBuffer {
public:
    ~SectorBuffer() { delete[] m_allocation; }

    ErrorOr<void> allocate(BlockDevice& device)
    {
        u32 alignment = lib::max(device.buffer_alignment(), 1u);
        m_allocation = new (lib::nothrow) u8[device.sector_size() + alignment];
        if (!m_allocation)
            return Error(ErrorCode::NoMemory, "partition table sector buffer");
        uintptr_t address = reinterpret_cast<uintptr_t>(m_allocation);
        m_data = reinterpret_cast<u8*>(lib::align_up(address, static_cast<uintptr_t>(alignment)));
        return {};
    }

    u8* data() { return m_data; }

private:
    u8* m_allocation { nullptr };
    u8* m_data { nullptr };
};

PartitionTable whole_device(BlockDevice& device)
{
    PartitionTable table;
    table.scheme = PartitionScheme::None;
    table.count = 1;
    table.entries[0].sector_count = device.sector_count();
    return table;
}

// A volume boot record at LBA 0 instead of a partition table: a FAT boot
// sector (mkfs.fat without a table), or NTFS/exFAT, which have the same
// jump instruction and OEM field. Checks follow the FAT specification's BPB.
bool is_volume_boot_record(const u8* sector)
{
    bool jump = (sector[0] == 0xEB && sector[2] == 0x90) || sector[0] == 0xE9;
    if (!jump)
        return false;
    if (bytes_equal(sector + 3, "NTFS    ", 8) || bytes_equal(sector + 3, "EXFAT   ", 8))
        return true;
    u16 bytes_per_sector = read16(sector + 11);
    u8 sectors_per_cluster = sector[13];
    if (bytes_per_sector < 512 || bytes_per_sector > 4096 || !lib::is_power_of_two(bytes_per_sector))
        return false;
    if (!lib::is_power_of_two(sectors_per_cluster))
        return false;
    // BS_FilSysType ("FAT12   ", "FAT16   ", "FAT     ") at 54, or at 82 on FAT32.
    if (bytes_equal(sector + 54, "FAT", 3) || bytes_equal(sector + 82, "FAT", 3))
        return true;
    // Without the (informational) type string, insist on a sane BPB.
    u16 reserved = read16(sector + 14);
    u8 fats = sector[16];
    u8 media = sector[21];
    u32 total = read16(sector + 19) ? read16(sector + 19) : read32(sector + 32);
    u32 fat_size = read16(sector + 22) ? read16(sector + 22) : read32(sector + 36);
    return reserved >= 1 && fats >= 1 && fats <= 4 && (media == 0xF0 || media >= 0xF8) && total != 0 && fat_size != 0;
}

ErrorOr<void> add_entry(PartitionTable& table, const PartitionInfo& entry, const char* overlap_context)
{
    for (u32 i = 0; i < table.count; ++i) {
        if (overlaps(table.entries[i], entry))
            return Error(ErrorCode::Corrupt, overlap_context);
    }
    table.entries[table.count++] = entry;
    return {};
}

// Walks the EBR chain of the extended partition [first, first + count) and
// appends its logical partitions.
ErrorOr<void> read_logical_partitions(BlockDevice& device, u8* sector, u64 first, u64 count, PartitionTable& table)
{
    u64 visited[max_ebr_walk];
    u64 ebr = first;
    for (u32 step = 0;; ++step) {
        if (step == max_ebr_walk)
            return Error(ErrorCode::Corrupt, "MBR: extended partition chain too long");
        for (u32 i = 0; i < step; ++i) {
            if (visited[i] == ebr)
                return Error(ErrorCode::Corrupt, "MBR: loop in the extended partition chain");
        }
        visited[step] = ebr;
        TRY(device.read(ebr, 1, sector));
        if (sector[510] != 0x55 || sector[511] != 0xAA)
            return Error(ErrorCode::Corrupt, "MBR: extended boot record without signature");

        const u8* logical = sector + mbr_entries_offset;
        const u8* link = logical + mbr_entry_size;
        u32 relative_start = read32(logical + 8);
        u32 length = read32(logical + 12);
        if (logical[4] != 0 && length != 0) {
            PartitionInfo entry;
            entry.first_sector = ebr + relative_start;
            entry.sector_count = length;
            entry.mbr_type = logical[4];
            if (relative_start == 0 || entry.first_sector < first
                || !fits(entry.first_sector, entry.sector_count, first + count))
                return Error(ErrorCode::Corrupt, "MBR: logical partition outside its extended partition");
            if (table.count == max_partitions)
                return {};
            TRY(add_entry(table, entry, "MBR: overlapping partitions"));
        }

        u32 next = read32(link + 8);
        if (link[4] == 0 || read32(link + 12) == 0)
            return {};
        if (!is_extended(link[4]))
            return Error(ErrorCode::Corrupt, "MBR: extended partition link of a wrong type");
        if (next >= count)
            return Error(ErrorCode::Corrupt, "MBR: extended partition link outside the extended partition");
        ebr = first + next;
    }
}

ErrorOr<PartitionTable> read_mbr(BlockDevice& device, u8* sector)
{
    u64 total = device.sector_count();
    PartitionTable table;
    table.scheme = PartitionScheme::Mbr;
    PartitionInfo extended;
    bool have_extended = false;

    // Copy the four entries: the sector buffer is reused for the EBRs.
    u8 entries[4 * mbr_entry_size];
    __builtin_memcpy(entries, sector + mbr_entries_offset, sizeof(entries));
    for (u32 slot = 0; slot < 4; ++slot) {
        const u8* raw = entries + slot * mbr_entry_size;
        if (raw[0] != 0x00 && raw[0] != 0x80)
            return Error(ErrorCode::Corrupt, "MBR: invalid boot indicator");
        PartitionInfo entry;
        entry.mbr_type = raw[4];
        entry.first_sector = read32(raw + 8);
        entry.sector_count = read32(raw + 12);
        if (entry.mbr_type == 0 || entry.sector_count == 0)
            continue;
        if (entry.first_sector == 0)
            return Error(ErrorCode::Corrupt, "MBR: partition overlaps the partition table");
        if (!fits(entry.first_sector, entry.sector_count, total))
            return Error(ErrorCode::Corrupt, "MBR: partition past the end of the device");
        for (u32 i = 0; i < table.count; ++i) {
            if (overlaps(table.entries[i], entry))
                return Error(ErrorCode::Corrupt, "MBR: overlapping partitions");
        }
        if (have_extended && overlaps(extended, entry))
            return Error(ErrorCode::Corrupt, "MBR: overlapping partitions");
        if (is_extended(entry.mbr_type)) {
            if (have_extended)
                return Error(ErrorCode::Corrupt, "MBR: more than one extended partition");
            extended = entry;
            have_extended = true;
            continue;
        }
        table.entries[table.count++] = entry;
    }
    if (have_extended)
        TRY(read_logical_partitions(device, sector, extended.first_sector, extended.sector_count, table));
    return table;
}

// Reads and checks the GPT header at `lba` and its entry array. Corrupt
// when anything does not match; the caller then tries the other copy.
ErrorOr<PartitionTable> read_gpt_copy(BlockDevice& device, u8* sector, u64 lba)
{
    u64 total = device.sector_count();
    u32 sector_size = device.sector_size();
    TRY(device.read(lba, 1, sector));
    if (!bytes_equal(sector, "EFI PART", 8))
        return Error(ErrorCode::Corrupt, "GPT: header signature missing");
    u32 header_size = read32(sector + 12);
    if (header_size < gpt_header_minimum || header_size > sector_size)
        return Error(ErrorCode::Corrupt, "GPT: bad header size");
    u32 header_crc = read32(sector + 16);
    __builtin_memset(sector + 16, 0, 4);
    if (lib::crc32(sector, header_size) != header_crc)
        return Error(ErrorCode::Corrupt, "GPT: header CRC mismatch");
    if (read64(sector + 24) != lba)
        return Error(ErrorCode::Corrupt, "GPT: header is not where it says it is");
    u64 first_usable = read64(sector + 40);
    u64 last_usable = read64(sector + 48);
    u64 entries_lba = read64(sector + 72);
    u32 entry_count = read32(sector + 80);
    u32 entry_size = read32(sector + 84);
    u32 entries_crc = read32(sector + 88);
    if (first_usable > last_usable || last_usable >= total)
        return Error(ErrorCode::Corrupt, "GPT: usable range outside the device");
    // Entries are 128 * 2^n bytes (UEFI 5.3.2); keeping them within one
    // sector lets the array be checked one sector at a time.
    if (entry_size < 128 || !lib::is_power_of_two(entry_size) || entry_size > sector_size)
        return Error(ErrorCode::Corrupt, "GPT: bad partition entry size");
    if (entry_count == 0 || entry_count > max_gpt_entries)
        return Error(ErrorCode::Corrupt, "GPT: bad partition entry count");
    u64 array_bytes = static_cast<u64>(entry_count) * entry_size;
    u64 array_sectors = (array_bytes + sector_size - 1) / sector_size;
    if (entries_lba < 2 || !fits(entries_lba, array_sectors, total))
        return Error(ErrorCode::Corrupt, "GPT: partition entry array outside the device");

    PartitionTable table;
    table.scheme = PartitionScheme::Gpt;
    u32 crc = 0;
    for (u64 s = 0; s < array_sectors; ++s) {
        TRY(device.read(entries_lba + s, 1, sector));
        u32 bytes = static_cast<u32>(lib::min<u64>(sector_size, array_bytes - s * sector_size));
        crc = lib::crc32(sector, bytes, crc);
        for (u32 offset = 0; offset < bytes; offset += entry_size) {
            const u8* raw = sector + offset;
            bool used = false;
            for (u32 i = 0; i < 16; ++i)
                used |= raw[i] != 0;
            if (!used)
                continue;
            u64 first = read64(raw + 32);
            u64 last = read64(raw + 40);
            if (first > last || first < first_usable || last > last_usable)
                return Error(ErrorCode::Corrupt, "GPT: partition outside the usable area");
            if (table.count == max_partitions)
                continue;
            PartitionInfo entry;
            entry.first_sector = first;
            entry.sector_count = last - first + 1;
            __builtin_memcpy(entry.gpt_type, raw, 16);
            TRY(add_entry(table, entry, "GPT: overlapping partitions"));
        }
    }
    if (crc != entries_crc)
        return Error(ErrorCode::Corrupt, "GPT: partition entry array CRC mismatch");
    return table;
}

ErrorOr<PartitionTable> read_gpt(BlockDevice& device, u8* sector)
{
    u64 total = device.sector_count();
    if (total < 3)
        return Error(ErrorCode::Corrupt, "GPT: device too small");
    auto primary = read_gpt_copy(device, sector, 1);
    if (!primary.is_error())
        return primary;
    // The backup header sits in the last sector of the device (UEFI 5.3.1).
    auto backup = read_gpt_copy(device, sector, total - 1);
    if (!backup.is_error())
        return backup;
    // A read failure says more than "corrupt".
    if (primary.error().code() != ErrorCode::Corrupt)
        return primary.error();
    if (backup.error().code() != ErrorCode::Corrupt)
        return backup.error();
    return primary.error();
}

} // namespace

ErrorOr<PartitionTable> read_partition_table(BlockDevice& device)
{
    u32 sector_size = device.sector_size();
    if (sector_size < 512 || sector_size > 4096 || !lib::is_power_of_two(sector_size))
        return Error(ErrorCode::Unsupported, "partition table: unsupported sector size");
    if (device.sector_count() == 0) {
        // Nothing to mount: no table and no volume.
        PartitionTable empty;
        return empty;
    }
    SectorBuffer buffer;
    TRY(buffer.allocate(device));
    u8* sector = buffer.data();
    TRY(device.read(0, 1, sector));
    if (sector[510] != 0x55 || sector[511] != 0xAA || is_volume_boot_record(sector))
        return whole_device(device);
    for (u32 slot = 0; slot < 4; ++slot) {
        if (sector[mbr_entries_offset + slot * mbr_entry_size + 4] == mbr_type_protective)
            return read_gpt(device, sector);
    }
    return read_mbr(device, sector);
}

} // namespace fs
