// A read-only FAT12/FAT16/FAT32 file system over a volume image in memory
// (the ramdisk boot module). The on-disk logic reads the volume only through
// FatVolume::read_bytes, so a later block-device backend and write support
// change "where the bytes come from" without touching the parsing.
//
// Layout facts (BPB offsets, FAT type by cluster count, entry formats, long
// file names) follow Microsoft's "FAT: General Overview of On-Disk Format"
// (FAT32 File System Specification, version 1.03).
//
// Every value read from the image is treated as hostile: the BPB is checked
// at mount, cluster numbers are range-checked, every cluster-chain walk is
// bounded by the cluster count, and every byte access is bounds-checked, so
// a corrupt image yields ErrorCode::Corrupt, never a crash or a hang.
#pragma once

#include "kernel/fs/BlockDevice.h"
#include "lib/Error.h"
#include "lib/String.h"
#include "lib/Types.h"

namespace fs {

enum class FatType : u8 {
    Fat12,
    Fat16,
    Fat32,
};

class FatVolume;

// A wall-clock value supplied by the caller of the write operations (the
// volume has no clock of its own). FAT stores years 1980..2107 and seconds in
// two-second steps; out-of-range fields are clamped.
struct FatTimestamp {
    u16 year { 1980 };
    u8 month { 1 };  // 1..12
    u8 day { 1 };    // 1..31
    u8 hour { 0 };
    u8 minute { 0 };
    u8 second { 0 };
};

// The writer's "disk full" and "directory not empty" errors.
inline constexpr ErrorCode fat_no_space = ErrorCode::NoSpace;
inline constexpr ErrorCode fat_not_empty = ErrorCode::NotEmpty;

// A file or directory found on a FatVolume: a small value (copy freely) that
// stays valid as long as its volume. A default-constructed FatFile is empty.
class FatFile {
public:
    FatFile() = default;

    bool is_valid() const { return m_volume != nullptr; }
    u64 size() const { return m_size; }
    bool is_directory() const { return m_directory; }
    // The first data cluster (0 for an empty file and for the FAT12/16 root).
    u32 first_cluster() const { return m_first_cluster; }

    // Reads up to `length` bytes at `offset` into `buffer`; returns the number
    // read, 0 at or past the end. InvalidArgument for a directory or an empty
    // FatFile, Corrupt when the cluster chain is broken. Not thread-safe on
    // one FatFile object (it updates a chain cache): callers sharing one
    // serialise, or read through their own copy. With `direct`, the transfer
    // bypasses the volume's cache (ByteStore::read_direct and its alignment
    // rules apply to the offset within the volume, the length and the buffer).
    ErrorOr<size_t> read(u64 offset, void* buffer, size_t length, bool direct = false) const;

private:
    friend class FatVolume;

    const FatVolume* m_volume { nullptr };
    u32 m_first_cluster { 0 };
    u32 m_size { 0 };
    bool m_directory { false };
    bool m_fixed_root { false }; // the FAT12/16 root directory region
    // Where the previous read ended in the chain, so sequential reads do
    // not walk the chain from the start each time.
    mutable u32 m_cached_index { 0 };
    mutable u32 m_cached_cluster { 0 };
};

// One directory entry as seen by list(): `name` is the long name converted to
// UTF-8 when there is one, else the 8.3 name ("README.TXT"); it points into a
// buffer that is only valid during the callback.
using FatListCallback = void (*)(void* context, StringView name, u64 size, bool is_directory);
// As FatListCallback, with the raw 32-byte 8.3 entry (attributes, times);
// return false to stop.
using FatEntryCallback = bool (*)(void* context, StringView name, const u8* raw32);

class FatVolume {
public:
    // Checks the boot sector and the volume geometry of `image` (`size`
    // bytes, not copied: it must outlive the volume) and returns a
    // heap-allocated volume, owned by the caller (delete it).
    // Corrupt: the BPB is invalid or the volume does not fit in the image.
    // NoMemory: the volume object cannot be allocated.
    static ErrorOr<FatVolume*> mount(const u8* image, size_t size);
    // As mount(), but the volume may change `image` through the write
    // operations below. Single-threaded: callers serialise all calls on a
    // writable volume, and a FatFile taken before a write to the same file
    // or directory must be re-opened (its size and chain cache go stale).
    static ErrorOr<FatVolume*> mount_writable(u8* image, size_t size);
    // The volume on `store` (a BlockCache over a disk partition, usually),
    // which must outlive the volume. With `writable` false, or when the store
    // is not writable, the write operations answer ReadOnly.
    static ErrorOr<FatVolume*> mount(ByteStore& store, bool writable);
    ~FatVolume();
    bool is_writable() const { return m_writable; }
    // Writes back what the store buffers (the block cache) to the disk.
    ErrorOr<void> flush();
    ByteStore& store() const { return *m_store; }
    // Changes whenever a write operation changes the volume: holders of a
    // FatFile re-open it when the generation moved.
    u64 generation() const { return m_generation; }

    // ---- writing (Unsupported on a read-only mount) ----
    // Every operation allocates the clusters it needs before linking them
    // anywhere, so a failure (fat_no_space) leaves a consistent volume. Names
    // are one path component: 1..255 printable ASCII characters without
    // `"*/:<>?\|`, not "." or "..", not ending in a dot or space
    // (InvalidArgument). A name that is not a plain 8.3 name gets long-name
    // entries and a generated "BASIS~N.EXT" short name. Timestamps come from
    // set_clock().
    void set_clock(const FatTimestamp& now) { m_clock = now; }

    // Creates an empty file. AlreadyExists, NotFound (parent missing).
    ErrorOr<void> create_file(StringView path);
    // Creates a directory with its "." and ".." entries.
    ErrorOr<void> create_directory(StringView path);
    // Writes `length` bytes at `offset` into the file, extending it (a gap
    // past the old end reads as zeros). Files are limited to 4 GiB - 1.
    // With `direct`, the data bypasses the store's cache (write_direct and
    // its alignment rules); the FAT and the directory entry do not.
    ErrorOr<void> write(StringView path, u64 offset, const void* data, size_t length, bool direct = false);
    // Sets the file's size, freeing clusters or appending zeros.
    ErrorOr<void> truncate(StringView path, u64 size);
    // Removes a file (InvalidArgument for a directory) and frees its clusters.
    ErrorOr<void> remove_file(StringView path);
    // Removes an empty directory: fat_not_empty when it has entries,
    // InvalidArgument for a file or the root.
    ErrorOr<void> remove_directory(StringView path);
    // Renames the file or directory at `path` to `new_name` in the same
    // directory. AlreadyExists when another entry has that name.
    ErrorOr<void> rename(StringView path, StringView new_name);
    // Moves (and renames) the entry at `path` to `new_path`, possibly in
    // another directory; a moved directory's ".." entry follows it.
    // AlreadyExists when `new_path` exists; InvalidArgument when a directory
    // would move into itself.
    ErrorOr<void> move(StringView path, StringView new_path);
    // The 32-byte directory entry of `path` (attributes at 11, times and
    // dates at 13..25, size at 28); the root has no entry and gives a
    // synthesized one with only the directory attribute.
    ErrorOr<void> entry_bytes(StringView path, u8* raw32) const;
    // Sets the attributes (the directory and volume bits are kept) and the
    // creation, access and modification stamps.
    ErrorOr<void> set_entry_info(StringView path, u8 attributes, const FatTimestamp& created,
        const FatTimestamp& accessed, const FatTimestamp& modified);
    // Free clusters, counted from the FAT.
    ErrorOr<u32> free_cluster_count() const;

    // Finds a file or directory by a '/'-separated path relative to the root
    // ("" or "/" is the root). Names match case-insensitively (ASCII) against
    // the long name or the 8.3 name. NotFound when a component is missing or
    // a non-final component is not a directory; Corrupt on a broken image,
    // including a file whose cluster chain does not match its size.
    ErrorOr<FatFile> open(StringView path) const;
    FatFile root() const;

    // Calls `callback(name, size, is_directory)` for each entry of the
    // directory at `path`, skipping "." and "..", deleted entries and the
    // volume label. InvalidArgument when `path` is not a directory.
    template<typename Callback>
    ErrorOr<void> list(StringView path, Callback callback) const
    {
        return list(path, [](void* context, StringView name, u64 size, bool is_directory) {
            (*static_cast<Callback*>(context))(name, size, is_directory);
        }, &callback);
    }
    ErrorOr<void> list(StringView path, FatListCallback callback, void* context) const;
    // Every live entry of the directory at `path` in on-disk order,
    // including "." and ".." where present, without the volume label.
    ErrorOr<void> list_entries(StringView path, FatEntryCallback callback, void* context) const;

    FatType type() const { return m_type; }
    u32 bytes_per_cluster() const { return m_bytes_per_cluster; }
    u32 cluster_count() const { return m_cluster_count; }

private:
    friend class FatFile;
    struct DirectoryEntry;
    using EntryVisitor = bool (*)(void* context, const DirectoryEntry&);

    FatVolume(ByteStore* store, bool writable, bool owns_store);
    ErrorOr<void> parse_boot_sector();

    // The only access to the volume's bytes: Corrupt when the range is not
    // inside the image, IoError when the disk fails.
    ErrorOr<void> read_bytes(u64 offset, void* buffer, size_t length) const;

    bool is_data_cluster(u32 cluster) const { return cluster >= 2 && cluster - 2 < m_cluster_count; }
    u64 cluster_offset(u32 cluster) const;
    // The FAT entry of `cluster`: the next cluster, or 0 at the end of the
    // chain. Corrupt for free/bad/out-of-range links.
    ErrorOr<u32> next_cluster(u32 cluster) const;
    // The `index`-th cluster of the chain that starts at `first` (0-based);
    // Corrupt when the chain ends before it or leaves the volume.
    ErrorOr<u32> cluster_at(const FatFile&, u32 index) const;

    // A file of `size` bytes must own exactly ceil(size / cluster) clusters,
    // ending in an end-of-chain mark; this also catches chains that loop.
    ErrorOr<void> check_chain_length(u32 first, u32 size) const;
    ErrorOr<size_t> read_file(const FatFile&, u64 offset, void* buffer, size_t length, bool direct) const;
    // Visits each live entry of `directory` until the visitor returns false.
    ErrorOr<void> for_each_entry(const FatFile& directory, EntryVisitor, void* context) const;

    // ---- writer internals (FatVolumeWrite.cpp) ----
    struct Location;
    struct NewEntry;
    // Writes to the store: metadata (FATs, FSInfo, directories) by default,
    // file contents with FileData, which the store may write back earlier
    // (see ByteStore::write_data).
    enum class Content { Metadata, FileData };
    ErrorOr<void> write_bytes(u64 offset, const void* data, size_t length, Content content = Content::Metadata);
    ErrorOr<void> fill_bytes(u64 offset, u8 value, size_t length, Content content = Content::Metadata);
    ErrorOr<u32> fat_entry(u32 cluster) const;          // the raw value
    ErrorOr<void> set_fat_entry(u32 cluster, u32 value); // in every FAT copy
    u32 end_of_chain() const;
    ErrorOr<u32> allocate_chain(u32 count, Content content); // zeroed, ends in EOC
    ErrorOr<void> free_chain(u32 first);
    void adjust_free_count(i64 delta);
    ErrorOr<u64> slot_offset(const FatFile& directory, u32 slot) const;
    ErrorOr<void> locate(StringView path, Location&) const;
    ErrorOr<FatFile> parent_of(StringView path, StringView& name) const;
    ErrorOr<bool> short_name_taken(const FatFile& directory, const u8* short_name) const;
    ErrorOr<void> add_entry(FatFile& directory, StringView name, const u8* template_entry);
    ErrorOr<void> mark_deleted(const FatFile& directory, u32 first_slot, u32 last_slot);
    ErrorOr<void> resize(Location&, u64 new_size);
    void stamp(u8* raw, bool created) const;

    ByteStore* m_store { nullptr };
    bool m_writable { false };
    bool m_owns_store { false };
    u64 m_generation { 0 };
    // The last position found by cluster_at for a FatFile without its own
    // cache (the writer's temporary ones): chain start, index, cluster.
    // Dropped when a link is cut (set to free or end of chain).
    mutable u32 m_hint_first { 0 };
    mutable u32 m_hint_index { 0 };
    mutable u32 m_hint_cluster { 0 };
    FatTimestamp m_clock {};
    u32 m_fat_count { 0 };
    u64 m_fsinfo_offset { 0 }; // FAT32 FSInfo sector, 0 when absent
    u32 m_next_free_hint { 2 };

    u64 m_image_size { 0 };

    FatType m_type { FatType::Fat12 };
    u32 m_bytes_per_sector { 0 };
    u32 m_bytes_per_cluster { 0 };
    u64 m_fat_offset { 0 };      // first FAT, in bytes from the volume start
    u64 m_fat_size { 0 };        // bytes of one FAT
    u64 m_root_offset { 0 };     // FAT12/16 fixed root directory
    u32 m_root_entry_count { 0 }; // FAT12/16
    u32 m_root_cluster { 0 };    // FAT32
    u64 m_data_offset { 0 };     // cluster 2
    u32 m_cluster_count { 0 };
};

} // namespace fs
