#include "kernel/fs/FatVolume.h"
#include "kernel/fs/FatLayout.h"

#include "lib/New.h"
#include "lib/Utility.h"

namespace fs {

using namespace fat_layout;

// ---- FatFile ---------------------------------------------------------------

ErrorOr<size_t> FatFile::read(u64 offset, void* buffer, size_t length, bool direct) const
{
    if (!m_volume)
        return Error(ErrorCode::InvalidArgument, "FAT: read of an empty file handle");
    return m_volume->read_file(*this, offset, buffer, length, direct);
}

// ---- mounting --------------------------------------------------------------

FatVolume::FatVolume(ByteStore* store, bool writable, bool owns_store)
    : m_store(store)
    , m_writable(writable && store->is_writable())
    , m_owns_store(owns_store)
    , m_image_size(store->size())
{
}

FatVolume::~FatVolume()
{
    if (m_owns_store)
        delete m_store;
}

ErrorOr<FatVolume*> FatVolume::mount(ByteStore& store, bool writable)
{
    auto* volume = new (lib::nothrow) FatVolume(&store, writable, false);
    if (!volume)
        return Error(ErrorCode::NoMemory, "FAT: volume object");
    auto parsed = volume->parse_boot_sector();
    if (parsed.is_error()) {
        delete volume;
        return parsed.error();
    }
    return volume;
}

namespace {

ErrorOr<FatVolume*> mount_memory(ByteStore* store, bool writable)
{
    if (!store)
        return Error(ErrorCode::NoMemory, "FAT: volume store");
    auto mounted = FatVolume::mount(*store, writable);
    if (mounted.is_error()) {
        delete store;
        return mounted.error();
    }
    return mounted.value();
}

} // namespace

ErrorOr<FatVolume*> FatVolume::mount(const u8* image, size_t size)
{
    if (!image)
        return Error(ErrorCode::InvalidArgument, "FAT: no image");
    FatVolume* volume = TRY(mount_memory(new (lib::nothrow) MemoryByteStore(image, size), false));
    volume->m_owns_store = true;
    return volume;
}

ErrorOr<FatVolume*> FatVolume::mount_writable(u8* image, size_t size)
{
    if (!image)
        return Error(ErrorCode::InvalidArgument, "FAT: no image");
    FatVolume* volume = TRY(mount_memory(new (lib::nothrow) MemoryByteStore(image, size), true));
    volume->m_owns_store = true;
    return volume;
}

ErrorOr<void> FatVolume::flush() { return m_store->flush(); }

ErrorOr<void> FatVolume::parse_boot_sector()
{
    u8 sector[64];
    if (m_image_size < 512)
        return Error(ErrorCode::Corrupt, "FAT: image smaller than a boot sector");
    TRY(read_bytes(0, sector, sizeof(sector)));

    // BPB fields (FAT spec, "Boot Sector and BPB Structure").
    u32 bytes_per_sector = load16(sector + 11);
    u32 sectors_per_cluster = sector[13];
    u32 reserved_sectors = load16(sector + 14);
    u32 fat_count = sector[16];
    u32 root_entry_count = load16(sector + 17);
    u32 total_sectors = load16(sector + 19);
    u32 fat_sectors = load16(sector + 22);
    if (total_sectors == 0)
        total_sectors = load32(sector + 32);
    bool fat32_layout = fat_sectors == 0;
    if (fat32_layout)
        fat_sectors = load32(sector + 36);

    if (bytes_per_sector < 512 || bytes_per_sector > 4096 || !lib::is_power_of_two(bytes_per_sector))
        return Error(ErrorCode::Corrupt, "FAT: bytes per sector not a power of two in 512..4096");
    if (!lib::is_power_of_two(sectors_per_cluster))
        return Error(ErrorCode::Corrupt, "FAT: sectors per cluster not a power of two");
    if (bytes_per_sector * sectors_per_cluster > 64 * 1024)
        return Error(ErrorCode::Corrupt, "FAT: cluster larger than 64 KiB");
    if (reserved_sectors == 0)
        return Error(ErrorCode::Corrupt, "FAT: no reserved sectors");
    if (fat_count == 0)
        return Error(ErrorCode::Corrupt, "FAT: no FAT");
    if (fat_sectors == 0)
        return Error(ErrorCode::Corrupt, "FAT: FAT size is zero");
    if (total_sectors == 0)
        return Error(ErrorCode::Corrupt, "FAT: volume size is zero");

    u64 sector_size = bytes_per_sector;
    u64 root_sectors = (static_cast<u64>(root_entry_count) * directory_entry_size + sector_size - 1) / sector_size;
    u64 metadata_sectors = reserved_sectors + static_cast<u64>(fat_count) * fat_sectors + root_sectors;
    if (metadata_sectors >= total_sectors)
        return Error(ErrorCode::Corrupt, "FAT: no data area");
    if (static_cast<u64>(total_sectors) * sector_size > m_image_size)
        return Error(ErrorCode::Corrupt, "FAT: image shorter than the volume");

    u64 cluster_count = (total_sectors - metadata_sectors) / sectors_per_cluster;
    if (cluster_count == 0)
        return Error(ErrorCode::Corrupt, "FAT: no clusters");
    // The type follows from the cluster count alone (FAT spec, "FAT Type
    // Determination").
    if (cluster_count < 4085)
        m_type = FatType::Fat12;
    else if (cluster_count < 65525)
        m_type = FatType::Fat16;
    else
        m_type = FatType::Fat32;
    if (cluster_count > 0x0FFFFFF5)
        return Error(ErrorCode::Corrupt, "FAT: too many clusters");

    m_bytes_per_sector = bytes_per_sector;
    m_bytes_per_cluster = bytes_per_sector * sectors_per_cluster;
    m_cluster_count = static_cast<u32>(cluster_count);
    m_fat_offset = static_cast<u64>(reserved_sectors) * sector_size;
    m_fat_size = static_cast<u64>(fat_sectors) * sector_size;
    m_root_offset = m_fat_offset + fat_count * m_fat_size;
    m_data_offset = metadata_sectors * sector_size;
    m_fat_count = fat_count;

    // The FAT must have an entry for every cluster (plus the two reserved).
    u64 entries = cluster_count + 2;
    u64 needed = m_type == FatType::Fat12 ? (entries * 3 + 1) / 2 : m_type == FatType::Fat16 ? entries * 2 : entries * 4;
    if (needed > m_fat_size)
        return Error(ErrorCode::Corrupt, "FAT: FAT too small for the cluster count");

    if (m_type == FatType::Fat32) {
        if (!fat32_layout || root_entry_count != 0)
            return Error(ErrorCode::Corrupt, "FAT: FAT32 cluster count with a FAT12/16 layout");
        m_root_cluster = load32(sector + 44) & 0x0FFFFFFF;
        if (!is_data_cluster(m_root_cluster))
            return Error(ErrorCode::Corrupt, "FAT: FAT32 root cluster out of range");
        // FSInfo (FAT spec, "FAT32 FSInfo Sector Structure"): only the
        // writer uses it, and only when its signatures are intact.
        u32 fsinfo_sector = load16(sector + 48);
        if (fsinfo_sector != 0 && fsinfo_sector < reserved_sectors) {
            u64 offset = static_cast<u64>(fsinfo_sector) * sector_size;
            u8 lead[4];
            u8 middle[4];
            TRY(read_bytes(offset, lead, 4));
            TRY(read_bytes(offset + 484, middle, 4));
            if (load32(lead) == 0x41615252 && load32(middle) == 0x61417272)
                m_fsinfo_offset = offset;
        }
    } else {
        if (root_entry_count == 0)
            return Error(ErrorCode::Corrupt, "FAT: FAT12/16 volume without root directory entries");
        m_root_entry_count = root_entry_count;
    }
    return {};
}

// ---- raw access ------------------------------------------------------------

ErrorOr<void> FatVolume::read_bytes(u64 offset, void* buffer, size_t length) const
{
    if (offset > m_image_size || length > m_image_size - offset)
        return Error(ErrorCode::Corrupt, "FAT: access beyond the end of the image");
    if (length == 0)
        return {};
    return m_store->read(offset, buffer, length);
}

u64 FatVolume::cluster_offset(u32 cluster) const
{
    return m_data_offset + static_cast<u64>(cluster - 2) * m_bytes_per_cluster;
}

ErrorOr<u32> FatVolume::next_cluster(u32 cluster) const
{
    if (!is_data_cluster(cluster))
        return Error(ErrorCode::Corrupt, "FAT: cluster number out of range");
    u32 next;
    u32 end_marker;
    switch (m_type) {
    case FatType::Fat12: {
        u8 bytes[2];
        TRY(read_bytes(m_fat_offset + cluster + cluster / 2, bytes, 2));
        u16 pair = load16(bytes);
        next = (cluster & 1) ? pair >> 4 : pair & 0x0FFF;
        end_marker = 0xFF8;
        break;
    }
    case FatType::Fat16: {
        u8 bytes[2];
        TRY(read_bytes(m_fat_offset + static_cast<u64>(cluster) * 2, bytes, 2));
        next = load16(bytes);
        end_marker = 0xFFF8;
        break;
    }
    case FatType::Fat32:
    default: {
        u8 bytes[4];
        TRY(read_bytes(m_fat_offset + static_cast<u64>(cluster) * 4, bytes, 4));
        next = load32(bytes) & 0x0FFFFFFF; // the top four bits are reserved
        end_marker = 0x0FFFFFF8;
        break;
    }
    }
    if (next >= end_marker)
        return 0u;
    if (next == end_marker - 1)
        return Error(ErrorCode::Corrupt, "FAT: bad cluster in a chain");
    if (!is_data_cluster(next))
        return Error(ErrorCode::Corrupt, "FAT: chain links to a free or out-of-range cluster");
    return next;
}

ErrorOr<u32> FatVolume::cluster_at(const FatFile& file, u32 index) const
{
    u32 cluster = file.m_first_cluster;
    u32 position = 0;
    if (file.m_cached_cluster != 0 && file.m_cached_index <= index) {
        cluster = file.m_cached_cluster;
        position = file.m_cached_index;
    }
    if (m_hint_cluster != 0 && m_hint_first == file.m_first_cluster && m_hint_index <= index
        && m_hint_index > position) {
        cluster = m_hint_cluster;
        position = m_hint_index;
    }
    if (!is_data_cluster(cluster))
        return Error(ErrorCode::Corrupt, "FAT: start cluster out of range");
    // A chain longer than the cluster count must loop.
    if (index >= m_cluster_count)
        return Error(ErrorCode::Corrupt, "FAT: cluster chain longer than the volume");
    while (position < index) {
        cluster = TRY(next_cluster(cluster));
        if (cluster == 0)
            return Error(ErrorCode::Corrupt, "FAT: cluster chain shorter than the file");
        ++position;
    }
    file.m_cached_cluster = cluster;
    file.m_cached_index = index;
    m_hint_first = file.m_first_cluster;
    m_hint_index = index;
    m_hint_cluster = cluster;
    return cluster;
}

ErrorOr<void> FatVolume::check_chain_length(u32 first, u32 size) const
{
    u64 clusters = (static_cast<u64>(size) + m_bytes_per_cluster - 1) / m_bytes_per_cluster;
    if (clusters > m_cluster_count)
        return Error(ErrorCode::Corrupt, "FAT: file larger than the volume");
    u32 cluster = first;
    for (u64 i = 1; i < clusters; ++i) {
        cluster = TRY(next_cluster(cluster));
        if (cluster == 0)
            return Error(ErrorCode::Corrupt, "FAT: cluster chain shorter than the file");
    }
    if (TRY(next_cluster(cluster)) != 0)
        return Error(ErrorCode::Corrupt, "FAT: cluster chain longer than the file (or looping)");
    return {};
}

// ---- files -----------------------------------------------------------------

ErrorOr<size_t> FatVolume::read_file(const FatFile& file, u64 offset, void* buffer, size_t length, bool direct) const
{
    if (file.m_directory)
        return Error(ErrorCode::InvalidArgument, "FAT: is a directory");
    if (offset >= file.m_size || length == 0)
        return static_cast<size_t>(0);
    u64 available = file.m_size - offset;
    if (length > available)
        length = static_cast<size_t>(available);

    auto* out = static_cast<u8*>(buffer);
    size_t done = 0;
    while (done < length) {
        u64 position = offset + done;
        u32 index = static_cast<u32>(position / m_bytes_per_cluster);
        u32 within = static_cast<u32>(position % m_bytes_per_cluster);
        u32 cluster = TRY(cluster_at(file, index));
        size_t chunk = lib::min<size_t>(length - done, m_bytes_per_cluster - within);
        u64 start = cluster_offset(cluster) + within;
        // Clusters that follow each other on disk become one transfer.
        while (done + chunk < length) {
            u32 next = TRY(cluster_at(file, index + 1));
            if (next != cluster + 1)
                break;
            ++index;
            cluster = next;
            chunk += lib::min<size_t>(length - done - chunk, m_bytes_per_cluster);
        }
        if (start > m_image_size || chunk > m_image_size - start)
            return Error(ErrorCode::Corrupt, "FAT: access beyond the end of the image");
        if (direct)
            TRY(m_store->read_direct(start, out + done, chunk));
        else
            TRY(read_bytes(start, out + done, chunk));
        done += chunk;
    }
    return done;
}

FatFile FatVolume::root() const
{
    FatFile file;
    file.m_volume = this;
    file.m_directory = true;
    if (m_type == FatType::Fat32) {
        file.m_first_cluster = m_root_cluster;
    } else {
        file.m_fixed_root = true;
    }
    return file;
}

// ---- directories -----------------------------------------------------------

namespace {

// Collects long-name entries (FAT spec, "FAT Long Directory Entries"): they
// precede their 8.3 entry in reverse order, the first one flagged 0x40, and
// each carries the 8.3 name's checksum. Anything inconsistent discards the
// long name, and the 8.3 name is used.
class LongNameAssembler {
public:
    void reset() { m_expected = 0; m_valid = false; }

    void add(const u8* raw)
    {
        u8 order = raw[0];
        u32 sequence = order & 0x1F;
        if (order & long_name_last) {
            if (sequence == 0 || sequence > long_name_max_entries) {
                reset();
                return;
            }
            m_checksum = raw[13];
            m_length = sequence * 13;
            for (u32 i = 0; i < m_length; ++i)
                m_units[i] = 0xFFFF;
        } else if (m_expected == 0 || sequence != m_expected || raw[13] != m_checksum) {
            reset();
            return;
        }
        static constexpr u8 offsets[13] = { 1, 3, 5, 7, 9, 14, 16, 18, 20, 22, 24, 28, 30 };
        u32 base = (sequence - 1) * 13;
        for (u32 i = 0; i < 13; ++i)
            m_units[base + i] = load16(raw + offsets[i]);
        m_expected = sequence - 1;
        m_valid = m_expected == 0;
    }

    // Writes the UTF-8 name into `out` when a complete long name for the 8.3
    // entry `short_name` was collected; returns its length or 0.
    size_t take(const u8* short_name, char* out, size_t capacity)
    {
        bool usable = m_valid && m_expected == 0 && short_name_checksum(short_name) == m_checksum;
        reset();
        if (!usable)
            return 0;
        size_t used = 0;
        for (u32 i = 0; i < m_length; ++i) {
            u16 unit = m_units[i];
            if (unit == 0x0000)
                break;
            if (unit == 0xFFFF)
                continue; // padding
            // UTF-16 to UTF-8: a surrogate pair is one character; an
            // unpaired half is passed through as if it were a character.
            u32 code = unit;
            if (unit >= 0xD800 && unit < 0xDC00 && i + 1 < m_length && m_units[i + 1] >= 0xDC00
                && m_units[i + 1] < 0xE000) {
                code = 0x10000 + ((static_cast<u32>(unit) - 0xD800) << 10) + (m_units[i + 1] - 0xDC00);
                ++i;
            }
            u8 encoded[4];
            size_t size;
            if (code < 0x80) {
                encoded[0] = static_cast<u8>(code);
                size = 1;
            } else if (code < 0x800) {
                encoded[0] = static_cast<u8>(0xC0 | (code >> 6));
                encoded[1] = static_cast<u8>(0x80 | (code & 0x3F));
                size = 2;
            } else if (code < 0x10000) {
                encoded[0] = static_cast<u8>(0xE0 | (code >> 12));
                encoded[1] = static_cast<u8>(0x80 | ((code >> 6) & 0x3F));
                encoded[2] = static_cast<u8>(0x80 | (code & 0x3F));
                size = 3;
            } else {
                encoded[0] = static_cast<u8>(0xF0 | (code >> 18));
                encoded[1] = static_cast<u8>(0x80 | ((code >> 12) & 0x3F));
                encoded[2] = static_cast<u8>(0x80 | ((code >> 6) & 0x3F));
                encoded[3] = static_cast<u8>(0x80 | (code & 0x3F));
                size = 4;
            }
            if (used + size >= capacity)
                return 0;
            for (size_t j = 0; j < size; ++j)
                out[used++] = static_cast<char>(encoded[j]);
        }
        return used;
    }

private:
    u16 m_units[long_name_max_units];
    u32 m_length { 0 };
    u32 m_expected { 0 };
    u8 m_checksum { 0 };
    bool m_valid { false };
};

// "NAME    EXT" → "NAME.EXT", honouring the lower-case flags that Windows NT
// (and mtools) keep in byte 12: 0x08 base, 0x10 extension.
size_t format_short_name(const u8* raw, char* out)
{
    u8 flags = raw[12];
    size_t used = 0;
    size_t base_end = 8;
    while (base_end > 0 && raw[base_end - 1] == ' ')
        --base_end;
    for (size_t i = 0; i < base_end; ++i) {
        char c = static_cast<char>(i == 0 && raw[0] == entry_kanji_e5 ? entry_deleted : raw[i]);
        if ((flags & 0x08) && c >= 'A' && c <= 'Z')
            c = static_cast<char>(c - 'A' + 'a');
        out[used++] = c;
    }
    size_t extension_end = 11;
    while (extension_end > 8 && raw[extension_end - 1] == ' ')
        --extension_end;
    if (extension_end > 8) {
        out[used++] = '.';
        for (size_t i = 8; i < extension_end; ++i) {
            char c = static_cast<char>(raw[i]);
            if ((flags & 0x10) && c >= 'A' && c <= 'Z')
                c = static_cast<char>(c - 'A' + 'a');
            out[used++] = c;
        }
    }
    return used;
}

} // namespace

ErrorOr<void> FatVolume::for_each_entry(const FatFile& directory, EntryVisitor visitor, void* context) const
{
    if (!directory.m_directory)
        return Error(ErrorCode::InvalidArgument, "FAT: not a directory");

    // The assembler holds 520 bytes of UCS-2 and the entry 770 bytes of
    // name; both live here for the duration of one directory scan.
    LongNameAssembler long_name;
    long_name.reset();
    DirectoryEntry entry;

    u32 entries_per_cluster = m_bytes_per_cluster / directory_entry_size;
    u32 cluster = directory.m_fixed_root ? 0 : directory.m_first_cluster;
    if (!directory.m_fixed_root && !is_data_cluster(cluster))
        return Error(ErrorCode::Corrupt, "FAT: directory start cluster out of range");
    u32 clusters_visited = 0;
    u32 long_name_start = 0;

    for (u32 index = 0;; ++index) {
        u64 offset;
        if (directory.m_fixed_root) {
            if (index >= m_root_entry_count)
                return {};
            offset = m_root_offset + static_cast<u64>(index) * directory_entry_size;
        } else {
            u32 within = index % entries_per_cluster;
            if (index > 0 && within == 0) {
                cluster = TRY(next_cluster(cluster));
                if (cluster == 0)
                    return {};
                // Bounded walk: a directory chain cannot be longer than the volume.
                if (++clusters_visited >= m_cluster_count)
                    return Error(ErrorCode::Corrupt, "FAT: directory cluster chain loops");
            }
            offset = cluster_offset(cluster) + static_cast<u64>(within) * directory_entry_size;
        }

        u8 raw[directory_entry_size];
        TRY(read_bytes(offset, raw, sizeof(raw)));
        if (raw[0] == entry_end)
            return {};
        if (raw[0] == entry_deleted) {
            long_name.reset();
            continue;
        }
        u8 attributes = raw[11];
        if ((attributes & 0x3F) == attribute_long_name) {
            if (raw[0] & long_name_last)
                long_name_start = index;
            long_name.add(raw);
            continue;
        }
        if (attributes & attribute_volume_id) {
            long_name.reset();
            continue;
        }

        entry.name_length = long_name.take(raw, entry.name, sizeof(entry.name));
        // With a long name, the 8.3 name is an alias that matches too.
        entry.short_name_length = entry.name_length ? format_short_name(raw, entry.short_name) : 0;
        entry.first_slot = entry.name_length ? long_name_start : index;
        if (entry.name_length == 0)
            entry.name_length = format_short_name(raw, entry.name);
        entry.slot = index;
        entry.offset = offset;
        __builtin_memcpy(entry.raw, raw, sizeof(raw));
        entry.is_directory = (attributes & attribute_directory) != 0;
        entry.first_cluster = static_cast<u32>(load16(raw + 26));
        if (m_type == FatType::Fat32)
            entry.first_cluster |= static_cast<u32>(load16(raw + 20)) << 16;
        entry.size = load32(raw + 28);
        entry.is_dot = raw[0] == '.' && (raw[1] == ' ' || (raw[1] == '.' && raw[2] == ' '));
        if (!visitor(context, entry))
            return {};
    }
}

ErrorOr<FatFile> FatVolume::open(StringView path) const
{
    FatFile current = root();
    size_t position = 0;
    // Each component descends one level; the path length bounds the walk.
    while (position < path.length()) {
        StringView rest = path.substring(position);
        size_t slash = rest.find('/');
        StringView component = rest.substring(0, slash);
        position += slash + 1;
        if (component.is_empty() || component == ".")
            continue;
        if (!current.m_directory)
            return Error(ErrorCode::NotFound, "FAT: a path component is not a directory");
        if (component.length() > 255)
            return Error(ErrorCode::NotFound, "FAT: name longer than 255 characters");

        // Copying the matched entry into `found` avoids keeping a pointer
        // into the scan's stack frame.
        struct Found {
            u32 first_cluster;
            u32 size;
            bool is_directory;
        } found {};
        struct Context {
            StringView wanted;
            bool matched;
            Found* found;
        } context { component, false, &found };
        TRY(for_each_entry(current, [](void* opaque, const DirectoryEntry& entry) {
            auto& search = *static_cast<Context*>(opaque);
            if (!entry.matches(search.wanted))
                return true;
            search.matched = true;
            *search.found = { entry.first_cluster, entry.size, entry.is_directory };
            return false;
        }, &context));
        if (!context.matched)
            return Error(ErrorCode::NotFound, "FAT: no such file or directory");

        if (found.is_directory && found.first_cluster == 0) {
            current = root();
            continue;
        }
        if (found.first_cluster != 0 && !is_data_cluster(found.first_cluster))
            return Error(ErrorCode::Corrupt, "FAT: directory entry points outside the volume");
        if (found.first_cluster == 0 && !found.is_directory && found.size != 0)
            return Error(ErrorCode::Corrupt, "FAT: non-empty file without clusters");
        if (!found.is_directory && found.size != 0)
            TRY(check_chain_length(found.first_cluster, found.size));
        FatFile next;
        next.m_volume = this;
        next.m_first_cluster = found.first_cluster;
        next.m_directory = found.is_directory;
        next.m_size = found.is_directory ? 0 : found.size;
        current = next;
    }
    return current;
}

ErrorOr<void> FatVolume::list(StringView path, FatListCallback callback, void* context) const
{
    FatFile directory = TRY(open(path));
    if (!directory.m_directory)
        return Error(ErrorCode::InvalidArgument, "FAT: not a directory");
    struct Context {
        FatListCallback callback;
        void* context;
    } forward { callback, context };
    return for_each_entry(directory, [](void* opaque, const DirectoryEntry& entry) {
        auto& target = *static_cast<Context*>(opaque);
        if (!entry.is_dot)
            target.callback(target.context, entry.name_view(), entry.is_directory ? 0 : entry.size, entry.is_directory);
        return true;
    }, &forward);
}

ErrorOr<void> FatVolume::list_entries(StringView path, FatEntryCallback callback, void* context) const
{
    FatFile directory = TRY(open(path));
    if (!directory.m_directory)
        return Error(ErrorCode::NotADirectory, "FAT: not a directory");
    struct Context {
        FatEntryCallback callback;
        void* context;
    } forward { callback, context };
    return for_each_entry(directory, [](void* opaque, const DirectoryEntry& entry) {
        auto& target = *static_cast<Context*>(opaque);
        return target.callback(target.context, entry.name_view(), entry.raw);
    }, &forward);
}

ErrorOr<void> FatVolume::entry_bytes(StringView path, u8* raw32) const
{
    bool root_path = true;
    for (size_t i = 0; i < path.length(); ++i) {
        if (path[i] != '/')
            root_path = false;
    }
    if (root_path) {
        __builtin_memset(raw32, 0, directory_entry_size);
        __builtin_memset(raw32, ' ', 11);
        raw32[11] = attribute_directory;
        return {};
    }
    // Resolve the parent, then scan it for the entry's own bytes.
    StringView rest = path;
    while (!rest.is_empty() && rest[rest.length() - 1] == '/')
        rest = rest.substring(0, rest.length() - 1);
    size_t slash = rest.length();
    for (size_t i = 0; i < rest.length(); ++i) {
        if (rest[i] == '/')
            slash = i;
    }
    StringView parent_path = slash < rest.length() ? rest.substring(0, slash) : StringView();
    StringView name = slash < rest.length() ? rest.substring(slash + 1) : rest;
    FatFile parent = TRY(open(parent_path));
    if (!parent.m_directory)
        return Error(ErrorCode::NotFound, "FAT: a path component is not a directory");
    struct Context {
        StringView wanted;
        u8* out;
        bool matched;
    } context { name, raw32, false };
    TRY(for_each_entry(parent, [](void* opaque, const DirectoryEntry& entry) {
        auto& search = *static_cast<Context*>(opaque);
        if (!entry.matches(search.wanted))
            return true;
        __builtin_memcpy(search.out, entry.raw, directory_entry_size);
        search.matched = true;
        return false;
    }, &context));
    if (!context.matched)
        return Error(ErrorCode::NotFound, "FAT: no such file or directory");
    return {};
}

} // namespace fs
