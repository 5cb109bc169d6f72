// Paths and text of the KolibriOS file functions (KolibriFiles.h): the
// file-system error codes, the three encodings (cp866, UTF-16LE, UTF-8),
// program strings read page by page, and paths made absolute and
// normalised UTF-8 for the VFS (sysfuncs.txt, function 70: "/base/number/
// dir1/.../file", relative paths from the current folder, ".." and the
// encoding byte).
#pragma once

#include "kernel/abi/kolibri/KolibriState.h"
#include "lib/Error.h"
#include "lib/Types.h"

namespace kolibri {

// File-system error codes (sysfuncs.txt, "Error codes of the file system").
enum FileStatus : u32 {
    status_success = 0,
    status_unsupported = 2,
    status_not_found = 5,
    status_end_of_file = 6,
    status_bad_pointer = 7,
    status_disk_full = 8,
    status_file_system_error = 9,
    status_access_denied = 10,
    status_device_error = 11,
    status_no_memory = 12,
    // Only from 70.7 (start application).
    status_start_no_memory = 30,
    status_not_executable = 31,
    status_too_many_processes = 32,
};

// Path and name encodings (function 80, field +20; 70.1, field +8).
enum PathEncoding : u32 {
    encoding_default = 0, // cp866, unless the string starts with an encoding byte
    encoding_cp866 = 1,
    encoding_utf16 = 2,
    encoding_utf8 = 3,
};

constexpr size_t path_capacity = sizeof(task::KolibriState::current_folder); // UTF-8, NUL included
constexpr size_t raw_capacity = 1024;        // bytes of a path read from the program
constexpr size_t decoded_capacity = 3 * 1024; // a relative path after the current folder, before ".." is folded

// Working memory of one call (paths are too big for the 16 KiB kernel
// stack several times over).
struct PathScratch {
    u8 raw[raw_capacity];
    char decoded[decoded_capacity];
    char path[path_capacity];
    char second[path_capacity]; // 70.10: the new name
};

// Writes the UTF-8 `text` into `out` (capacity bytes, terminator included)
// in `encoding`, cutting it at a character boundary when it does not fit.
// Returns the bytes used including the terminator. cp866 has no letter
// for most of Unicode: those characters become '?'.
size_t encode_text(const char* text, size_t length, u32 encoding, u8* out, size_t capacity);

// Reads a string of `unit`-byte characters that ends in a zero character
// from program memory into `out`, one page at a time, so that no page past
// the one holding the terminator is touched. Returns its length in bytes
// without the terminator. A string that does not end within `capacity`
// bytes is OutOfRange, unless `truncate`, when the first `capacity` bytes
// are returned; a bad pointer is InvalidArgument.
ErrorOr<size_t> read_program_string(u32 address, u8* out, size_t capacity, size_t unit, bool truncate);

// Reads the program's path string at `address` and makes it an absolute,
// normalised UTF-8 path in `out` (path_capacity bytes). `encoding` is the
// caller's (function 80, or encoding_default for 70); with
// encoding_default a leading byte 1-3 selects the encoding, also right
// after a leading '/'. Relative paths are taken from `relative_base`;
// absolute ones are put under `absolute_base` (empty except for the new
// name of 70.10). On failure `status` holds the KolibriOS error code.
ErrorOr<void> resolve_path(PathScratch&, u32 address, u32 encoding, const char* relative_base,
    const char* absolute_base, char* out, u32& status);

// 30.3: the 128-byte block {64-byte name, 64-byte cp866 real path
// without its leading '/'} makes absolute paths "/NAME/..." mean
// "/REAL/...". Only the first call counts (false for later ones), as in
// sys_current_directory. The real path, as used, goes to target_out.
bool mount_additional_folder(const u8 (&block)[128], char* target_out, size_t target_capacity);

// The number of leading components of an absolute path that name the
// partition: "/sys" is one, "/rd/1", "/hd0/1", "/tmp0/1" are two.
size_t partition_components(const char* path);
// Copies the first `components` components of the absolute `path` to `out`.
void leading_components(const char* path, size_t components, char* out);
// The folder containing `path` ("/" for a top-level name).
void parent_folder(const char* path, char* out);
bool same_path_ignoring_case(const char* a, const char* b);

} // namespace kolibri
