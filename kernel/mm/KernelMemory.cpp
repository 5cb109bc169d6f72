#include "kernel/mm/KernelMemory.h"

#include "kernel/arch/i386/Cpu.h"
#include "kernel/arch/i386/Layout.h"
#include "kernel/boot/MultibootInfo.h"
#include "kernel/debug/Log.h"
#include "kernel/debug/Panic.h"
#include "kernel/mm/Heap.h"
#include "kernel/mm/MemoryMap.h"
#include "kernel/mm/PhysicalFrameAllocator.h"

extern "C" char __kernel_physical_start[];

namespace kernel {

namespace {

mm::PhysicalFrameAllocator s_frames;
mm::Heap s_heap;

// The heap grows in arenas of at least this many bytes of contiguous
// frames; the direct map makes them addressable without new page tables.
constexpr size_t heap_arena_minimum = 256 * 1024;
constexpr size_t heap_initial_arena = 1024 * 1024;

void on_heap_corruption(const char* message, const void* address)
{
    panic("%s (block %p)", message, address);
}

bool grow_heap(mm::Heap& heap, size_t minimum_bytes)
{
    // Room for the block header, canary and alignment slack.
    size_t bytes = lib::align_up(lib::max(minimum_bytes + 4096, heap_arena_minimum), mm::page_size);
    auto frames = s_frames.allocate_contiguous(bytes / mm::page_size);
    if (frames.is_error())
        return false;
    PhysicalAddress base = frames.value();
    if (base + bytes > arch::direct_map_size) {
        (void)s_frames.free_contiguous(base, bytes / mm::page_size);
        return false;
    }
    heap.add_arena(arch::physical_to_virtual(base), bytes);
    return true;
}

} // namespace

ErrorOr<void> initialize_memory(const boot::BootInfo& boot_info)
{
    // About 4 KiB: kept off the 16 KiB boot stack.
    static mm::MemoryMap map;
    map = mm::MemoryMap::from_boot_info(boot_info);
    // The kernel can only reach what the direct map covers (768 MiB); memory
    // above that waits for highmem support.
    u64 reported = map.total_bytes();
    map.remove(arch::direct_map_size, (1ull << 32) - arch::direct_map_size);
    if (map.total_bytes() < reported)
        log_warning("%llu MiB of RAM above the 768 MiB direct map is not used yet",
            (reported - map.total_bytes()) / (1024 * 1024));
    // Real-mode IVT, BIOS data, EBDA, video memory and ROMs.
    map.remove(0, 1024 * 1024);
    PhysicalAddress kernel_start = reinterpret_cast<uintptr_t>(__kernel_physical_start);
    PhysicalAddress kernel_end = arch::virtual_to_physical(__kernel_end);
    map.remove(kernel_start, kernel_end - kernel_start);
    for (size_t i = 0; i < boot_info.module_count; ++i) {
        const auto& module = boot_info.modules[i];
        map.remove(module.start, module.end - module.start);
    }
    if (map.range_count() == 0)
        return Error(ErrorCode::NoMemory, "no usable memory in the boot memory map");

    PhysicalAddress highest_end = map.range(map.range_count() - 1).end();
    size_t bitmap_bytes = lib::align_up(mm::PhysicalFrameAllocator::bitmap_bytes_for(highest_end), mm::page_size);

    // The bitmap takes the first usable range big enough to hold it.
    PhysicalAddress bitmap_base = 0;
    bool found = false;
    for (size_t i = 0; i < map.range_count(); ++i) {
        if (map.range(i).length >= bitmap_bytes) {
            bitmap_base = map.range(i).base;
            found = true;
            break;
        }
    }
    if (!found)
        return Error(ErrorCode::NoMemory, "no room for the frame bitmap");

    s_frames.initialize(arch::physical_to_virtual<u32>(bitmap_base), bitmap_bytes, highest_end);
    for (size_t i = 0; i < map.range_count(); ++i)
        s_frames.add_free_range(map.range(i).base, map.range(i).length);
    s_frames.reserve_range(bitmap_base, bitmap_bytes);

    s_heap.initialize(on_heap_corruption, grow_heap);
    if (!grow_heap(s_heap, heap_initial_arena - 4096))
        return Error(ErrorCode::NoMemory, "no memory for the kernel heap");

    log_info("frames: %u total, %u free, bitmap %u KiB at 0x%llx", static_cast<unsigned>(s_frames.total_frames()),
        static_cast<unsigned>(s_frames.free_frames()), static_cast<unsigned>(bitmap_bytes / 1024), bitmap_base);
    return {};
}

mm::PhysicalFrameAllocator& frame_allocator() { return s_frames; }

// Threads are preempted at any instruction while interrupts are on, so the
// heap's lists are changed with interrupts off (one CPU: that is the lock).
void* kmalloc(size_t size)
{
    arch::InterruptDisabler disabler;
    return s_heap.allocate(size);
}

void kfree(void* pointer)
{
    arch::InterruptDisabler disabler;
    s_heap.free(pointer);
}

MemoryStatistics memory_statistics()
{
    auto heap = s_heap.statistics();
    return { s_frames.total_frames(), s_frames.free_frames(), s_frames.used_frames(), heap.arena_bytes,
        heap.bytes_in_use, heap.live_allocations };
}

void validate_heap()
{
    s_heap.validate();
}

} // namespace kernel
