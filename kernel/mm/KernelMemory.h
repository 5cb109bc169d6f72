// The kernel's memory singletons: the physical frame allocator built from
// the boot memory map, and the kernel heap (kmalloc/kfree, new/delete).
#pragma once

#include "lib/Error.h"
#include "lib/Types.h"

namespace boot {
struct BootInfo;
}

namespace mm {
class PhysicalFrameAllocator;
}

namespace kernel {

// Builds the frame allocator from the boot information (never handing out
// the first MiB, the kernel image, the boot modules or the allocator's own
// bitmap) and gives the heap its first arena.
ErrorOr<void> initialize_memory(const boot::BootInfo&);

mm::PhysicalFrameAllocator& frame_allocator();

// Kernel heap. kmalloc returns 16-byte aligned memory or null when out of
// memory; kfree(nullptr) is a no-op.
void* kmalloc(size_t size);
void kfree(void* pointer);

struct MemoryStatistics {
    size_t total_frames;
    size_t free_frames;
    size_t used_frames;
    size_t heap_arena_bytes;
    size_t heap_bytes_in_use;
    size_t heap_live_allocations;
};
MemoryStatistics memory_statistics();

// Checks every heap block; a corrupt heap panics with the reason.
void validate_heap();

} // namespace kernel
