#include "lib/New.h"
#include "kernel/arch/i386/PageDirectory.h"

#include "kernel/arch/i386/Cpu.h"
#include "kernel/arch/i386/Layout.h"
#include "kernel/arch/i386/Paging.h"
#include "kernel/mm/KernelMemory.h"
#include "kernel/mm/PhysicalFrameAllocator.h"

extern "C" u32 boot_page_directory[1024];

namespace arch {

namespace {

// Page-directory and page-table entry bits (Intel SDM vol. 3A, table 4-5/4-6).
constexpr u32 present = 1u << 0;
constexpr u32 writable_bit = 1u << 1;
constexpr u32 user_bit = 1u << 2;
constexpr u32 frame_mask = 0xFFFFF000u;
constexpr u32 user_directory_entries = mm::user_space_end >> 22;

const PageDirectory* s_active;

} // namespace

ErrorOr<PageDirectory*> PageDirectory::create()
{
    auto directory = new (lib::nothrow) PageDirectory;
    if (!directory)
        return Error(ErrorCode::NoMemory, "page directory object");
    auto frame = kernel::frame_allocator().allocate();
    if (frame.is_error()) {
        delete directory;
        return frame.error();
    }
    directory->m_directory_frame = frame.value();
    u32* entries = directory->entries();
    for (u32 i = 0; i < user_directory_entries; ++i)
        entries[i] = 0;
    // The kernel half never changes after boot, so copying it once keeps
    // every address space in sync.
    for (u32 i = user_directory_entries; i < 1024; ++i)
        entries[i] = boot_page_directory[i];
    return directory;
}

PageDirectory::~PageDirectory()
{
    if (s_active == this)
        activate_kernel();
    u32* directory = entries();
    for (u32 i = 0; i < user_directory_entries; ++i) {
        if (directory[i] & present)
            (void)kernel::frame_allocator().free(directory[i] & frame_mask);
    }
    (void)kernel::frame_allocator().free(m_directory_frame);
}

u32* PageDirectory::entries() const
{
    return physical_to_virtual<u32>(m_directory_frame);
}

u32* PageDirectory::table_for(uintptr_t virtual_address) const
{
    u32 entry = entries()[virtual_address >> 22];
    if (!(entry & present))
        return nullptr;
    return physical_to_virtual<u32>(entry & frame_mask);
}

void PageDirectory::flush(uintptr_t virtual_address) const
{
    if (s_active == this)
        invalidate_page(virtual_address);
}

ErrorOr<void> PageDirectory::map(uintptr_t virtual_address, PhysicalAddress frame, bool writable)
{
    if (virtual_address >= mm::user_space_end)
        return Error(ErrorCode::InvalidArgument, "map: kernel address");
    u32* table = table_for(virtual_address);
    if (!table) {
        auto table_frame = kernel::frame_allocator().allocate();
        if (table_frame.is_error())
            return table_frame.error();
        table = physical_to_virtual<u32>(table_frame.value());
        for (u32 i = 0; i < 1024; ++i)
            table[i] = 0;
        // Directory entries allow everything; the page-table entries decide.
        entries()[virtual_address >> 22] = static_cast<u32>(table_frame.value()) | present | writable_bit | user_bit;
        ++m_table_count;
    }
    table[(virtual_address >> 12) & 0x3FF]
        = (static_cast<u32>(frame) & frame_mask) | present | user_bit | (writable ? writable_bit : 0);
    flush(virtual_address);
    return {};
}

void PageDirectory::unmap(uintptr_t virtual_address)
{
    if (virtual_address >= mm::user_space_end)
        return;
    u32* table = table_for(virtual_address);
    if (!table)
        return;
    table[(virtual_address >> 12) & 0x3FF] = 0;
    flush(virtual_address);
}

void PageDirectory::set_writable(uintptr_t virtual_address, bool writable)
{
    if (virtual_address >= mm::user_space_end)
        return;
    u32* table = table_for(virtual_address);
    if (!table)
        return;
    u32& entry = table[(virtual_address >> 12) & 0x3FF];
    if (!(entry & present))
        return;
    entry = writable ? (entry | writable_bit) : (entry & ~writable_bit);
    flush(virtual_address);
}

mm::PageMapping PageDirectory::query(uintptr_t virtual_address) const
{
    if (virtual_address >= mm::user_space_end)
        return {};
    u32* table = table_for(virtual_address);
    if (!table)
        return {};
    u32 entry = table[(virtual_address >> 12) & 0x3FF];
    if (!(entry & present))
        return {};
    return { true, (entry & writable_bit) != 0, entry & frame_mask };
}

void PageDirectory::set_screen_access(bool allowed)
{
    u32* directory = entries();
    bool changed = false;
    for (uintptr_t address = paging::screen_window_start;
         address - paging::screen_window_start < paging::screen_window_size; address += 0x400000) {
        u32& entry = directory[address >> 22];
        if (!(entry & present))
            continue; // no screen window tables (no display): nothing to open
        u32 const wanted = allowed ? (entry | user_bit) : (entry & ~user_bit);
        changed |= wanted != entry;
        entry = wanted;
    }
    // A directory entry's rights are cached with its translations.
    if (changed && s_active == this)
        write_cr3(read_cr3());
}

void PageDirectory::activate() const
{
    if (s_active == this)
        return;
    s_active = this;
    write_cr3(static_cast<u32>(m_directory_frame));
}

const PageDirectory* PageDirectory::active() { return s_active; }

void PageDirectory::activate_kernel()
{
    s_active = nullptr;
    write_cr3(static_cast<u32>(virtual_to_physical(boot_page_directory)));
}

} // namespace arch
