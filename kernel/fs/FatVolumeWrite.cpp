// Write support for FatVolume over a writable in-memory image: cluster
// allocation in every FAT copy, directory entries with long names, and the
// file and directory operations built on them.
//
// Ordering rule: clusters are allocated (marked end-of-chain and zeroed)
// before anything links to them, and unlinked before they are freed, so a
// failure part-way leaves at worst unused free space, never a broken chain
// or a directory entry pointing at free clusters.
#include "kernel/fs/FatLayout.h"
#include "kernel/fs/FatVolume.h"

#include "lib/New.h"
#include "lib/Utility.h"

namespace fs {

using namespace fat_layout;

namespace {

constexpr u32 fsinfo_free_count = 488;
constexpr u32 fsinfo_next_free = 492;
constexpr u32 max_file_size = 0xFFFFFFFFu;

bool is_forbidden_in_long_name(char c)
{
    return static_cast<u8>(c) < 0x20 || static_cast<u8>(c) == 0x7F || c == '"' || c == '*' || c == '/' || c == ':'
        || c == '<' || c == '>' || c == '?' || c == '\\' || c == '|';
}

// Long names are stored in UTF-16 (FAT spec, "FAT Long Directory Entries").
// Converts the UTF-8 `name` into `units`; false for malformed UTF-8 (overlong
// forms, surrogates, truncated sequences) or more than 255 units.
bool utf8_to_utf16(StringView name, u16* units, size_t& count)
{
    count = 0;
    for (size_t i = 0; i < name.length();) {
        u8 lead = static_cast<u8>(name[i]);
        u32 code = 0;
        size_t extra = 0;
        if (lead < 0x80) {
            code = lead;
        } else if ((lead & 0xE0) == 0xC0) {
            code = lead & 0x1F;
            extra = 1;
        } else if ((lead & 0xF0) == 0xE0) {
            code = lead & 0x0F;
            extra = 2;
        } else if ((lead & 0xF8) == 0xF0) {
            code = lead & 0x07;
            extra = 3;
        } else {
            return false;
        }
        if (extra > 0 && i + extra >= name.length())
            return false; // truncated sequence
        for (size_t k = 1; k <= extra; ++k) {
            u8 next = static_cast<u8>(name[i + k]);
            if ((next & 0xC0) != 0x80)
                return false;
            code = code << 6 | (next & 0x3F);
        }
        static constexpr u32 minimum[4] = { 0, 0x80, 0x800, 0x10000 };
        if (code < minimum[extra] || code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF))
            return false;
        i += extra + 1;
        if (code >= 0x10000) {
            if (count + 2 > 255)
                return false;
            code -= 0x10000;
            units[count++] = static_cast<u16>(0xD800 | code >> 10);
            units[count++] = static_cast<u16>(0xDC00 | (code & 0x3FF));
        } else {
            if (count + 1 > 255)
                return false;
            units[count++] = static_cast<u16>(code);
        }
    }
    return true;
}

// Characters allowed in an 8.3 name besides letters and digits (FAT spec,
// "DIR_Name" field rules).
bool is_short_special(char c)
{
    switch (c) {
    case '$': case '%': case '\'': case '-': case '_': case '@': case '~': case '`': case '!': case '(': case ')':
    case '{': case '}': case '^': case '#': case '&':
        return true;
    default:
        return false;
    }
}

bool is_upper(char c) { return c >= 'A' && c <= 'Z'; }
bool is_lower(char c) { return c >= 'a' && c <= 'z'; }
bool is_digit(char c) { return c >= '0' && c <= '9'; }

ErrorOr<void> validate_name(StringView name)
{
    if (name.is_empty() || name.length() > 255)
        return Error(ErrorCode::InvalidArgument, "FAT: name empty or longer than 255 characters");
    if (name == "." || name == "..")
        return Error(ErrorCode::InvalidArgument, "FAT: \".\" and \"..\" are reserved");
    for (size_t i = 0; i < name.length(); ++i) {
        if (is_forbidden_in_long_name(name[i]))
            return Error(ErrorCode::InvalidArgument, "FAT: invalid character in name");
    }
    u16 units[255];
    size_t unit_count;
    if (!utf8_to_utf16(name, units, unit_count))
        return Error(ErrorCode::InvalidArgument, "FAT: name is not valid UTF-8 or longer than 255 characters");
    char last = name[name.length() - 1];
    if (last == '.' || last == ' ')
        return Error(ErrorCode::InvalidArgument, "FAT: name ends in a dot or space");
    return {};
}

// Fills `out` (11 bytes, space-padded) when `name` is exactly representable
// as 8.3: one optional dot, base 1..8 and extension 0..3 short-name
// characters, each part in one case. Lower-case parts set the NT case flags
// (0x08 base, 0x10 extension) in `flags`.
bool exact_short_name(StringView name, u8* out, u8& flags)
{
    size_t dot = name.find('.');
    StringView base = name.substring(0, dot);
    StringView extension = dot < name.length() ? name.substring(dot + 1) : StringView();
    if (base.is_empty() || base.length() > 8 || extension.length() > 3 || extension.find('.') != extension.length())
        return false;
    flags = 0;
    auto part = [&](StringView text, u8* target, size_t width, u8 lower_flag) {
        bool upper = false;
        bool lower = false;
        for (size_t i = 0; i < width; ++i)
            target[i] = ' ';
        for (size_t i = 0; i < text.length(); ++i) {
            char c = text[i];
            if (!is_upper(c) && !is_lower(c) && !is_digit(c) && !is_short_special(c))
                return false;
            upper |= is_upper(c);
            lower |= is_lower(c);
            target[i] = static_cast<u8>(fold(c));
        }
        if (upper && lower)
            return false;
        if (lower)
            flags |= lower_flag;
        return true;
    };
    return part(base, out, 8, 0x08) && part(extension, out + 8, 3, 0x10);
}

// The lossy "basis name" of a long name (FAT spec, "Basis-Name Generation
// Algorithm"), with a "~N" numeric tail.
void numbered_short_name(StringView name, u32 number, u8* out)
{
    for (int i = 0; i < 11; ++i)
        out[i] = ' ';
    size_t last_dot = name.length();
    for (size_t i = 0; i < name.length(); ++i) {
        if (name[i] == '.')
            last_dot = i;
    }
    auto convert = [](char c) -> u8 {
        c = fold(c);
        if (is_upper(c) || is_digit(c) || is_short_special(c))
            return static_cast<u8>(c);
        return '_';
    };
    u8 base[8];
    size_t base_length = 0;
    for (size_t i = 0; i < last_dot && base_length < 8; ++i) {
        if (name[i] == ' ' || name[i] == '.' || (static_cast<u8>(name[i]) & 0xC0) == 0x80)
            continue;
        base[base_length++] = convert(name[i]);
    }
    if (base_length == 0)
        base[base_length++] = '_';
    size_t extension_length = 0;
    for (size_t i = last_dot + 1; i < name.length() && extension_length < 3; ++i) {
        if (name[i] == ' ' || (static_cast<u8>(name[i]) & 0xC0) == 0x80)
            continue;
        out[8 + extension_length++] = convert(name[i]);
    }

    char tail[8];
    size_t tail_length = 0;
    char digits[8];
    size_t digit_count = 0;
    for (u32 n = number; n > 0 && digit_count < sizeof(digits); n /= 10)
        digits[digit_count++] = static_cast<char>('0' + n % 10);
    tail[tail_length++] = '~';
    while (digit_count > 0)
        tail[tail_length++] = digits[--digit_count];
    size_t keep = lib::min(base_length, 8 - tail_length);
    for (size_t i = 0; i < keep; ++i)
        out[i] = base[i];
    for (size_t i = 0; i < tail_length; ++i)
        out[keep + i] = static_cast<u8>(tail[i]);
}

} // namespace

// Where a live entry is: its directory, its slots, and a copy of its bytes.
struct FatVolume::Location {
    FatFile directory;
    u32 first_slot;
    u32 slot;
    u64 offset;
    u8 raw[directory_entry_size];

    u32 first_cluster(FatType type) const
    {
        u32 cluster = load16(raw + 26);
        if (type == FatType::Fat32)
            cluster |= static_cast<u32>(load16(raw + 20)) << 16;
        return cluster;
    }
    void set_first_cluster(u32 cluster)
    {
        store16(raw + 26, static_cast<u16>(cluster));
        store16(raw + 20, static_cast<u16>(cluster >> 16));
    }
    bool is_directory() const { return raw[11] & attribute_directory; }
};

// ---- mounting and raw writes -------------------------------------------------

ErrorOr<void> FatVolume::write_bytes(u64 offset, const void* data, size_t length, Content content)
{
    if (!m_writable)
        return Error(ErrorCode::ReadOnly, "FAT: volume mounted read-only");
    if (offset > m_image_size || length > m_image_size - offset)
        return Error(ErrorCode::Corrupt, "FAT: write beyond the end of the image");
    ++m_generation;
    if (length == 0)
        return {};
    if (content == Content::FileData)
        return m_store->write_data(offset, data, length);
    return m_store->write(offset, data, length);
}

ErrorOr<void> FatVolume::fill_bytes(u64 offset, u8 value, size_t length, Content content)
{
    if (!m_writable)
        return Error(ErrorCode::ReadOnly, "FAT: volume mounted read-only");
    if (offset > m_image_size || length > m_image_size - offset)
        return Error(ErrorCode::Corrupt, "FAT: write beyond the end of the image");
    ++m_generation;
    if (length == 0)
        return {};
    if (content == Content::FileData)
        return m_store->fill_data(offset, value, length);
    return m_store->fill(offset, value, length);
}

void FatVolume::stamp(u8* raw, bool created) const
{
    u32 year = lib::min<u32>(lib::max<u32>(m_clock.year, 1980), 2107) - 1980;
    u32 month = lib::min<u32>(lib::max<u32>(m_clock.month, 1), 12);
    u32 day = lib::min<u32>(lib::max<u32>(m_clock.day, 1), 31);
    u16 date = static_cast<u16>(year << 9 | month << 5 | day);
    u16 time = static_cast<u16>(lib::min<u32>(m_clock.hour, 23) << 11 | lib::min<u32>(m_clock.minute, 59) << 5
        | lib::min<u32>(m_clock.second, 59) / 2);
    if (created) {
        raw[13] = static_cast<u8>((m_clock.second % 2) * 100);
        store16(raw + 14, time);
        store16(raw + 16, date);
    }
    store16(raw + 18, date); // last access: date only
    store16(raw + 22, time);
    store16(raw + 24, date);
}

// ---- the FAT -------------------------------------------------------------------

u32 FatVolume::end_of_chain() const
{
    return m_type == FatType::Fat12 ? 0xFFF : m_type == FatType::Fat16 ? 0xFFFF : 0x0FFFFFFF;
}

ErrorOr<u32> FatVolume::fat_entry(u32 cluster) const
{
    u8 bytes[4];
    switch (m_type) {
    case FatType::Fat12:
        TRY(read_bytes(m_fat_offset + cluster + cluster / 2, bytes, 2));
        return (cluster & 1) ? static_cast<u32>(load16(bytes) >> 4) : static_cast<u32>(load16(bytes) & 0x0FFF);
    case FatType::Fat16:
        TRY(read_bytes(m_fat_offset + static_cast<u64>(cluster) * 2, bytes, 2));
        return static_cast<u32>(load16(bytes));
    case FatType::Fat32:
    default:
        TRY(read_bytes(m_fat_offset + static_cast<u64>(cluster) * 4, bytes, 4));
        return load32(bytes) & 0x0FFFFFFF;
    }
}

ErrorOr<void> FatVolume::set_fat_entry(u32 cluster, u32 value)
{
    if (!is_data_cluster(cluster))
        return Error(ErrorCode::Corrupt, "FAT: setting an out-of-range cluster");
    // Cutting a link may invalidate the remembered chain position; claiming
    // a free cluster (the common case while appending) cannot.
    if ((value == 0 || value == end_of_chain()) && m_hint_cluster != 0 && is_data_cluster(TRY(fat_entry(cluster))))
        m_hint_cluster = 0;
    for (u32 copy = 0; copy < m_fat_count; ++copy) {
        u64 base = m_fat_offset + copy * m_fat_size;
        u8 bytes[4];
        switch (m_type) {
        case FatType::Fat12: {
            u64 offset = base + cluster + cluster / 2;
            TRY(read_bytes(offset, bytes, 2));
            u16 pair = load16(bytes);
            if (cluster & 1)
                pair = static_cast<u16>((pair & 0x000F) | (value & 0x0FFF) << 4);
            else
                pair = static_cast<u16>((pair & 0xF000) | (value & 0x0FFF));
            store16(bytes, pair);
            TRY(write_bytes(offset, bytes, 2));
            break;
        }
        case FatType::Fat16:
            store16(bytes, static_cast<u16>(value));
            TRY(write_bytes(base + static_cast<u64>(cluster) * 2, bytes, 2));
            break;
        case FatType::Fat32:
        default: {
            u64 offset = base + static_cast<u64>(cluster) * 4;
            TRY(read_bytes(offset, bytes, 4));
            // The top four bits are reserved: keep them.
            store32(bytes, (load32(bytes) & 0xF0000000) | (value & 0x0FFFFFFF));
            TRY(write_bytes(offset, bytes, 4));
            break;
        }
        }
    }
    return {};
}

ErrorOr<u32> FatVolume::free_cluster_count() const
{
    u32 count = 0;
    for (u32 cluster = 2; cluster - 2 < m_cluster_count; ++cluster) {
        if (TRY(fat_entry(cluster)) == 0)
            ++count;
    }
    return count;
}

void FatVolume::adjust_free_count(i64 delta)
{
    if (!m_fsinfo_offset)
        return;
    u8 bytes[4];
    if (read_bytes(m_fsinfo_offset + fsinfo_free_count, bytes, 4).is_error())
        return;
    u32 count = load32(bytes);
    if (count == 0xFFFFFFFF || count > m_cluster_count)
        return; // unknown: leave it for the next fsck to compute
    store32(bytes, static_cast<u32>(static_cast<i64>(count) + delta));
    (void)write_bytes(m_fsinfo_offset + fsinfo_free_count, bytes, 4);
    store32(bytes, m_next_free_hint);
    (void)write_bytes(m_fsinfo_offset + fsinfo_next_free, bytes, 4);
}

ErrorOr<u32> FatVolume::allocate_chain(u32 count, Content content)
{
    if (count == 0)
        return Error(ErrorCode::InvalidArgument, "FAT: allocating no clusters");
    if (!m_writable)
        return Error(ErrorCode::ReadOnly, "FAT: volume mounted read-only");
    // First find them all, so running out changes nothing.
    u32 found = 0;
    u32 start = is_data_cluster(m_next_free_hint) ? m_next_free_hint : 2;
    for (u32 step = 0; step < m_cluster_count && found < count; ++step) {
        u32 cluster = 2 + (start - 2 + step) % m_cluster_count;
        if (TRY(fat_entry(cluster)) == 0)
            ++found;
    }
    if (found < count)
        return Error(fat_no_space, "FAT: no space left on the volume");

    // Link them back to front: each newly taken cluster points at the one
    // taken after it, the last one ends the chain.
    u32 first = 0;
    u32 previous = 0;
    u32 taken = 0;
    for (u32 step = 0; taken < count; ++step) {
        u32 cluster = 2 + (start - 2 + step) % m_cluster_count;
        if (TRY(fat_entry(cluster)) != 0)
            continue;
        // A file's new cluster is free on the device until the FAT says
        // otherwise, so its zeros may go out early (FileData); a directory's
        // zeros are its (empty) entries, so they wait for the flush.
        TRY(fill_bytes(cluster_offset(cluster), 0, m_bytes_per_cluster, content));
        TRY(set_fat_entry(cluster, end_of_chain()));
        if (previous)
            TRY(set_fat_entry(previous, cluster));
        else
            first = cluster;
        previous = cluster;
        ++taken;
        m_next_free_hint = is_data_cluster(cluster + 1) ? cluster + 1 : 2;
    }
    adjust_free_count(-static_cast<i64>(count));
    return first;
}

ErrorOr<void> FatVolume::free_chain(u32 first)
{
    u32 cluster = first;
    u32 freed = 0;
    while (cluster != 0) {
        if (freed >= m_cluster_count)
            return Error(ErrorCode::Corrupt, "FAT: freeing a looping chain");
        u32 next = TRY(next_cluster(cluster));
        TRY(set_fat_entry(cluster, 0));
        ++freed;
        cluster = next;
    }
    adjust_free_count(freed);
    return {};
}

// ---- directory slots -----------------------------------------------------------

ErrorOr<u64> FatVolume::slot_offset(const FatFile& directory, u32 slot) const
{
    if (directory.m_fixed_root) {
        if (slot >= m_root_entry_count)
            return static_cast<u64>(0);
        return m_root_offset + static_cast<u64>(slot) * directory_entry_size;
    }
    u32 per_cluster = m_bytes_per_cluster / directory_entry_size;
    u32 cluster = directory.m_first_cluster;
    u32 hops = slot / per_cluster;
    if (hops >= m_cluster_count)
        return static_cast<u64>(0);
    for (u32 i = 0; i < hops; ++i) {
        cluster = TRY(next_cluster(cluster));
        if (cluster == 0)
            return static_cast<u64>(0);
    }
    return cluster_offset(cluster) + static_cast<u64>(slot % per_cluster) * directory_entry_size;
}

ErrorOr<FatFile> FatVolume::parent_of(StringView path, StringView& name) const
{
    while (!path.is_empty() && path[path.length() - 1] == '/')
        path = path.substring(0, path.length() - 1);
    size_t slash = path.length();
    for (size_t i = 0; i < path.length(); ++i) {
        if (path[i] == '/')
            slash = i;
    }
    StringView parent_path = slash < path.length() ? path.substring(0, slash) : StringView();
    name = slash < path.length() ? path.substring(slash + 1) : path;
    FatFile parent = TRY(open(parent_path));
    if (!parent.m_directory)
        return Error(ErrorCode::NotFound, "FAT: parent is not a directory");
    return parent;
}

ErrorOr<void> FatVolume::locate(StringView path, Location& location) const
{
    StringView name;
    location.directory = TRY(parent_of(path, name));
    if (name.is_empty() || name == "." || name == "..")
        return Error(ErrorCode::InvalidArgument, "FAT: not a plain entry (root, \".\" or \"..\")");
    struct Context {
        StringView wanted;
        Location* location;
        bool matched;
    } context { name, &location, false };
    TRY(for_each_entry(location.directory, [](void* opaque, const DirectoryEntry& entry) {
        auto& search = *static_cast<Context*>(opaque);
        if (entry.is_dot || !entry.matches(search.wanted))
            return true;
        search.matched = true;
        search.location->first_slot = entry.first_slot;
        search.location->slot = entry.slot;
        search.location->offset = entry.offset;
        __builtin_memcpy(search.location->raw, entry.raw, directory_entry_size);
        return false;
    }, &context));
    if (!context.matched)
        return Error(ErrorCode::NotFound, "FAT: no such file or directory");
    return {};
}

ErrorOr<bool> FatVolume::short_name_taken(const FatFile& directory, const u8* short_name) const
{
    struct Context {
        const u8* wanted;
        bool taken;
    } context { short_name, false };
    TRY(for_each_entry(directory, [](void* opaque, const DirectoryEntry& entry) {
        auto& search = *static_cast<Context*>(opaque);
        for (int i = 0; i < 11; ++i) {
            if (entry.raw[i] != search.wanted[i])
                return true;
        }
        search.taken = true;
        return false;
    }, &context));
    return context.taken;
}

// Writes the long-name entries (if needed) and the 8.3 entry for `name` into
// free slots of `directory`, growing a cluster-chained directory by one
// cluster when no run of free slots is long enough. `template_entry` supplies
// bytes 11..31 (attributes, times, cluster, size); the caller has checked
// that no entry is called `name` yet.
ErrorOr<void> FatVolume::add_entry(FatFile& directory, StringView name, const u8* template_entry)
{
    u8 entry[directory_entry_size];
    __builtin_memcpy(entry, template_entry, directory_entry_size);
    u8 flags = 0;
    bool long_name = !exact_short_name(name, entry, flags);
    if (long_name) {
        // The smallest free "~N" tail. One pass over the directory marks the
        // tails of this basis that are taken, up to tail_limit; testing
        // number after number with a pass each made creating many similar
        // names (file0001.txt, file0002.txt, ...) cost a cube of their count.
        constexpr u32 tail_limit = 4096;
        struct Tails {
            StringView name;
            u8 taken[tail_limit / 8];
            bool is_taken(u32 number) const { return (taken[number / 8] >> (number % 8)) & 1; }
        } tails { name, {} };
        TRY(for_each_entry(directory, [](void* opaque, const DirectoryEntry& found) {
            auto& tails = *static_cast<Tails*>(opaque);
            u32 tilde = 0;
            while (tilde < 8 && found.raw[tilde] != '~')
                ++tilde;
            u32 number = 0;
            for (u32 i = tilde + 1; i < 8 && found.raw[i] >= '0' && found.raw[i] <= '9' && number < tail_limit; ++i)
                number = number * 10 + (found.raw[i] - '0');
            if (tilde == 8 || number == 0 || number >= tail_limit)
                return true;
            u8 candidate[11];
            numbered_short_name(tails.name, number, candidate);
            if (__builtin_memcmp(candidate, found.raw, 11) == 0)
                tails.taken[number / 8] = static_cast<u8>(tails.taken[number / 8] | 1u << (number % 8));
            return true;
        }, &tails));
        u32 number = 1;
        while (number < tail_limit && tails.is_taken(number))
            ++number;
        numbered_short_name(name, number, entry);
        // Beyond the marked range, each number is tested on its own.
        while (number >= tail_limit && TRY(short_name_taken(directory, entry))) {
            if (++number > 999999)
                return Error(fat_no_space, "FAT: no free short name for this long name");
            numbered_short_name(name, number, entry);
        }
        entry[12] = 0;
    } else {
        if (TRY(short_name_taken(directory, entry)))
            return Error(ErrorCode::AlreadyExists, "FAT: 8.3 name already in use");
        entry[12] = flags;
    }
    u16 units[255];
    size_t unit_count = 0;
    if (!utf8_to_utf16(name, units, unit_count))
        return Error(ErrorCode::InvalidArgument, "FAT: name is not valid UTF-8");
    u32 long_entries = long_name ? static_cast<u32>((unit_count + 12) / 13) : 0;
    u32 needed = long_entries + 1;

    // Find a run of `needed` free slots, following the chain once (a
    // slot_offset() per slot walks it from the start each time: quadratic,
    // and over a looping chain as good as a hang).
    u32 slots_per_cluster = m_bytes_per_cluster / directory_entry_size;
    u32 cluster = directory.m_first_cluster; // the cluster holding `slot`
    u32 clusters_visited = 1;
    if (!directory.m_fixed_root && !is_data_cluster(cluster))
        return Error(ErrorCode::Corrupt, "FAT: directory start cluster out of range");
    u32 run_start = 0;
    u32 run_length = 0;
    u32 slot = 0;
    for (;; ++slot) {
        u64 offset;
        if (directory.m_fixed_root) {
            if (slot >= m_root_entry_count)
                break;
            offset = m_root_offset + static_cast<u64>(slot) * directory_entry_size;
        } else {
            if (slot > 0 && slot % slots_per_cluster == 0) {
                u32 next = TRY(next_cluster(cluster));
                if (next == 0)
                    break; // `cluster` is the chain's last
                if (++clusters_visited > m_cluster_count)
                    return Error(ErrorCode::Corrupt, "FAT: directory cluster chain loops");
                cluster = next;
            }
            offset = cluster_offset(cluster) + static_cast<u64>(slot % slots_per_cluster) * directory_entry_size;
        }
        u8 first;
        TRY(read_bytes(offset, &first, 1));
        if (first == entry_end || first == entry_deleted) {
            if (run_length == 0)
                run_start = slot;
            if (++run_length == needed)
                break;
        } else {
            run_length = 0;
        }
    }
    if (run_length < needed) {
        if (directory.m_fixed_root)
            return Error(fat_no_space, "FAT: root directory full");
        if (needed > slots_per_cluster + run_length)
            return Error(fat_no_space, "FAT: name needs more slots than a cluster");
        u32 added = TRY(allocate_chain(1, Content::Metadata));
        TRY(set_fat_entry(cluster, added));
        if (run_length == 0)
            run_start = slot;
    }

    u8 checksum = short_name_checksum(entry);
    for (u32 i = 0; i < long_entries; ++i) {
        u32 sequence = long_entries - i; // written from the last part down
        u8 raw[directory_entry_size];
        __builtin_memset(raw, 0, sizeof(raw));
        raw[0] = static_cast<u8>(sequence | (i == 0 ? long_name_last : 0));
        raw[11] = attribute_long_name;
        raw[13] = checksum;
        static constexpr u8 offsets[13] = { 1, 3, 5, 7, 9, 14, 16, 18, 20, 22, 24, 28, 30 };
        for (u32 j = 0; j < 13; ++j) {
            size_t position = (sequence - 1) * 13 + j;
            u16 unit = position < unit_count ? units[position]
                : position == unit_count    ? 0x0000
                                            : 0xFFFF;
            store16(raw + offsets[j], unit);
        }
        u64 offset = TRY(slot_offset(directory, run_start + i));
        TRY(write_bytes(offset, raw, sizeof(raw)));
    }
    u64 offset = TRY(slot_offset(directory, run_start + long_entries));
    TRY(write_bytes(offset, entry, sizeof(entry)));
    return {};
}

ErrorOr<void> FatVolume::mark_deleted(const FatFile& directory, u32 first_slot, u32 last_slot)
{
    const u8 deleted = entry_deleted;
    for (u32 slot = first_slot; slot <= last_slot; ++slot) {
        u64 offset = TRY(slot_offset(directory, slot));
        if (offset == 0)
            return Error(ErrorCode::Corrupt, "FAT: directory slot vanished");
        TRY(write_bytes(offset, &deleted, 1));
    }
    return {};
}

// ---- operations ------------------------------------------------------------------

ErrorOr<void> FatVolume::create_file(StringView path)
{
    if (!m_writable)
        return Error(ErrorCode::ReadOnly, "FAT: volume mounted read-only");
    StringView name;
    FatFile parent = TRY(parent_of(path, name));
    TRY(validate_name(name));
    Location existing;
    if (!locate(path, existing).is_error())
        return Error(ErrorCode::AlreadyExists, "FAT: name exists");
    u8 entry[directory_entry_size] {};
    entry[11] = 0x20; // archive
    stamp(entry, true);
    return add_entry(parent, name, entry);
}

ErrorOr<void> FatVolume::create_directory(StringView path)
{
    if (!m_writable)
        return Error(ErrorCode::ReadOnly, "FAT: volume mounted read-only");
    StringView name;
    FatFile parent = TRY(parent_of(path, name));
    TRY(validate_name(name));
    Location existing;
    if (!locate(path, existing).is_error())
        return Error(ErrorCode::AlreadyExists, "FAT: name exists");

    u32 cluster = TRY(allocate_chain(1, Content::Metadata));
    u8 entry[directory_entry_size] {};
    entry[11] = attribute_directory;
    stamp(entry, true);
    // "." points at the new directory, ".." at the parent (0 for the root,
    // also on FAT32; FAT spec, "FAT Directory Structure").
    u8 dot[directory_entry_size];
    __builtin_memcpy(dot, entry, sizeof(dot));
    __builtin_memset(dot, ' ', 11);
    dot[0] = '.';
    store16(dot + 26, static_cast<u16>(cluster));
    store16(dot + 20, static_cast<u16>(cluster >> 16));
    u8 dotdot[directory_entry_size];
    __builtin_memcpy(dotdot, dot, sizeof(dotdot));
    dotdot[1] = '.';
    u32 parent_cluster = parent.m_fixed_root || parent.m_first_cluster == m_root_cluster ? 0 : parent.m_first_cluster;
    store16(dotdot + 26, static_cast<u16>(parent_cluster));
    store16(dotdot + 20, static_cast<u16>(parent_cluster >> 16));
    TRY(write_bytes(cluster_offset(cluster), dot, sizeof(dot)));
    TRY(write_bytes(cluster_offset(cluster) + directory_entry_size, dotdot, sizeof(dotdot)));

    store16(entry + 26, static_cast<u16>(cluster));
    store16(entry + 20, static_cast<u16>(cluster >> 16));
    auto added = add_entry(parent, name, entry);
    if (added.is_error()) {
        TRY(free_chain(cluster));
        return added.error();
    }
    return {};
}

// Grows or shrinks the file at `location` to `new_size`, updating its entry.
ErrorOr<void> FatVolume::resize(Location& location, u64 new_size)
{
    if (new_size > max_file_size)
        return Error(fat_no_space, "FAT: file size limit is 4 GiB - 1");
    u32 old_size = load32(location.raw + 28);
    u32 first = location.first_cluster(m_type);
    u64 old_clusters = (static_cast<u64>(old_size) + m_bytes_per_cluster - 1) / m_bytes_per_cluster;
    u64 new_clusters = (new_size + m_bytes_per_cluster - 1) / m_bytes_per_cluster;
    if (first == 0) {
        old_clusters = 0;
    } else {
        // The chain must hold exactly the clusters the old size needs (the
        // walk reuses the remembered position, so appending stays cheap).
        if (!is_data_cluster(first))
            return Error(ErrorCode::Corrupt, "FAT: directory entry points outside the volume");
        FatFile file;
        file.m_volume = this;
        file.m_first_cluster = first;
        u32 last = TRY(cluster_at(file, static_cast<u32>(lib::max<u64>(old_clusters, 1) - 1)));
        if (TRY(next_cluster(last)) != 0)
            return Error(ErrorCode::Corrupt, "FAT: cluster chain longer than the file (or looping)");
        if (old_clusters == 0)
            old_clusters = 1; // an empty file that owns a cluster keeps it
    }

    if (new_size > old_size && old_clusters > 0 && (old_size % m_bytes_per_cluster || old_size == 0)) {
        // Bytes past the old end in its last cluster must read as zeros.
        FatFile file;
        file.m_volume = this;
        file.m_first_cluster = first;
        u32 last = TRY(cluster_at(file, static_cast<u32>(old_clusters - 1)));
        u32 used = old_size % m_bytes_per_cluster;
        TRY(fill_bytes(cluster_offset(last) + used, 0, m_bytes_per_cluster - used, Content::FileData));
    }

    if (new_clusters > old_clusters) {
        u32 added = TRY(allocate_chain(static_cast<u32>(new_clusters - old_clusters), Content::FileData));
        if (old_clusters == 0) {
            location.set_first_cluster(added);
        } else {
            FatFile file;
            file.m_volume = this;
            file.m_first_cluster = first;
            u32 last = TRY(cluster_at(file, static_cast<u32>(old_clusters - 1)));
            TRY(set_fat_entry(last, added));
        }
    }
    u32 to_free = 0;
    if (new_clusters < old_clusters) {
        if (new_clusters == 0) {
            to_free = first;
            location.set_first_cluster(0);
        } else {
            FatFile file;
            file.m_volume = this;
            file.m_first_cluster = first;
            u32 last = TRY(cluster_at(file, static_cast<u32>(new_clusters - 1)));
            to_free = TRY(next_cluster(last));
            TRY(set_fat_entry(last, end_of_chain()));
        }
    }
    store32(location.raw + 28, static_cast<u32>(new_size));
    location.raw[11] |= 0x20; // archive
    stamp(location.raw, false);
    TRY(write_bytes(location.offset, location.raw, directory_entry_size));
    if (to_free)
        TRY(free_chain(to_free));
    return {};
}

ErrorOr<void> FatVolume::write(StringView path, u64 offset, const void* data, size_t length, bool direct)
{
    if (!m_writable)
        return Error(ErrorCode::ReadOnly, "FAT: volume mounted read-only");
    Location location;
    TRY(locate(path, location));
    if (location.is_directory())
        return Error(ErrorCode::InvalidArgument, "FAT: is a directory");
    if (offset > max_file_size || length > max_file_size - offset)
        return Error(fat_no_space, "FAT: file size limit is 4 GiB - 1");
    u64 end = offset + length;
    if (end > load32(location.raw + 28))
        TRY(resize(location, end));
    else if (length == 0)
        return {};

    FatFile file;
    file.m_volume = this;
    file.m_first_cluster = location.first_cluster(m_type);
    auto const* in = static_cast<const u8*>(data);
    size_t done = 0;
    while (done < length) {
        u64 position = offset + done;
        u32 index = static_cast<u32>(position / m_bytes_per_cluster);
        u32 cluster = TRY(cluster_at(file, index));
        u32 within = static_cast<u32>(position % m_bytes_per_cluster);
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
        if (direct) {
            if (start > m_image_size || chunk > m_image_size - start)
                return Error(ErrorCode::Corrupt, "FAT: write beyond the end of the image");
            TRY(m_store->write_direct(start, in + done, chunk));
        } else {
            TRY(write_bytes(start, in + done, chunk, Content::FileData));
        }
        done += chunk;
    }
    if (end <= load32(location.raw + 28)) {
        stamp(location.raw, false);
        location.raw[11] |= 0x20;
        TRY(write_bytes(location.offset, location.raw, directory_entry_size));
    }
    return {};
}

ErrorOr<void> FatVolume::truncate(StringView path, u64 size)
{
    if (!m_writable)
        return Error(ErrorCode::ReadOnly, "FAT: volume mounted read-only");
    Location location;
    TRY(locate(path, location));
    if (location.is_directory())
        return Error(ErrorCode::InvalidArgument, "FAT: is a directory");
    return resize(location, size);
}

ErrorOr<void> FatVolume::remove_file(StringView path)
{
    if (!m_writable)
        return Error(ErrorCode::ReadOnly, "FAT: volume mounted read-only");
    Location location;
    TRY(locate(path, location));
    if (location.is_directory())
        return Error(ErrorCode::InvalidArgument, "FAT: is a directory");
    u32 first = location.first_cluster(m_type);
    if (first != 0 && !is_data_cluster(first))
        return Error(ErrorCode::Corrupt, "FAT: directory entry points outside the volume");
    TRY(mark_deleted(location.directory, location.first_slot, location.slot));
    if (first)
        TRY(free_chain(first));
    return {};
}

ErrorOr<void> FatVolume::remove_directory(StringView path)
{
    if (!m_writable)
        return Error(ErrorCode::ReadOnly, "FAT: volume mounted read-only");
    Location location;
    TRY(locate(path, location));
    if (!location.is_directory())
        return Error(ErrorCode::InvalidArgument, "FAT: not a directory");
    u32 first = location.first_cluster(m_type);
    if (!is_data_cluster(first))
        return Error(ErrorCode::Corrupt, "FAT: directory without clusters");
    FatFile directory;
    directory.m_volume = this;
    directory.m_directory = true;
    directory.m_first_cluster = first;
    bool empty = true;
    TRY(for_each_entry(directory, [](void* opaque, const DirectoryEntry& entry) {
        if (entry.is_dot)
            return true;
        *static_cast<bool*>(opaque) = false;
        return false;
    }, &empty));
    if (!empty)
        return Error(fat_not_empty, "FAT: directory not empty");
    TRY(mark_deleted(location.directory, location.first_slot, location.slot));
    TRY(free_chain(first));
    // The freed clusters may soon hold a file's data, which a buffering
    // store writes back early: the device must stop calling them a
    // directory first.
    return m_store->flush();
}

ErrorOr<void> FatVolume::rename(StringView path, StringView new_name)
{
    if (!m_writable)
        return Error(ErrorCode::ReadOnly, "FAT: volume mounted read-only");
    TRY(validate_name(new_name));
    if (new_name.find('/') != new_name.length())
        return Error(ErrorCode::InvalidArgument, "FAT: rename only within a directory");
    Location location;
    TRY(locate(path, location));

    // Look the new name up in the same directory; finding the entry itself
    // (a change of case only) is allowed.
    struct Context {
        StringView wanted;
        u32 slot;
        bool clash;
    } context { new_name, location.slot, false };
    TRY(for_each_entry(location.directory, [](void* opaque, const DirectoryEntry& entry) {
        auto& search = *static_cast<Context*>(opaque);
        if (!entry.is_dot && entry.slot != search.slot && entry.matches(search.wanted)) {
            search.clash = true;
            return false;
        }
        return true;
    }, &context));
    if (context.clash)
        return Error(ErrorCode::AlreadyExists, "FAT: name exists");

    // Remove the old slots first so a case-only rename does not clash with
    // its own 8.3 name; if the new entry cannot be written, put them back.
    u8 saved_first[long_name_max_entries + 1];
    u32 slots = location.slot - location.first_slot + 1;
    if (slots > sizeof(saved_first))
        return Error(ErrorCode::Corrupt, "FAT: too many long-name entries");
    for (u32 i = 0; i < slots; ++i) {
        u64 offset = TRY(slot_offset(location.directory, location.first_slot + i));
        TRY(read_bytes(offset, &saved_first[i], 1));
    }
    TRY(mark_deleted(location.directory, location.first_slot, location.slot));
    auto added = add_entry(location.directory, new_name, location.raw);
    if (added.is_error()) {
        for (u32 i = 0; i < slots; ++i) {
            u64 offset = TRY(slot_offset(location.directory, location.first_slot + i));
            TRY(write_bytes(offset, &saved_first[i], 1));
        }
        return added.error();
    }
    return {};
}

ErrorOr<void> FatVolume::move(StringView path, StringView new_path)
{
    if (!m_writable)
        return Error(ErrorCode::ReadOnly, "FAT: volume mounted read-only");
    Location location;
    TRY(locate(path, location));
    StringView new_name;
    FatFile new_parent = TRY(parent_of(new_path, new_name));
    TRY(validate_name(new_name));
    bool same_directory = new_parent.m_fixed_root == location.directory.m_fixed_root
        && new_parent.m_first_cluster == location.directory.m_first_cluster;
    if (same_directory)
        return rename(path, new_name);

    Location existing;
    if (!locate(new_path, existing).is_error())
        return Error(ErrorCode::AlreadyExists, "FAT: name exists");

    u32 first = location.first_cluster(m_type);
    if (location.is_directory()) {
        // A directory cannot move below itself: walk up from the new parent
        // through the ".." entries (bounded by the cluster count).
        u32 cursor = new_parent.m_fixed_root ? 0 : new_parent.m_first_cluster;
        for (u32 hops = 0; cursor != 0 && cursor != m_root_cluster; ++hops) {
            if (cursor == first)
                return Error(ErrorCode::InvalidArgument, "FAT: moving a directory into itself");
            if (hops >= m_cluster_count || !is_data_cluster(cursor))
                return Error(ErrorCode::Corrupt, "FAT: directory parents loop");
            u8 dotdot[directory_entry_size];
            TRY(read_bytes(cluster_offset(cursor) + directory_entry_size, dotdot, sizeof(dotdot)));
            if (dotdot[0] != '.' || dotdot[1] != '.')
                return Error(ErrorCode::Corrupt, "FAT: directory without a \"..\" entry");
            cursor = load16(dotdot + 26);
            if (m_type == FatType::Fat32)
                cursor |= static_cast<u32>(load16(dotdot + 20)) << 16;
        }
    }

    // Add the new entry first, then remove the old one: a failure in
    // between leaves two names for one file (fsck repairs that), never none.
    TRY(add_entry(new_parent, new_name, location.raw));
    TRY(mark_deleted(location.directory, location.first_slot, location.slot));
    if (location.is_directory() && is_data_cluster(first)) {
        u8 dotdot[directory_entry_size];
        u64 offset = cluster_offset(first) + directory_entry_size;
        TRY(read_bytes(offset, dotdot, sizeof(dotdot)));
        if (dotdot[0] == '.' && dotdot[1] == '.') {
            u32 parent_cluster = new_parent.m_fixed_root || new_parent.m_first_cluster == m_root_cluster ? 0 : new_parent.m_first_cluster;
            store16(dotdot + 26, static_cast<u16>(parent_cluster));
            store16(dotdot + 20, static_cast<u16>(parent_cluster >> 16));
            TRY(write_bytes(offset, dotdot, sizeof(dotdot)));
        }
    }
    return {};
}

namespace {

u16 encode_date(const FatTimestamp& stamp)
{
    u32 year = lib::min<u32>(lib::max<u32>(stamp.year, 1980), 2107) - 1980;
    u32 month = lib::min<u32>(lib::max<u32>(stamp.month, 1), 12);
    u32 day = lib::min<u32>(lib::max<u32>(stamp.day, 1), 31);
    return static_cast<u16>(year << 9 | month << 5 | day);
}

u16 encode_time(const FatTimestamp& stamp)
{
    return static_cast<u16>(lib::min<u32>(stamp.hour, 23) << 11 | lib::min<u32>(stamp.minute, 59) << 5
        | lib::min<u32>(stamp.second, 59) / 2);
}

} // namespace

ErrorOr<void> FatVolume::set_entry_info(StringView path, u8 attributes, const FatTimestamp& created,
    const FatTimestamp& accessed, const FatTimestamp& modified)
{
    if (!m_writable)
        return Error(ErrorCode::ReadOnly, "FAT: volume mounted read-only");
    Location location;
    TRY(locate(path, location));
    constexpr u8 settable = attribute_read_only | attribute_hidden | attribute_system | 0x20;
    location.raw[11] = static_cast<u8>((location.raw[11] & ~settable) | (attributes & settable));
    location.raw[13] = static_cast<u8>((created.second % 2) * 100);
    store16(location.raw + 14, encode_time(created));
    store16(location.raw + 16, encode_date(created));
    store16(location.raw + 18, encode_date(accessed));
    store16(location.raw + 22, encode_time(modified));
    store16(location.raw + 24, encode_date(modified));
    return write_bytes(location.offset, location.raw, directory_entry_size);
}

} // namespace fs
