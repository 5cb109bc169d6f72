// One process's i386 two-level page tables (Intel SDM vol. 3A, 4.3): the
// hardware side of mm::Mmu. The kernel half (0xC0000000 and up) is the boot
// page directory's, shared by every address space; user page tables are
// allocated on demand and freed with the directory.
#pragma once

#include "kernel/mm/Mmu.h"
#include "lib/Error.h"

namespace arch {

class PageDirectory final : public mm::Mmu {
public:
    // Allocates and initialises a directory; NoMemory when no frame is left.
    static ErrorOr<PageDirectory*> create();
    ~PageDirectory();

    ErrorOr<void> map(uintptr_t virtual_address, PhysicalAddress frame, bool writable) override;
    void unmap(uintptr_t virtual_address) override;
    void set_writable(uintptr_t virtual_address, bool writable) override;
    mm::PageMapping query(uintptr_t virtual_address) const override;

    // Opens (or closes) the screen window at 0xFE000000 to this address
    // space's user code (paging::screen_window_start; KolibriOS programs
    // only): sets the user bit of its page-directory entries here. The
    // page tables stay the shared ones.
    void set_screen_access(bool allowed);

    // Loads CR3 with this directory.
    void activate() const;
    PhysicalAddress physical_address() const { return m_directory_frame; }
    // Frames used by page tables (for statistics).
    size_t table_count() const { return m_table_count; }

    // The directory currently in CR3 when it is a process's, else null.
    static const PageDirectory* active();
    // Switches back to the kernel-only boot directory.
    static void activate_kernel();

private:
    PageDirectory() = default;
    u32* entries() const;
    u32* table_for(uintptr_t virtual_address) const;
    void flush(uintptr_t virtual_address) const;

    PhysicalAddress m_directory_frame { 0 };
    size_t m_table_count { 0 };
};

} // namespace arch
