#include "kernel/fs/FatFormat.h"
#include "kernel/fs/FatLayout.h"

#include "lib/Utility.h"

namespace fs {

using namespace fat_layout;

ErrorOr<void> format_fat(ByteStore& store, StringView label)
{
    if (!store.is_writable())
        return Error(ErrorCode::ReadOnly, "format: the store is read-only");
    u64 total_sectors = store.size() / 512;
    if (total_sectors < 128 || total_sectors > 0x400000)
        return Error(ErrorCode::InvalidArgument, "format: size must be 64 KiB to 2 GiB");

    u32 root_entries = total_sectors < 4096 ? 224 : 512;
    u32 root_sectors = root_entries * directory_entry_size / 512;
    u32 reserved = 1;
    // The smallest cluster that keeps the count under the FAT16 limit, and
    // FAT12 for volumes small enough to stay under 4085 clusters with it.
    u32 sectors_per_cluster = 1;
    bool fat12 = false;
    u32 fat_sectors = 0;
    u32 clusters = 0;
    for (;; sectors_per_cluster *= 2) {
        if (sectors_per_cluster > 64)
            return Error(ErrorCode::InvalidArgument, "format: no cluster size fits");
        // Iterate: the FAT size depends on the cluster count and back.
        u64 data = total_sectors - reserved - root_sectors;
        clusters = static_cast<u32>(data / sectors_per_cluster);
        fat12 = clusters < 4085;
        for (int round = 0; round < 4; ++round) {
            u64 fat_bytes = fat12 ? (static_cast<u64>(clusters + 2) * 3 + 1) / 2 : static_cast<u64>(clusters + 2) * 2;
            fat_sectors = static_cast<u32>((fat_bytes + 511) / 512);
            clusters = static_cast<u32>((total_sectors - reserved - root_sectors - 2 * fat_sectors) / sectors_per_cluster);
            fat12 = clusters < 4085;
        }
        // Keep clear of the ambiguous counts near the type limits.
        if (clusters < 65525 - 16 && !(clusters > 4085 - 16 && clusters < 4085 + 16))
            break;
    }

    u8 sector[512] {};
    sector[0] = 0xEB;
    sector[1] = 0x3C;
    sector[2] = 0x90;
    __builtin_memcpy(sector + 3, "COLIBRI ", 8);
    store16(sector + 11, 512);
    sector[13] = static_cast<u8>(sectors_per_cluster);
    store16(sector + 14, static_cast<u16>(reserved));
    sector[16] = 2;
    store16(sector + 17, static_cast<u16>(root_entries));
    if (total_sectors < 0x10000)
        store16(sector + 19, static_cast<u16>(total_sectors));
    else
        store32(sector + 32, static_cast<u32>(total_sectors));
    sector[21] = 0xF8; // fixed disk
    store16(sector + 22, static_cast<u16>(fat_sectors));
    store16(sector + 24, 32);
    store16(sector + 26, 2);
    sector[36] = 0x80;
    sector[38] = 0x29; // extended boot signature: serial, label, type follow
    store32(sector + 39, 0xC0118B1D);
    __builtin_memset(sector + 43, ' ', 11);
    for (size_t i = 0; i < label.length() && i < 11; ++i) {
        char c = label[i];
        sector[43 + i] = static_cast<u8>(c >= 'a' && c <= 'z' ? c - 32 : c);
    }
    __builtin_memcpy(sector + 54, fat12 ? "FAT12   " : "FAT16   ", 8);
    sector[510] = 0x55;
    sector[511] = 0xAA;

    TRY(store.fill(0, 0, static_cast<size_t>(reserved + 2 * fat_sectors + root_sectors) * 512));
    TRY(store.write(0, sector, sizeof(sector)));
    // FAT[0] holds the media byte, FAT[1] an end-of-chain mark.
    u8 head[4] = { 0xF8, 0xFF, 0xFF, fat12 ? u8(0) : u8(0xFF) };
    for (u32 copy = 0; copy < 2; ++copy)
        TRY(store.write(static_cast<u64>(reserved + copy * fat_sectors) * 512, head, fat12 ? 3 : 4));
    // The volume label as the root directory's first entry.
    if (!label.is_empty()) {
        u8 entry[directory_entry_size] {};
        __builtin_memcpy(entry, sector + 43, 11);
        entry[11] = attribute_volume_id;
        TRY(store.write(static_cast<u64>(reserved + 2 * fat_sectors) * 512, entry, sizeof(entry)));
    }
    return store.flush();
}

} // namespace fs
