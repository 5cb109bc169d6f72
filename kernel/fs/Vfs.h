// The virtual file system: one namespace of KolibriOS-style paths over every
// mounted volume, used by both personalities and the shell.
//
//   /sys/...      the system folder (the boot ramdisk)
//   /rd/1/...     the boot ramdisk
//   /hd0/1/...    the first partition of the first hard disk (hd1, hd2, ...
//                 for further disks; an unpartitioned disk is /hdN/1)
//   /tmp0/1/...   a RAM disk that is formatted at boot and lost at power-off
//
// Paths are absolute, UTF-8, '/'-separated; the first components choose the
// mount and are matched without regard to case, as file names are on FAT.
// "/" lists the mount roots ("rd", "hd0", "tmp0", "sys"), and "/hd0" lists
// the disk's partition numbers, as KolibriOS does.
//
// Every call takes the VFS lock (a sleeping mutex; disk I/O happens under
// it), so callers need no locking of their own. Functions never keep
// pointers to caller memory: callers copy user memory into the kernel first.
#pragma once

#include "kernel/fs/FatVolume.h"
#include "lib/Error.h"
#include "lib/String.h"
#include "lib/Types.h"

namespace mm {
class FileSource;
}

namespace fs {

class ByteStore;
class BlockDevice;

// FAT attribute bits (as on disk).
enum : u8 {
    attribute_read_only_bit = 0x01,
    attribute_hidden_bit = 0x02,
    attribute_system_bit = 0x04,
    attribute_volume_bit = 0x08,
    attribute_directory_bit = 0x10,
    attribute_archive_bit = 0x20,
};

struct FileInfo {
    u64 size { 0 };
    u8 attributes { 0 }; // attribute_*_bit
    FatTimestamp created {};
    FatTimestamp accessed {}; // FAT keeps only the date; time is 0
    FatTimestamp modified {};
    bool is_directory() const { return attributes & attribute_directory_bit; }
};

struct DirectoryEntryInfo {
    char name[256 * 3 + 1]; // UTF-8, NUL-terminated
    FileInfo info;
};

struct VolumeInfo {
    char mount_point[16]; // "/rd/1", "/hd0/1"
    char device[16];      // "ram0", "ata0", "virtio0", "tmp0"
    FatType type;
    bool writable;
    u64 total_bytes;
    u64 free_bytes;
    u32 cluster_size;
};

// ---- setup (boot) ----
// Mounts the boot ramdisk image in place as /rd/1 (and /sys): it is
// writable, and what is written there is lost at power-off, as on KolibriOS.
ErrorOr<void> mount_ramdisk(u8* image, size_t size);
// Reads `device`'s partition table and mounts every FAT partition as
// /hd<disk>/<n>. Partitions that are not FAT are listed but not mounted.
ErrorOr<void> attach_disk(u32 disk, BlockDevice& device);
// Formats and mounts a RAM disk of `size` bytes as /tmp0/1.
ErrorOr<void> create_tmp_disk(size_t size);
// Where new and changed files get their timestamps from (the RTC in the
// kernel); without one, 1980-01-01.
void set_clock_source(FatTimestamp (*now)());
// Forgets every mount and open-file bookkeeping (host tests only; files
// still open must not be used afterwards).
void reset_for_tests();

// ---- queries ----
ErrorOr<FileInfo> stat(StringView path);
// Lists the directory at `path` from entry `first` on (0-based, in on-disk
// order; "." and ".." are included where the directory has them, as on
// KolibriOS, and the volume label is not); calls `callback(context, entry)`
// until it returns false. Returns the total number of entries.
using ListCallback = bool (*)(void* context, const DirectoryEntryInfo& entry);
ErrorOr<u32> list(StringView path, u32 first, ListCallback, void* context);
// Each mounted volume; returns the count.
u32 volumes(VolumeInfo* out, u32 capacity);

// ---- whole-file operations by path ----
ErrorOr<size_t> read(StringView path, u64 offset, void* buffer, size_t length);
// Creates the file if missing; with `truncate`, an existing file is emptied.
// IsADirectory when `path` is a directory.
ErrorOr<void> create(StringView path, bool truncate);
// Writes at `offset` (the file must exist), extending it. Returns the bytes
// written: less than `length` only when the disk filled up (NoSpace when
// nothing could be written).
ErrorOr<size_t> write(StringView path, u64 offset, const void* data, size_t length);
ErrorOr<void> truncate(StringView path, u64 size);
// Removes a file or an empty directory (NotEmpty otherwise).
ErrorOr<void> remove(StringView path);
ErrorOr<void> remove_file(StringView path);      // IsADirectory for a directory
ErrorOr<void> remove_directory(StringView path); // NotADirectory for a file
ErrorOr<void> make_directory(StringView path);   // AlreadyExists
// Renames or moves within one volume (Unsupported across volumes);
// AlreadyExists when `to` exists.
ErrorOr<void> rename(StringView from, StringView to);
// Sets attributes (the directory bit is kept as it is) and the three times.
ErrorOr<void> set_info(StringView path, const FileInfo&);
// Writes every cache back to its disk (and flushes the disks' own write
// caches). Called by fsync/sync, at power-off, and by the kernel's
// background flusher (kernel/fs/KernelFlusher.cpp) when has_dirty_data().
ErrorOr<void> sync();
// True when some volume's cache holds changes that are not on its disk yet.
// Cheap: it reads a counter per mounted disk volume.
bool has_dirty_data();

// ---- open files (native descriptors, asynchronous I/O) ----
// A file kept open: reads and writes through it do not look the path up
// again. Reference-counted: fork shares one between descriptors.
class File;
enum OpenFlags : u32 {
    open_read = 1,
    open_write = 2,
    open_create = 4,
    open_truncate = 8,
    open_exclusive = 16, // with open_create: AlreadyExists when present
    open_append = 32,
    open_directory = 64, // open a directory (for readdir)
};
ErrorOr<File*> open(StringView path, u32 flags);
void retain(File*);
void release(File*); // the last release closes; never blocks, no disk I/O
ErrorOr<size_t> read(File*, u64 offset, void* buffer, size_t length);
ErrorOr<size_t> write(File*, u64 offset, const void* data, size_t length);
// As read/write, but bypassing the cache: `offset`, `length` and the
// buffer's address must be multiples of direct_alignment(file) (Misaligned).
ErrorOr<size_t> read_direct(File*, u64 offset, void* buffer, size_t length);
ErrorOr<size_t> write_direct(File*, u64 offset, const void* data, size_t length);
u32 direct_alignment(File*);
ErrorOr<FileInfo> stat(File*);
ErrorOr<void> truncate(File*, u64 size);
ErrorOr<void> sync(File*); // the file's volume
ErrorOr<u32> list(File*, u32 first, ListCallback, void* context);
u32 open_flags(File*);

// The file as the backing of mapped memory and program images, with one
// reference for the caller. On a RAM volume it reads the volume directly
// (page faults may call it with interrupts off); on a disk it is a copy of
// the file taken now (NoMemory when the file is too large to copy).
ErrorOr<mm::FileSource*> file_source(File*);
// The absolute path the file was opened with.
StringView path(File*);

} // namespace fs
