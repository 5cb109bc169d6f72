// KPCK unpacking for the kernel's loaders (exec/Kpck.h does the work; this
// adds the kernel heap). KolibriOS unpacks in load_file/load_file_umode
// (core/dll.inc) under one global unpack_mutex because its decoder keeps
// its state in globals; ours keeps it in memory of each call, so no lock.
#pragma once

#include "lib/Error.h"
#include "lib/Types.h"

namespace exec {

struct UnpackedFile {
    u8* bytes { nullptr }; // kernel heap (kernel::kfree)
    u32 length { 0 };
};

// Unpacks the KPCK file `file` (exec::kpck::is_packed) into a new kernel
// heap block. Refuses an unpacked size above `limit` (Unsupported) besides
// what exec::kpck::unpack refuses; NoMemory when the heap has no room.
// The decoder's error (its context names the damage) is returned as is.
ErrorOr<UnpackedFile> unpack_to_kernel_heap(const u8* file, size_t length, u32 limit);

} // namespace exec
