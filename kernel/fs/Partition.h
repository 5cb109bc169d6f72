// Partition tables: MBR (four primary entries and the chain of logical
// partitions inside an extended one) and GPT (with header and entry-array
// CRC checks). Everything read from the disk is checked: a partition that
// does not fit on the device, overlapping entries or a broken GPT are
// reported, never trusted.
#pragma once

#include "kernel/fs/BlockDevice.h"

namespace fs {

enum class PartitionScheme : u8 {
    None, // no partition table: the whole device is one volume
    Mbr,
    Gpt,
};

struct PartitionInfo {
    u64 first_sector { 0 };
    u64 sector_count { 0 };
    u8 mbr_type { 0 };         // MBR type byte (0 for GPT entries)
    u8 gpt_type[16] {};        // GPT partition type GUID (zero for MBR)
};

inline constexpr u32 max_partitions = 16;

struct PartitionTable {
    PartitionScheme scheme { PartitionScheme::None };
    u32 count { 0 };
    // In table order: MBR primaries 1-4 first, then logical ones; GPT in
    // entry order. Empty entries are skipped, so index + 1 is the
    // KolibriOS partition number (/hd0/1 is entries[0]).
    PartitionInfo entries[max_partitions] {};
};

// Reads the partition table of `device`. A device whose sector 0 is a FAT
// boot sector (a "superfloppy" made by mkfs.fat without a table) or has no
// 0x55AA signature gives scheme None with count 1 covering the whole device.
// A protective MBR (type 0xEE) means GPT. Corrupt when a table is present but
// inconsistent (entries past the end of the device, a GPT header whose CRC
// does not match and no valid backup); IoError when the device cannot be read.
ErrorOr<PartitionTable> read_partition_table(BlockDevice& device);

} // namespace fs
