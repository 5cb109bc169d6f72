// On-disk constants and little-endian helpers shared by the FAT reader
// (FatVolume.cpp) and writer (FatVolumeWrite.cpp). Internal to kernel/fs.
#pragma once

#include "kernel/fs/FatVolume.h"
#include "lib/String.h"
#include "lib/Types.h"

namespace fs::fat_layout {

constexpr u32 directory_entry_size = 32;
constexpr u8 attribute_read_only = 0x01;
constexpr u8 attribute_hidden = 0x02;
constexpr u8 attribute_system = 0x04;
constexpr u8 attribute_volume_id = 0x08;
constexpr u8 attribute_directory = 0x10;
constexpr u8 attribute_long_name = attribute_read_only | attribute_hidden | attribute_system | attribute_volume_id;
constexpr u8 entry_end = 0x00;     // this and all following entries are free
constexpr u8 entry_deleted = 0xE5;
constexpr u8 entry_kanji_e5 = 0x05; // a real first byte of 0xE5
constexpr u8 long_name_last = 0x40;
constexpr u32 long_name_max_entries = 20; // 20 * 13 = 260 >= 255 characters
constexpr u32 long_name_max_units = long_name_max_entries * 13;
// UTF-8 of up to 255 UCS-2 characters (3 bytes each at most).
constexpr size_t name_buffer_size = 255 * 3 + 1;

inline u16 load16(const u8* bytes) { return static_cast<u16>(bytes[0] | (bytes[1] << 8)); }
inline u32 load32(const u8* bytes)
{
    return static_cast<u32>(bytes[0]) | static_cast<u32>(bytes[1]) << 8 | static_cast<u32>(bytes[2]) << 16
        | static_cast<u32>(bytes[3]) << 24;
}

inline char fold(char c) { return c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c; }

inline bool equals_ignoring_case(StringView a, StringView b)
{
    if (a.length() != b.length())
        return false;
    for (size_t i = 0; i < a.length(); ++i) {
        if (fold(a[i]) != fold(b[i]))
            return false;
    }
    return true;
}

// The checksum of an 8.3 name that its long-name entries carry (FAT spec,
// "ChkSum"): rotate right by one, add the next byte.
inline u8 short_name_checksum(const u8* name)
{
    u8 sum = 0;
    for (int i = 0; i < 11; ++i)
        sum = static_cast<u8>(((sum & 1) << 7) + (sum >> 1) + name[i]);
    return sum;
}


inline void store16(u8* bytes, u16 value)
{
    bytes[0] = static_cast<u8>(value);
    bytes[1] = static_cast<u8>(value >> 8);
}

inline void store32(u8* bytes, u32 value)
{
    for (int i = 0; i < 4; ++i)
        bytes[i] = static_cast<u8>(value >> (8 * i));
}

} // namespace fs::fat_layout

namespace fs {

// A live directory entry, decoded, with where it sits: `slot` is the index of
// its 8.3 entry in the directory, `first_slot` that of its first long-name
// entry (== slot without a long name), `offset` the 8.3 entry's image offset.
struct FatVolume::DirectoryEntry {
    char name[fat_layout::name_buffer_size];
    size_t name_length;
    u32 first_cluster;
    u32 size;
    bool is_directory;
    bool is_dot; // "." or ".."
    u32 slot;
    u32 first_slot;
    u64 offset;
    u8 raw[fat_layout::directory_entry_size];
    char short_name[13]; // "NAME.EXT" when there is a long name, else empty
    size_t short_name_length;

    StringView name_view() const { return { name, name_length }; }
    // A path component names this entry when it matches the long name or
    // the 8.3 name, ignoring ASCII case.
    bool matches(StringView wanted) const
    {
        return fat_layout::equals_ignoring_case(name_view(), wanted)
            || (short_name_length && fat_layout::equals_ignoring_case({ short_name, short_name_length }, wanted));
    }
};

} // namespace fs
