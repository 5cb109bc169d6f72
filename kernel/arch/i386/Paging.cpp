#include "kernel/arch/i386/Paging.h"

#include "kernel/arch/i386/Cpu.h"
#include "kernel/arch/i386/Layout.h"

extern "C" u32 boot_page_directory[1024];

namespace arch::paging {

namespace {

constexpr u32 present = 1u << 0;
constexpr u32 large_page = 1u << 7;

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

} // namespace arch::paging
