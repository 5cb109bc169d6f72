#include "kernel/arch/i386/Paging.h"

#include "kernel/arch/i386/Cpu.h"
#include "kernel/arch/i386/Layout.h"
#include "kernel/mm/KernelMemory.h"
#include "kernel/mm/PhysicalFrameAllocator.h"

extern "C" u32 boot_page_directory[1024];

namespace arch::paging {

namespace {

// Page-directory and page-table entry bits (Intel SDM vol. 3A, tables 4-5
// and 4-6).
constexpr u32 present = 1u << 0;
constexpr u32 writable = 1u << 1;
constexpr u32 write_through = 1u << 3;
constexpr u32 cache_disable = 1u << 4;
constexpr u32 user = 1u << 2;
constexpr u32 dirty = 1u << 6;
constexpr u32 large_page = 1u << 7;
constexpr u32 frame_mask = 0xFFFFF000u;
constexpr u32 page_size = 4096;

// Next free virtual address of the device window; 0 until its page tables exist.
uintptr_t s_device_next;
// Bytes mapped in the screen window.
size_t s_screen_length;

ErrorOr<void> create_device_window_tables()
{
    for (u32 index = device_window_start >> 22; index < 1024; ++index) {
        u32& directory_entry = boot_page_directory[index];
        if (directory_entry & present)
            continue;
        auto frame = kernel::frame_allocator().allocate();
        if (frame.is_error())
            return frame.error(); // tables made so far stay: they are harmless and reused next time
        auto table = physical_to_virtual<u32>(frame.value());
        for (u32 i = 0; i < 1024; ++i)
            table[i] = 0;
        // No user bit: user code never reaches the device window, and the
        // screen window only through PageDirectory::set_screen_access.
        directory_entry = static_cast<u32>(frame.value()) | present | writable;
    }
    s_device_next = device_window_start;
    return {};
}

u32& screen_entry(size_t page_index)
{
    uintptr_t const address = screen_window_start + page_index * page_size;
    auto table = physical_to_virtual<u32>(boot_page_directory[address >> 22] & frame_mask);
    return table[(address >> 12) & 0x3FF];
}

} // namespace

void remove_identity_map()
{
    for (u32 index = 0; index < (kernel_virtual_base >> 22); ++index)
        boot_page_directory[index] = 0;
    // Reloading CR3 flushes every non-global TLB entry.
    write_cr3(read_cr3());
}

bool is_mapped(uintptr_t address)
{
    u32 entry = boot_page_directory[address >> 22];
    if (!(entry & present))
        return false;
    if (entry & large_page)
        return true;
    auto table = physical_to_virtual<u32>(entry & ~0xFFFu);
    return table[(address >> 12) & 0x3FF] & present;
}

ErrorOr<uintptr_t> map_device_memory(PhysicalAddress physical, size_t length, DeviceCaching caching)
{
    if (length == 0)
        return Error(ErrorCode::InvalidArgument, "map_device_memory: empty range");
    PhysicalAddress const first = lib::align_down<PhysicalAddress>(physical, page_size);
    PhysicalAddress const end = lib::align_up<PhysicalAddress>(physical + length, page_size);
    // 32-bit page-table entries hold 32-bit frame addresses only.
    if (physical + length < physical || end > 0x100000000ull || end <= first)
        return Error(ErrorCode::InvalidArgument, "map_device_memory: range not below 4 GiB");
    if (s_device_next == 0)
        TRY(create_device_window_tables());
    u64 const size = end - first;
    if (size > device_window_end - s_device_next)
        return Error(ErrorCode::NoMemory, "map_device_memory: device window full");

    u32 const flags = present | writable | (caching == DeviceCaching::Uncached ? cache_disable | write_through : 0);
    uintptr_t const base = s_device_next;
    for (u64 offset = 0; offset < size; offset += page_size) {
        uintptr_t const address = base + static_cast<uintptr_t>(offset);
        auto table = physical_to_virtual<u32>(boot_page_directory[address >> 22] & frame_mask);
        table[(address >> 12) & 0x3FF] = static_cast<u32>(first + offset) | flags;
        // The range was never mapped, but be exact: no stale TLB entry may survive.
        invalidate_page(address);
    }
    s_device_next = base + static_cast<uintptr_t>(size);
    return base + static_cast<uintptr_t>(physical - first);
}

ErrorOr<size_t> map_screen_window(PhysicalAddress physical, size_t length)
{
    if (s_screen_length != 0)
        return Error(ErrorCode::InvalidArgument, "map_screen_window: mapped already");
    size_t const size = lib::min<size_t>(lib::align_up<size_t>(length, page_size), screen_window_size);
    if (length == 0 || physical % page_size != 0 || physical + size > 0x100000000ull)
        return Error(ErrorCode::InvalidArgument, "map_screen_window: bad physical range");
    if (s_device_next == 0)
        TRY(create_device_window_tables());
    for (size_t page = 0; page < size / page_size; ++page) {
        screen_entry(page) = static_cast<u32>(physical + page * page_size) | present | writable | user;
        invalidate_page(screen_window_start + page * page_size);
    }
    s_screen_length = size;
    return size;
}

size_t screen_window_length() { return s_screen_length; }

void take_screen_window_writes(void (*report)(size_t offset, size_t length, void* context), void* context)
{
    size_t const pages = s_screen_length / page_size;
    size_t run_start = 0;
    size_t run_length = 0;
    for (size_t page = 0; page < pages; ++page) {
        u32& entry = screen_entry(page);
        if (entry & dirty) {
            {
                // The processor sets the bit with a locked update; nothing
                // else runs on this CPU between our read and write.
                InterruptDisabler disabler;
                entry &= ~dirty;
                invalidate_page(screen_window_start + page * page_size);
            }
            if (run_length == 0)
                run_start = page;
            ++run_length;
            continue;
        }
        if (run_length != 0)
            report(run_start * page_size, run_length * page_size, context);
        run_length = 0;
    }
    if (run_length != 0)
        report(run_start * page_size, run_length * page_size, context);
}

} // namespace arch::paging
