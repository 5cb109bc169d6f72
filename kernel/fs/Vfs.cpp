#include "kernel/fs/Vfs.h"

#include "kernel/fs/BlockCache.h"
#include "kernel/fs/BlockDevice.h"
#include "kernel/fs/FatFileSource.h"
#include "kernel/fs/FatFormat.h"
#include "kernel/fs/FatLayout.h"
#include "kernel/fs/Partition.h"
#include "lib/Format.h"
#include "lib/New.h"
#include "lib/Utility.h"

#ifndef COLIBRI_HOST
#    include "kernel/debug/Log.h"
#    include "kernel/task/Mutex.h"
#endif

namespace fs {

namespace {

using namespace fat_layout;

// ---- locking and logging (kernel vs. host tests) -----------------------------------

#ifdef COLIBRI_HOST
struct Lock {
    void lock() { }
    void unlock() { }
};
Lock s_lock;
[[gnu::format(printf, 1, 2)]] void vfs_log(const char*, ...) { }
#    define VFS_LOG(...) vfs_log(__VA_ARGS__)
#else
task::Mutex s_lock("vfs");
#    define VFS_LOG(...) kernel::log_info(__VA_ARGS__)
#endif

void relieve_cache_pressure_locked();

// Nesting depth of Lockers on the holding thread (the mutex is recursive).
u32 s_lock_depth;

// Takes the VFS lock. The outermost Locker, before it lets go, relieves any
// disk cache that is half full of dirty blocks: it writes back the file data
// alone, or flushes the volume when metadata is what fills it. Between two
// calls every volume is consistent, so a flush here puts a consistent state
// on the disk, where one in the middle of an operation could not (say after
// a cluster was allocated and before the directory entry points to it); the
// cache itself never writes metadata back on its own unless nothing but
// metadata is dirty (see kernel/fs/BlockCache.h).
class Locker {
public:
    Locker()
    {
        s_lock.lock();
        ++s_lock_depth;
    }
    ~Locker()
    {
        if (s_lock_depth == 1)
            relieve_cache_pressure_locked();
        --s_lock_depth;
        s_lock.unlock();
    }
    Locker(const Locker&) = delete;
    Locker& operator=(const Locker&) = delete;
};

// ---- mounts --------------------------------------------------------------------------

struct Mount {
    char device_name[8];  // "rd", "hd0", "tmp0": the first path component
    char number[4];       // "1", "2": the second
    char device_label[16]; // what the shell's `mount` shows: "ram0", "ata0p1"
    FatVolume* volume { nullptr };
    ByteStore* store { nullptr };      // owned
    BlockCache* cache { nullptr };     // the store of a disk volume, else null
    BlockDevice* partition { nullptr }; // owned (a PartitionDevice), may be null
    u8* owned_image { nullptr };       // owned RAM disk memory, may be null
    bool in_memory { false };          // the store is plain memory (no cache)
};

constexpr u32 max_mounts = 24;
Mount s_mounts[max_mounts];
u32 s_mount_count;
FatTimestamp (*s_clock)();

// Each disk volume's cache: 512 blocks of 4 KiB (2 MiB).
constexpr u32 disk_cache_block_size = 4096;
constexpr u32 disk_cache_blocks = 512;

void relieve_cache_pressure_locked()
{
    for (u32 i = 0; i < s_mount_count; ++i) {
        Mount& mount = s_mounts[i];
        if (!mount.cache)
            continue;
        BlockCacheStatistics statistics = mount.cache->statistics();
        if (statistics.dirty_blocks < disk_cache_blocks / 2)
            continue;
        // A failure leaves the blocks dirty; the next sync reports it.
        if (statistics.dirty_metadata_blocks < disk_cache_blocks / 4)
            (void)mount.cache->write_back_data();
        else
            (void)mount.volume->flush();
    }
}

bool equal_ignoring_case(StringView a, StringView b)
{
    if (a.length() != b.length())
        return false;
    for (size_t i = 0; i < a.length(); ++i) {
        char x = a[i] >= 'A' && a[i] <= 'Z' ? static_cast<char>(a[i] + 32) : a[i];
        char y = b[i] >= 'A' && b[i] <= 'Z' ? static_cast<char>(b[i] + 32) : b[i];
        if (x != y)
            return false;
    }
    return true;
}

void copy_name(char* out, size_t capacity, StringView text)
{
    size_t length = lib::min(text.length(), capacity - 1);
    for (size_t i = 0; i < length; ++i)
        out[i] = text[i];
    out[length] = '\0';
}

ErrorOr<Mount*> add_mount(StringView device, StringView number, StringView label)
{
    if (s_mount_count >= max_mounts)
        return Error(ErrorCode::Busy, "vfs: too many mounted volumes");
    Mount& mount = s_mounts[s_mount_count];
    mount = Mount {};
    copy_name(mount.device_name, sizeof(mount.device_name), device);
    copy_name(mount.number, sizeof(mount.number), number);
    copy_name(mount.device_label, sizeof(mount.device_label), label);
    return &mount;
}

void stamp_clock(FatVolume& volume)
{
    if (s_clock)
        volume.set_clock(s_clock());
}

// A resolved absolute path: the root of the namespace, a device folder
// ("/hd0", which lists partition numbers) or a place on a mounted volume.
struct Resolved {
    enum class Kind : u8 { Root, Device, Volume } kind { Kind::Root };
    Mount* mount { nullptr };
    StringView device;   // Kind::Device
    StringView relative; // Kind::Volume: the path inside the volume
};

// Splits off the first '/'-separated component of `rest` (leading slashes
// skipped).
StringView take_component(StringView& rest)
{
    size_t start = 0;
    while (start < rest.length() && rest[start] == '/')
        ++start;
    rest = rest.substring(start);
    size_t slash = rest.find('/');
    StringView component = rest.substring(0, slash);
    rest = rest.substring(slash);
    return component;
}

ErrorOr<Resolved> resolve(StringView path)
{
    if (path.is_empty() || path[0] != '/')
        return Error(ErrorCode::InvalidArgument, "vfs: the path must be absolute");
    if (path.length() > 1024)
        return Error(ErrorCode::InvalidArgument, "vfs: path longer than 1024 bytes");
    StringView rest = path;
    StringView first = take_component(rest);
    Resolved resolved;
    if (first.is_empty())
        return resolved;
    if (equal_ignoring_case(first, "sys")) {
        for (u32 i = 0; i < s_mount_count; ++i) {
            if (equal_ignoring_case(s_mounts[i].device_name, "rd") && StringView(s_mounts[i].number) == "1") {
                resolved.kind = Resolved::Kind::Volume;
                resolved.mount = &s_mounts[i];
                resolved.relative = rest;
                return resolved;
            }
        }
        return Error(ErrorCode::NotFound, "vfs: no system disk");
    }
    bool device_known = false;
    for (u32 i = 0; i < s_mount_count; ++i) {
        if (equal_ignoring_case(first, s_mounts[i].device_name))
            device_known = true;
    }
    if (!device_known)
        return Error(ErrorCode::NotFound, "vfs: no such device");
    StringView second = take_component(rest);
    if (second.is_empty()) {
        resolved.kind = Resolved::Kind::Device;
        resolved.device = first;
        return resolved;
    }
    for (u32 i = 0; i < s_mount_count; ++i) {
        if (equal_ignoring_case(first, s_mounts[i].device_name) && second == StringView(s_mounts[i].number)) {
            resolved.kind = Resolved::Kind::Volume;
            resolved.mount = &s_mounts[i];
            resolved.relative = rest;
            return resolved;
        }
    }
    return Error(ErrorCode::NotFound, "vfs: no such partition");
}

ErrorOr<Resolved> resolve_on_volume(StringView path)
{
    Resolved resolved = TRY(resolve(path));
    if (resolved.kind != Resolved::Kind::Volume)
        return Error(ErrorCode::ReadOnly, "vfs: the namespace root and device folders cannot be changed");
    return resolved;
}

bool is_volume_root(StringView relative)
{
    for (size_t i = 0; i < relative.length(); ++i) {
        if (relative[i] != '/')
            return false;
    }
    return true;
}

FatTimestamp decode_stamp(u16 date, u16 time)
{
    FatTimestamp stamp;
    stamp.year = static_cast<u16>(1980 + (date >> 9));
    stamp.month = static_cast<u8>((date >> 5) & 0xF);
    stamp.day = static_cast<u8>(date & 0x1F);
    stamp.hour = static_cast<u8>(time >> 11);
    stamp.minute = static_cast<u8>((time >> 5) & 0x3F);
    stamp.second = static_cast<u8>((time & 0x1F) * 2);
    return stamp;
}

FileInfo decode_entry(const u8* raw)
{
    FileInfo info;
    info.attributes = raw[11];
    info.size = (raw[11] & attribute_directory) ? 0 : load32(raw + 28);
    info.created = decode_stamp(load16(raw + 16), load16(raw + 14));
    if (raw[13] >= 100 && info.created.second < 59)
        ++info.created.second;
    info.accessed = decode_stamp(load16(raw + 18), 0);
    info.modified = decode_stamp(load16(raw + 24), load16(raw + 22));
    return info;
}

FileInfo directory_info()
{
    FileInfo info;
    info.attributes = attribute_directory;
    return info;
}

ErrorOr<FileInfo> stat_locked(const Resolved& resolved)
{
    if (resolved.kind != Resolved::Kind::Volume)
        return directory_info();
    u8 raw[directory_entry_size];
    TRY(resolved.mount->volume->entry_bytes(resolved.relative, raw));
    return decode_entry(raw);
}

// Lists the virtual folders: the root (device names) and "/hdN" (numbers).
ErrorOr<u32> list_virtual(const Resolved& resolved, u32 first, ListCallback callback, void* context)
{
    u32 index = 0;
    bool stopped = false;
    DirectoryEntryInfo entry {};
    entry.info = directory_info();
    for (u32 i = 0; i < s_mount_count; ++i) {
        const Mount& mount = s_mounts[i];
        StringView name;
        if (resolved.kind == Resolved::Kind::Root) {
            bool seen = false;
            for (u32 j = 0; j < i; ++j)
                seen |= equal_ignoring_case(s_mounts[j].device_name, mount.device_name);
            if (seen)
                continue;
            name = mount.device_name;
        } else {
            if (!equal_ignoring_case(resolved.device, mount.device_name))
                continue;
            name = mount.number;
        }
        if (index++ < first || stopped)
            continue;
        copy_name(entry.name, sizeof(entry.name), name);
        if (!callback(context, entry))
            stopped = true;
    }
    return index;
}

ErrorOr<u32> list_locked(const Resolved& resolved, u32 first, ListCallback callback, void* context)
{
    if (resolved.kind != Resolved::Kind::Volume)
        return list_virtual(resolved, first, callback, context);
    struct State {
        u32 first;
        u32 index;
        bool stopped;
        ListCallback callback;
        void* context;
        DirectoryEntryInfo entry;
    };
    auto* state = new (lib::nothrow) State { first, 0, false, callback, context, {} };
    if (!state)
        return Error(ErrorCode::NoMemory, "vfs: listing state");
    auto listed = resolved.mount->volume->list_entries(resolved.relative, [](void* opaque, StringView name, const u8* raw) {
        auto& state = *static_cast<State*>(opaque);
        if (state.index++ < state.first || state.stopped)
            return true;
        copy_name(state.entry.name, sizeof(state.entry.name), name);
        state.entry.info = decode_entry(raw);
        if (!state.callback(state.context, state.entry))
            state.stopped = true;
        return true; // keep counting
    }, state);
    u32 total = state->index;
    delete state;
    if (listed.is_error())
        return listed.error();
    return total;
}

// FatVolume reports "wrong kind of entry" as InvalidArgument; callers of
// the VFS get the precise code.
ErrorOr<bool> entry_is_directory(const Resolved& resolved)
{
    FileInfo info = TRY(stat_locked(resolved));
    return info.is_directory();
}

// Writes as much as fits: on a full disk the file grows to what the free
// clusters allow, and the count says how much was written.
ErrorOr<size_t> write_locked(Mount& mount, StringView relative, u64 offset, const void* data, size_t length, bool direct)
{
    FatVolume& volume = *mount.volume;
    stamp_clock(volume);
    auto written = volume.write(relative, offset, data, length, direct);
    if (!written.is_error())
        return length;
    if (written.error().code() != ErrorCode::NoSpace || length == 0)
        return written.error();
    u8 raw[directory_entry_size];
    TRY(volume.entry_bytes(relative, raw));
    u64 size = load32(raw + 28);
    u64 cluster = volume.bytes_per_cluster();
    u64 capacity = (size + cluster - 1) / cluster * cluster + static_cast<u64>(TRY(volume.free_cluster_count())) * cluster;
    if (capacity <= offset)
        return written.error();
    size_t fits = static_cast<size_t>(lib::min<u64>(capacity - offset, length));
    if (direct)
        fits -= fits % lib::max<u32>(mount.store->direct_alignment(), 512);
    if (fits == 0 || fits >= length)
        return written.error();
    TRY(volume.write(relative, offset, data, fits, direct));
    return fits;
}

// ---- the source of mapped files on disks ---------------------------------------------

// A whole file copied into kernel memory: page faults may read it with
// interrupts off, when the disk and its cache must not be touched.
class SnapshotSource final : public mm::FileSource {
public:
    static constexpr u64 max_size = 32 * 1024 * 1024;

    static SnapshotSource* create(u8* bytes, u64 size)
    {
        auto* source = new (lib::nothrow) SnapshotSource;
        if (source) {
            source->m_bytes = bytes;
            source->m_size = size;
        }
        return source;
    }

    ErrorOr<size_t> read(u64 offset, void* buffer, size_t length) override
    {
        if (offset >= m_size)
            return static_cast<size_t>(0);
        size_t count = static_cast<size_t>(lib::min<u64>(length, m_size - offset));
        __builtin_memcpy(buffer, m_bytes + offset, count);
        return count;
    }
    u64 size() const override { return m_size; }
    void ref() override { __atomic_fetch_add(&m_references, 1, __ATOMIC_RELAXED); }
    void unref() override
    {
        if (__atomic_sub_fetch(&m_references, 1, __ATOMIC_ACQ_REL) == 0) {
            delete[] m_bytes;
            delete this;
        }
    }

private:
    SnapshotSource() = default;
    ~SnapshotSource() = default;

    u8* m_bytes { nullptr };
    u64 m_size { 0 };
    u32 m_references { 1 };
};

char* duplicate(StringView text)
{
    auto* copy = new (lib::nothrow) char[text.length() + 1];
    if (copy) {
        __builtin_memcpy(copy, text.characters(), text.length());
        copy[text.length()] = '\0';
    }
    return copy;
}

} // namespace

// ---- open files ----------------------------------------------------------------------

class File {
public:
    char* full_path { nullptr };   // as opened (absolute)
    Mount* mount { nullptr };      // null for the virtual folders
    StringView relative;           // into full_path
    u32 flags { 0 };
    u32 references { 1 };
    bool directory { false };
    FatFile fat;                   // valid while generation matches
    u64 generation { ~0ull };

    ~File() { delete[] full_path; }

    // Re-opens the FAT file when the volume changed since the last look.
    ErrorOr<void> refresh()
    {
        if (mount && generation != mount->volume->generation()) {
            fat = TRY(mount->volume->open(relative));
            generation = mount->volume->generation();
        }
        return {};
    }
};

// ---- setup -----------------------------------------------------------------------------

void set_clock_source(FatTimestamp (*now)()) { s_clock = now; }

void reset_for_tests()
{
    for (u32 i = 0; i < s_mount_count; ++i) {
        Mount& mount = s_mounts[i];
        delete mount.volume;
        delete mount.store;
        delete mount.partition;
        delete[] mount.owned_image;
        mount = Mount {};
    }
    s_mount_count = 0;
    s_clock = nullptr;
}

ErrorOr<void> mount_ramdisk(u8* image, size_t size)
{
    Locker locker;
    auto* store = new (lib::nothrow) MemoryByteStore(image, size);
    if (!store)
        return Error(ErrorCode::NoMemory, "vfs: ramdisk store");
    auto volume = FatVolume::mount(*store, true);
    if (volume.is_error()) {
        delete store;
        return volume.error();
    }
    auto mount = add_mount("rd", "1", "ram0");
    if (mount.is_error()) {
        delete volume.value();
        delete store;
        return mount.error();
    }
    mount.value()->volume = volume.value();
    mount.value()->store = store;
    mount.value()->in_memory = true;
    ++s_mount_count;
    return {};
}

ErrorOr<void> create_tmp_disk(size_t size)
{
    Locker locker;
    auto* image = new (lib::nothrow) u8[size];
    if (!image)
        return Error(ErrorCode::NoMemory, "vfs: RAM disk memory");
    auto* store = new (lib::nothrow) MemoryByteStore(image, size);
    if (!store) {
        delete[] image;
        return Error(ErrorCode::NoMemory, "vfs: RAM disk store");
    }
    auto formatted = format_fat(*store, "TMP0");
    ErrorOr<FatVolume*> volume = formatted.is_error() ? ErrorOr<FatVolume*>(formatted.error()) : FatVolume::mount(*store, true);
    ErrorOr<Mount*> mount = volume.is_error() ? ErrorOr<Mount*>(volume.error()) : add_mount("tmp0", "1", "tmp0");
    if (mount.is_error()) {
        if (!volume.is_error())
            delete volume.value();
        delete store;
        delete[] image;
        return mount.error();
    }
    mount.value()->volume = volume.value();
    mount.value()->store = store;
    mount.value()->owned_image = image;
    mount.value()->in_memory = true;
    ++s_mount_count;
    return {};
}

ErrorOr<void> attach_disk(u32 disk, BlockDevice& device)
{
    Locker locker;
    PartitionTable table = TRY(read_partition_table(device));
    char device_name[8];
    lib::BufferSink device_sink(device_name, sizeof(device_name));
    lib::format(device_sink, "hd%u", disk);
    u32 mounted = 0;
    for (u32 i = 0; i < table.count; ++i) {
        const PartitionInfo& info = table.entries[i];
        char number[4];
        lib::BufferSink number_sink(number, sizeof(number));
        lib::format(number_sink, "%u", i + 1);
        auto mount_or_error = add_mount(device_name, number, "");
        if (mount_or_error.is_error())
            return mount_or_error.error();
        Mount& mount = *mount_or_error.value();
        char device_label[12];
        copy_name(device_label, sizeof(device_label), device.name());
        lib::BufferSink label_sink(mount.device_label, sizeof(mount.device_label));
        lib::format(label_sink, "%sp%u", device_label, i + 1);
        auto* partition = new (lib::nothrow) PartitionDevice(device, mount.device_label, info.first_sector, info.sector_count);
        if (!partition)
            return Error(ErrorCode::NoMemory, "vfs: partition object");
        auto cache = BlockCache::create(*partition, disk_cache_block_size, disk_cache_blocks);
        if (cache.is_error()) {
            delete partition;
            return cache.error();
        }
        auto volume = FatVolume::mount(*cache.value(), !device.is_read_only());
        if (volume.is_error()) {
            VFS_LOG("vfs: /%s/%u (%llu sectors, type 0x%02x) is not mounted: %s (%s)", device_name, i + 1,
                info.sector_count, info.mbr_type, volume.error().name(),
                volume.error().context() ? volume.error().context() : "");
            delete cache.value();
            delete partition;
            continue;
        }
        mount.volume = volume.value();
        mount.store = cache.value();
        mount.cache = cache.value();
        mount.partition = partition;
        ++s_mount_count;
        ++mounted;
        const char* type = volume.value()->type() == FatType::Fat12 ? "FAT12"
            : volume.value()->type() == FatType::Fat16             ? "FAT16"
                                                                   : "FAT32";
        VFS_LOG("vfs: /%s/%u mounted: %s, %llu KiB%s", device_name, i + 1, type,
            info.sector_count * device.sector_size() / 1024, mount.volume->is_writable() ? "" : ", read-only");
    }
    if (mounted == 0)
        return Error(ErrorCode::Unsupported, "vfs: no FAT volume on the disk");
    return {};
}

// ---- queries and path operations ---------------------------------------------------------

ErrorOr<FileInfo> stat(StringView path)
{
    Locker locker;
    Resolved resolved = TRY(resolve(path));
    return stat_locked(resolved);
}

ErrorOr<u32> list(StringView path, u32 first, ListCallback callback, void* context)
{
    Locker locker;
    Resolved resolved = TRY(resolve(path));
    return list_locked(resolved, first, callback, context);
}

u32 volumes(VolumeInfo* out, u32 capacity)
{
    Locker locker;
    u32 count = 0;
    for (u32 i = 0; i < s_mount_count && count < capacity; ++i) {
        const Mount& mount = s_mounts[i];
        VolumeInfo& info = out[count++];
        lib::BufferSink point(info.mount_point, sizeof(info.mount_point));
        lib::format(point, "/%s/%s", mount.device_name, mount.number);
        copy_name(info.device, sizeof(info.device), mount.device_label);
        info.type = mount.volume->type();
        info.writable = mount.volume->is_writable();
        info.cluster_size = mount.volume->bytes_per_cluster();
        info.total_bytes = static_cast<u64>(mount.volume->cluster_count()) * info.cluster_size;
        auto free = mount.volume->free_cluster_count();
        info.free_bytes = free.is_error() ? 0 : static_cast<u64>(free.value()) * info.cluster_size;
    }
    return count;
}

ErrorOr<size_t> read(StringView path, u64 offset, void* buffer, size_t length)
{
    Locker locker;
    Resolved resolved = TRY(resolve(path));
    if (resolved.kind != Resolved::Kind::Volume)
        return Error(ErrorCode::IsADirectory, "vfs: is a directory");
    FatFile file = TRY(resolved.mount->volume->open(resolved.relative));
    if (file.is_directory())
        return Error(ErrorCode::IsADirectory, "vfs: is a directory");
    return file.read(offset, buffer, length);
}

ErrorOr<void> create(StringView path, bool truncate_existing)
{
    Locker locker;
    Resolved resolved = TRY(resolve_on_volume(path));
    FatVolume& volume = *resolved.mount->volume;
    stamp_clock(volume);
    auto info = stat_locked(resolved);
    if (!info.is_error()) {
        if (info.value().is_directory())
            return Error(ErrorCode::IsADirectory, "vfs: is a directory");
        if (truncate_existing)
            TRY(volume.truncate(resolved.relative, 0));
        return {};
    }
    if (info.error().code() != ErrorCode::NotFound)
        return info.error();
    return volume.create_file(resolved.relative);
}

ErrorOr<size_t> write(StringView path, u64 offset, const void* data, size_t length)
{
    Locker locker;
    Resolved resolved = TRY(resolve_on_volume(path));
    if (TRY(entry_is_directory(resolved)))
        return Error(ErrorCode::IsADirectory, "vfs: is a directory");
    return write_locked(*resolved.mount, resolved.relative, offset, data, length, false);
}

ErrorOr<void> truncate(StringView path, u64 size)
{
    Locker locker;
    Resolved resolved = TRY(resolve_on_volume(path));
    if (TRY(entry_is_directory(resolved)))
        return Error(ErrorCode::IsADirectory, "vfs: is a directory");
    stamp_clock(*resolved.mount->volume);
    return resolved.mount->volume->truncate(resolved.relative, size);
}

ErrorOr<void> remove(StringView path)
{
    Locker locker;
    Resolved resolved = TRY(resolve_on_volume(path));
    if (is_volume_root(resolved.relative))
        return Error(ErrorCode::Busy, "vfs: a volume's root cannot be removed");
    if (TRY(entry_is_directory(resolved)))
        return resolved.mount->volume->remove_directory(resolved.relative);
    return resolved.mount->volume->remove_file(resolved.relative);
}

ErrorOr<void> remove_file(StringView path)
{
    Locker locker;
    Resolved resolved = TRY(resolve_on_volume(path));
    if (is_volume_root(resolved.relative) || TRY(entry_is_directory(resolved)))
        return Error(ErrorCode::IsADirectory, "vfs: is a directory");
    return resolved.mount->volume->remove_file(resolved.relative);
}

ErrorOr<void> remove_directory(StringView path)
{
    Locker locker;
    Resolved resolved = TRY(resolve_on_volume(path));
    if (is_volume_root(resolved.relative))
        return Error(ErrorCode::Busy, "vfs: a volume's root cannot be removed");
    if (!TRY(entry_is_directory(resolved)))
        return Error(ErrorCode::NotADirectory, "vfs: not a directory");
    return resolved.mount->volume->remove_directory(resolved.relative);
}

ErrorOr<void> make_directory(StringView path)
{
    Locker locker;
    Resolved resolved = TRY(resolve_on_volume(path));
    if (is_volume_root(resolved.relative))
        return Error(ErrorCode::AlreadyExists, "vfs: the volume's root exists");
    stamp_clock(*resolved.mount->volume);
    return resolved.mount->volume->create_directory(resolved.relative);
}

ErrorOr<void> rename(StringView from, StringView to)
{
    Locker locker;
    Resolved source = TRY(resolve_on_volume(from));
    Resolved target = TRY(resolve_on_volume(to));
    if (source.mount != target.mount)
        return Error(ErrorCode::Unsupported, "vfs: cannot move between volumes");
    if (is_volume_root(source.relative) || is_volume_root(target.relative))
        return Error(ErrorCode::InvalidArgument, "vfs: a volume's root cannot be renamed");
    stamp_clock(*source.mount->volume);
    return source.mount->volume->move(source.relative, target.relative);
}

ErrorOr<void> set_info(StringView path, const FileInfo& info)
{
    Locker locker;
    Resolved resolved = TRY(resolve_on_volume(path));
    if (is_volume_root(resolved.relative))
        return Error(ErrorCode::Unsupported, "vfs: a volume's root has no attributes");
    return resolved.mount->volume->set_entry_info(resolved.relative, info.attributes, info.created, info.accessed,
        info.modified);
}

ErrorOr<void> sync()
{
    Locker locker;
    ErrorOr<void> result;
    for (u32 i = 0; i < s_mount_count; ++i) {
        if (s_mounts[i].in_memory)
            continue; // nothing to write back
        auto flushed = s_mounts[i].volume->flush();
        if (flushed.is_error() && !result.is_error())
            result = flushed.error();
    }
    return result;
}

bool has_dirty_data()
{
    Locker locker;
    for (u32 i = 0; i < s_mount_count; ++i) {
        if (s_mounts[i].cache && s_mounts[i].cache->statistics().dirty_blocks != 0)
            return true;
    }
    return false;
}

// ---- open files ----------------------------------------------------------------------------

// Everything that can sleep (lookups, creating, truncating, opening the FAT
// file) happens before the File is made: a thread killed while it waits
// then leaves nothing behind, and the caller takes the new File at once.
ErrorOr<File*> open(StringView path, u32 flags)
{
    Locker locker;
    Resolved resolved = TRY(resolve(path));
    bool wants_write = flags & (open_write | open_truncate | open_append);
    bool directory = false;
    FatFile fat;
    u64 generation = ~0ull;
    if (resolved.kind != Resolved::Kind::Volume) {
        if (wants_write)
            return Error(ErrorCode::IsADirectory, "vfs: is a directory");
        directory = true;
    } else {
        FatVolume& volume = *resolved.mount->volume;
        if (wants_write && !volume.is_writable())
            return Error(ErrorCode::ReadOnly, "vfs: read-only volume");
        auto info = stat_locked(resolved);
        if (info.is_error()) {
            if (info.error().code() != ErrorCode::NotFound || !(flags & open_create))
                return info.error();
            stamp_clock(volume);
            TRY(volume.create_file(resolved.relative));
        } else {
            if ((flags & open_create) && (flags & open_exclusive))
                return Error(ErrorCode::AlreadyExists, "vfs: the file exists");
            if (info.value().is_directory()) {
                if (wants_write)
                    return Error(ErrorCode::IsADirectory, "vfs: is a directory");
                directory = true;
            } else if (flags & open_directory) {
                return Error(ErrorCode::NotADirectory, "vfs: not a directory");
            } else if ((flags & open_truncate) && info.value().size != 0) {
                stamp_clock(volume);
                TRY(volume.truncate(resolved.relative, 0));
            }
        }
        fat = TRY(volume.open(resolved.relative));
        generation = volume.generation();
    }
    auto* file = new (lib::nothrow) File;
    if (!file)
        return Error(ErrorCode::NoMemory, "vfs: open file");
    file->full_path = duplicate(path);
    if (!file->full_path) {
        delete file;
        return Error(ErrorCode::NoMemory, "vfs: open file path");
    }
    file->flags = flags;
    file->directory = directory;
    if (resolved.kind == Resolved::Kind::Volume) {
        // `relative` pointed into the caller's path: point it into our copy.
        size_t start = static_cast<size_t>(resolved.relative.characters() - path.characters());
        file->mount = resolved.mount;
        file->relative = StringView(file->full_path + start, resolved.relative.length());
        file->fat = fat;
        file->generation = generation;
    }
    return file;
}

// No lock: closing only frees memory, and process teardown closes files
// with interrupts off, where sleeping on the VFS lock is not allowed.
void retain(File* file) { __atomic_fetch_add(&file->references, 1, __ATOMIC_RELAXED); }

void release(File* file)
{
    if (__atomic_sub_fetch(&file->references, 1, __ATOMIC_ACQ_REL) == 0)
        delete file;
}

u32 open_flags(File* file) { return file->flags; }
StringView path(File* file) { return file->full_path; }

namespace {

ErrorOr<size_t> read_file_locked(File* file, u64 offset, void* buffer, size_t length, bool direct)
{
    if (file->directory)
        return Error(ErrorCode::IsADirectory, "vfs: is a directory");
    if (!(file->flags & open_read))
        return Error(ErrorCode::BadDescriptor, "vfs: not open for reading");
    TRY(file->refresh());
    return file->fat.read(offset, buffer, length, direct);
}

ErrorOr<size_t> write_file_locked(File* file, u64 offset, const void* data, size_t length, bool direct)
{
    if (file->directory)
        return Error(ErrorCode::IsADirectory, "vfs: is a directory");
    if (!(file->flags & (open_write | open_append)))
        return Error(ErrorCode::BadDescriptor, "vfs: not open for writing");
    return write_locked(*file->mount, file->relative, offset, data, length, direct);
}

// Direct transfers move whole sectors at least, whatever the store says.
u32 alignment_of(File* file)
{
    return file->mount ? lib::max<u32>(file->mount->store->direct_alignment(), 512) : 512;
}

ErrorOr<void> check_direct(File* file, u64 offset, const void* buffer, size_t length)
{
    u32 alignment = alignment_of(file);
    if (offset % alignment || length % alignment || reinterpret_cast<uintptr_t>(buffer) % alignment)
        return Error(ErrorCode::Misaligned, "vfs: direct I/O needs aligned offset, length and buffer");
    return {};
}

} // namespace

ErrorOr<size_t> read(File* file, u64 offset, void* buffer, size_t length)
{
    Locker locker;
    return read_file_locked(file, offset, buffer, length, false);
}

ErrorOr<size_t> write(File* file, u64 offset, const void* data, size_t length)
{
    Locker locker;
    return write_file_locked(file, offset, data, length, false);
}

ErrorOr<size_t> read_direct(File* file, u64 offset, void* buffer, size_t length)
{
    Locker locker;
    TRY(check_direct(file, offset, buffer, length));
    return read_file_locked(file, offset, buffer, length, true);
}

ErrorOr<size_t> write_direct(File* file, u64 offset, const void* data, size_t length)
{
    Locker locker;
    TRY(check_direct(file, offset, data, length));
    return write_file_locked(file, offset, data, length, true);
}

u32 direct_alignment(File* file)
{
    Locker locker;
    return alignment_of(file);
}

ErrorOr<FileInfo> stat(File* file)
{
    Locker locker;
    if (!file->mount)
        return directory_info();
    u8 raw[directory_entry_size];
    TRY(file->mount->volume->entry_bytes(file->relative, raw));
    return decode_entry(raw);
}

ErrorOr<void> truncate(File* file, u64 size)
{
    Locker locker;
    if (file->directory)
        return Error(ErrorCode::IsADirectory, "vfs: is a directory");
    if (!(file->flags & (open_write | open_append)))
        return Error(ErrorCode::BadDescriptor, "vfs: not open for writing");
    stamp_clock(*file->mount->volume);
    return file->mount->volume->truncate(file->relative, size);
}

ErrorOr<void> sync(File* file)
{
    Locker locker;
    if (!file->mount)
        return {};
    return file->mount->volume->flush();
}

ErrorOr<u32> list(File* file, u32 first, ListCallback callback, void* context)
{
    Locker locker;
    if (!file->directory)
        return Error(ErrorCode::NotADirectory, "vfs: not a directory");
    Resolved resolved = TRY(resolve(file->full_path));
    return list_locked(resolved, first, callback, context);
}

ErrorOr<mm::FileSource*> file_source(File* file)
{
    Locker locker;
    if (file->directory)
        return Error(ErrorCode::IsADirectory, "vfs: is a directory");
    TRY(file->refresh());
    if (file->mount->in_memory) {
        auto* source = FatFileSource::create(file->fat);
        if (!source)
            return Error(ErrorCode::NoMemory, "vfs: file source");
        return static_cast<mm::FileSource*>(source);
    }
    u64 size = file->fat.size();
    if (size > SnapshotSource::max_size)
        return Error(ErrorCode::NoMemory, "vfs: file too large to map from a disk");
    auto* bytes = new (lib::nothrow) u8[size ? size : 1];
    if (!bytes)
        return Error(ErrorCode::NoMemory, "vfs: file copy");
    auto read = file->fat.read(0, bytes, static_cast<size_t>(size));
    if (read.is_error() || read.value() != size) {
        delete[] bytes;
        return read.is_error() ? read.error() : Error(ErrorCode::IoError, "vfs: short read while copying a file");
    }
    auto* source = SnapshotSource::create(bytes, size);
    if (!source) {
        delete[] bytes;
        return Error(ErrorCode::NoMemory, "vfs: file source");
    }
    return static_cast<mm::FileSource*>(source);
}

} // namespace fs
